import { useEffect, useState } from 'react';
import { syncStatus, type AccountSummary, type SyncStatus } from '../../ipc';
import { t, type Lang } from '../../i18n';
import { ArchiveTools } from '../archive/ArchiveTools';
import { AccountSettings } from './AccountSettings';
import { DesktopSettings } from './DesktopSettings';
import type { Preferences, Theme } from './preferences';

/** Settings: how CubeDesk looks and speaks, where webhooks arrive, this computer, the archive tools, and the account. */
export function SettingsPage({
  lang,
  prefs,
  onPrefs,
  account,
  demo,
  tick,
  onChanged,
  onClose,
}: {
  lang: Lang;
  prefs: Preferences;
  onPrefs: (p: Preferences) => void;
  account: AccountSummary | null;
  demo: boolean;
  tick: number;
  onChanged: () => void;
  onClose: () => void;
}) {
  const [sync, setSync] = useState<SyncStatus | null>(null);
  useEffect(() => {
    if (!account) return;
    syncStatus().then(setSync, () => setSync(null));
  }, [account, tick]);

  return (
    <div className="settings settings-page" id="settings-page">
      <div className="settings-head">
        <h2>{t(lang, 'settings')}</h2>
        <button type="button" className="secondary" onClick={onClose} id="close-settings">
          {t(lang, 'back')}
        </button>
      </div>

      <fieldset className="settings-group">
        <legend>{t(lang, 'prefLooks')}</legend>
        <label className="field-inline">
          <span>{t(lang, 'prefLanguage')}</span>
          <select id="pref-language" value={prefs.lang} onChange={(e) => onPrefs({ ...prefs, lang: e.target.value as Lang })}>
            <option value="en">English</option>
            <option value="ar">العربية</option>
          </select>
        </label>
        <label className="field-inline">
          <span>{t(lang, 'prefTheme')}</span>
          <select id="pref-theme" value={prefs.theme} onChange={(e) => onPrefs({ ...prefs, theme: e.target.value as Theme })}>
            <option value="system">{t(lang, 'themeSystem')}</option>
            <option value="light">{t(lang, 'themeLight')}</option>
            <option value="dark">{t(lang, 'themeDark')}</option>
          </select>
        </label>
      </fieldset>

      <fieldset className="settings-group">
        <legend>{t(lang, 'prefNotifications')}</legend>
        <label className="check">
          <input type="checkbox" id="pref-notify-messages" checked={prefs.notifyMessages} onChange={(e) => onPrefs({ ...prefs, notifyMessages: e.target.checked })} />
          {t(lang, 'prefNotifyMessages')}
        </label>
        <label className="check">
          <input type="checkbox" id="pref-notify-closing" checked={prefs.notifyClosing} onChange={(e) => onPrefs({ ...prefs, notifyClosing: e.target.checked })} />
          {t(lang, 'prefNotifyClosing')}
        </label>
      </fieldset>

      {account && (
        <fieldset className="settings-group" id="receiver-settings">
          <legend>{t(lang, 'prefReceiver')}</legend>
          <p className="muted">{t(lang, 'prefReceiverHint')}</p>
          {sync?.listening && sync.receiverUrl ? (
            <p>
              <code dir="ltr" id="receiver-url">
                {sync.receiverUrl}
              </code>{' '}
              · {sync.lastEventAt ? t(lang, 'syncLastEvent', { time: new Date(sync.lastEventAt).toLocaleString(lang) }) : t(lang, 'prefNoEventYet')}
            </p>
          ) : (
            <p className="notice">{t(lang, 'syncNotReceiving')}</p>
          )}
        </fieldset>
      )}

      <DesktopSettings lang={lang} sync={sync} canPause={!!account && !demo} />

      <ArchiveTools lang={lang} numbers={account?.numbers ?? []} demo={demo} />

      {account && !demo && (
        <fieldset className="settings-group">
          <legend>{t(lang, 'accountTitle')}</legend>
          <AccountSettings lang={lang} account={account} onChanged={onChanged} onClose={onClose} />
        </fieldset>
      )}
    </div>
  );
}
