import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { templatesFor, toAppError, type AppError, type Template } from '../../ipc';
import { t, type Lang } from '../../i18n';
import { TemplateForm } from './TemplateForm';
import { categoryKey, firstLine, foldForSearch } from './templateText';
import './composer.css';

export type TemplatePickerProps = {
  lang: Lang;
  conversationId: number;
  /** Given when the picker was opened on demand (inside the window): a close button and Escape close it. */
  onClose?: () => void;
  /** Called after a template was sent. */
  onSent?: () => void;
  /** Put the keyboard in the search box when the picker appears. */
  autoFocus?: boolean;
};

type Load = { state: 'loading' } | { state: 'failed'; error: AppError } | { state: 'ready'; templates: Template[] };

/** The approved templates of the conversation's number: search, choose one, fill it in, send it. */
export function TemplatePicker({ lang, conversationId, onClose, onSent, autoFocus }: TemplatePickerProps) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<Template | null>(null);
  const [attempt, setAttempt] = useState(0);
  const id = useId();
  const searchRef = useRef<HTMLInputElement | null>(null);
  const listRef = useRef<HTMLUListElement | null>(null);

  useEffect(() => {
    let live = true;
    setLoad({ state: 'loading' });
    setChosen(null);
    templatesFor(conversationId).then(
      (templates) => live && setLoad({ state: 'ready', templates }),
      (e) => live && setLoad({ state: 'failed', error: toAppError(e) }),
    );
    return () => {
      live = false;
    };
  }, [conversationId, attempt]);

  useEffect(() => {
    if (autoFocus) searchRef.current?.focus();
  }, [autoFocus]);

  // Folded once per list, so each keystroke only compares strings.
  const folded = useMemo(
    () => (load.state === 'ready' ? load.templates.map((tpl) => ({ tpl, text: foldForSearch(`${tpl.name}\n${tpl.body}`) })) : []),
    [load],
  );
  const needle = foldForSearch(query.trim());
  const shown = needle === '' ? folded.map((f) => f.tpl) : folded.filter((f) => f.text.includes(needle)).map((f) => f.tpl);

  const backToList = useCallback(() => {
    setChosen(null);
    requestAnimationFrame(() => searchRef.current?.focus());
  }, []);

  const sent = () => {
    setChosen(null);
    setQuery('');
    onSent?.();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Escape' && !e.nativeEvent.isComposing) {
      if (onClose) {
        e.preventDefault();
        e.stopPropagation();
        onClose();
      } else if (chosen) {
        e.preventDefault();
        e.stopPropagation();
        backToList();
      }
      return;
    }
    // Arrow keys move between the search box and the options.
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const options = Array.from(listRef.current?.querySelectorAll<HTMLButtonElement>('button.template-option') ?? []);
    if (options.length === 0) return;
    const at = options.indexOf(document.activeElement as HTMLButtonElement);
    if (at === -1 && document.activeElement !== searchRef.current) return;
    e.preventDefault();
    if (e.key === 'ArrowDown') options[Math.min(at + 1, options.length - 1)]?.focus();
    else if (at <= 0) searchRef.current?.focus();
    else options[at - 1]?.focus();
  };

  return (
    <section className="template-picker" id="template-picker" aria-labelledby={`${id}-title`} onKeyDown={onKeyDown}>
      <header className="template-picker-head">
        <h2 id={`${id}-title`} className="template-picker-title">
          {t(lang, 'templatesTitle')}
        </h2>
        {onClose && (
          <button type="button" className="icon-button" aria-label={t(lang, 'templatesClose')} title={t(lang, 'templatesClose')} onClick={onClose}>
            ×
          </button>
        )}
      </header>

      {chosen ? (
        <TemplateForm lang={lang} conversationId={conversationId} template={chosen} onBack={backToList} onSent={sent} />
      ) : (
        <>
          <div className="field template-search-field">
            <label htmlFor="template-search" className="composer-sr-only">
              {t(lang, 'templateSearchLabel')}
            </label>
            <input
              id="template-search"
              ref={searchRef}
              type="search"
              dir="auto"
              value={query}
              placeholder={t(lang, 'templateSearchPlaceholder')}
              autoComplete="off"
              onChange={(e) => setQuery(e.target.value)}
            />
          </div>
          {load.state === 'loading' && (
            <p className="muted template-state" role="status">
              {t(lang, 'templatesLoading')}
            </p>
          )}
          {load.state === 'failed' && (
            <div className="form-failure template-state" role="alert" id="templates-failure">
              <p dir="auto">{load.error.message}</p>
              <button type="button" className="link-button" onClick={() => setAttempt((n) => n + 1)}>
                {t(lang, 'templatesRetry')}
              </button>
            </div>
          )}
          {load.state === 'ready' && load.templates.length === 0 && <p className="muted template-state">{t(lang, 'templatesEmpty')}</p>}
          {load.state === 'ready' && load.templates.length > 0 && shown.length === 0 && (
            <p className="muted template-state" role="status">
              {t(lang, 'templatesNoMatch', { query: query.trim() })}
            </p>
          )}
          {shown.length > 0 && (
            <ul className="template-list" ref={listRef} aria-labelledby={`${id}-title`}>
              {shown.map((tpl) => (
                <li key={`${tpl.name}\u0000${tpl.language}`}>
                  <button type="button" className="template-option" data-name={tpl.name} onClick={() => setChosen(tpl)}>
                    <span className="template-option-top">
                      <span className="template-name" dir="auto">
                        {tpl.name}
                      </span>
                      <span className="template-meta">
                        <span>{tpl.language}</span>
                        <span>{t(lang, categoryKey(tpl.category))}</span>
                      </span>
                    </span>
                    <span className="template-first-line" dir={tpl.dir}>
                      {firstLine(tpl.body)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
