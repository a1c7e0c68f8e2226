import { useEffect, useRef } from 'react';
import { t, type Lang, type StringKey } from '../../i18n';
import { SHORTCUTS, type Action } from './shortcuts';

const LABEL: Record<Action, StringKey> = {
  next: 'shortcutNext',
  previous: 'shortcutPrevious',
  composer: 'shortcutComposer',
  templates: 'shortcutTemplates',
  search: 'shortcutSearch',
  customer: 'shortcutCustomer',
  help: 'shortcutHelp',
  close: 'shortcutClose',
};

/** The `?` sheet: every shortcut, from the same table the handler uses. */
export function ShortcutSheet({ lang, onClose }: { lang: Lang; onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="sheet-backdrop" onClick={onClose}>
      <div className="sheet" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" id="shortcut-sheet" onClick={(e) => e.stopPropagation()}>
        <h2 id="shortcuts-title">{t(lang, 'shortcutsTitle')}</h2>
        <dl className="shortcut-list">
          {SHORTCUTS.map((s) => (
            <div key={s.action} className="shortcut">
              <dt>
                <kbd dir="ltr">{s.keys}</kbd>
              </dt>
              <dd>{t(lang, LABEL[s.action])}</dd>
            </div>
          ))}
        </dl>
        <button type="button" ref={close} className="primary" onClick={onClose}>
          {t(lang, 'close')}
        </button>
      </div>
    </div>
  );
}
