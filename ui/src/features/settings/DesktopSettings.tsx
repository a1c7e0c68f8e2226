import { useEffect, useRef, useState } from 'react';
import { autostartEnabled, checkUpdate, diagnostics, installUpdate, pauseSync, setAutostart, toAppError, type SyncStatus } from '../../ipc';
import { t, type Lang } from '../../i18n';

/** This computer: start at login, pause sync, updates, and diagnostics for support. */
export function DesktopSettings({ lang, sync, canPause }: { lang: Lang; sync: SyncStatus | null; canPause: boolean }) {
  const [autostart, setAutostartShown] = useState<boolean | null>(null);
  const [paused, setPaused] = useState(sync?.paused ?? false);
  const [problem, setProblem] = useState<string | null>(null);
  const [update, setUpdate] = useState<string | null>(null);
  const [installable, setInstallable] = useState(false);
  const [report, setReport] = useState<string | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const reportRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    autostartEnabled().then(setAutostartShown, (e: unknown) => setProblem(toAppError(e).message));
  }, []);
  useEffect(() => setPaused(sync?.paused ?? false), [sync?.paused]);

  const changeAutostart = (on: boolean) => {
    setProblem(null);
    setAutostart(on).then(setAutostartShown, (e: unknown) => setProblem(toAppError(e).message));
  };
  const changePaused = (on: boolean) => {
    setProblem(null);
    setPaused(on);
    pauseSync(on).catch((e: unknown) => {
      setPaused(!on);
      setProblem(toAppError(e).message);
    });
  };
  const lookForUpdate = () => {
    setUpdate(t(lang, 'deskChecking'));
    setInstallable(false);
    checkUpdate().then(
      (found) => {
        setUpdate(found ? t(lang, 'updAvailable', { version: found.version }) : t(lang, 'deskUpToDate'));
        setInstallable(!!found);
      },
      (e: unknown) => setUpdate(toAppError(e).message),
    );
  };
  const install = () => {
    setInstallable(false);
    setUpdate(t(lang, 'updInstalling'));
    installUpdate().catch((e: unknown) => setUpdate(toAppError(e).message));
  };
  const copyDiagnostics = async () => {
    setCopied(null);
    try {
      const text = await diagnostics();
      setReport(text);
      try {
        await navigator.clipboard.writeText(text);
        setCopied(true);
      } catch {
        // The webview may refuse the clipboard: the text is shown, selected, to copy by hand.
        setCopied(false);
        setTimeout(() => reportRef.current?.select(), 0);
      }
    } catch (e) {
      setProblem(toAppError(e).message);
    }
  };

  return (
    <fieldset className="settings-group" id="desktop-settings">
      <legend>{t(lang, 'deskTitle')}</legend>
      <label className="check">
        <input
          type="checkbox"
          id="pref-autostart"
          checked={autostart ?? false}
          disabled={autostart === null}
          onChange={(e) => changeAutostart(e.target.checked)}
        />
        {t(lang, 'deskAutostart')}
      </label>
      {canPause && (
        <label className="check">
          <input type="checkbox" id="pref-pause-sync" checked={paused} onChange={(e) => changePaused(e.target.checked)} />
          {t(lang, 'deskPauseSync')}
        </label>
      )}
      {problem && (
        <p className="notice" role="alert" id="desktop-problem">
          {problem}
        </p>
      )}
      <p>
        <button type="button" className="secondary" id="check-update" onClick={lookForUpdate}>
          {t(lang, 'deskCheckUpdate')}
        </button>{' '}
        {update && (
          <span id="update-result" role="status">
            {update}
          </span>
        )}{' '}
        {installable && (
          <button type="button" id="install-update-now" onClick={install}>
            {t(lang, 'updInstall')}
          </button>
        )}
      </p>
      <p className="muted">{t(lang, 'deskDiagnosticsHint')}</p>
      <p>
        <button type="button" className="secondary" id="copy-diagnostics" onClick={() => void copyDiagnostics()}>
          {t(lang, 'deskDiagnostics')}
        </button>{' '}
        {copied !== null && <span role="status">{t(lang, copied ? 'deskCopied' : 'deskCopyByHand')}</span>}
      </p>
      {report !== null && <textarea id="diagnostics-text" className="diagnostics" readOnly rows={10} dir="ltr" value={report} ref={reportRef} />}
    </fieldset>
  );
}
