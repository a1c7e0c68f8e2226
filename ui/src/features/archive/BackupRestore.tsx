import { useState } from 'react';
import { backupArchive, checkBackup, restoreArchive, toAppError, type BackupResult, type RestoreCheck } from '../../ipc';
import { t, type Lang } from '../../i18n';
import { Busy, Failure } from './Busy';
import { askOpenPath, askSavePath, formatBytes, formatCount, isoDay } from './files';

type Step = 'idle' | 'backingUp' | 'checking' | 'restoring';

/** Back up the archive to one file; restore from one after showing what it holds. */
export function BackupRestore({ lang }: { lang: Lang }) {
  const [step, setStep] = useState<Step>('idle');
  const [saved, setSaved] = useState<BackupResult | null>(null);
  const [pending, setPending] = useState<{ path: string; check: RestoreCheck } | null>(null);
  const [restoring, setRestoring] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const busy = step !== 'idle';

  const backUp = async () => {
    setFailure(null);
    setSaved(null);
    setStep('backingUp');
    try {
      const path = await askSavePath(`cubedesk-backup-${isoDay(new Date())}.db`, t(lang, 'bakFilter'), 'db');
      if (path) setSaved(await backupArchive(path));
    } catch (e) {
      setFailure(toAppError(e).message);
    } finally {
      setStep('idle');
    }
  };

  const pick = async () => {
    setFailure(null);
    setPending(null);
    setStep('checking');
    try {
      const path = await askOpenPath(t(lang, 'bakFilter'), ['db']);
      if (path) setPending({ path, check: await checkBackup(path) });
    } catch (e) {
      setFailure(toAppError(e).message);
    } finally {
      setStep('idle');
    }
  };

  const restore = async () => {
    if (!pending) return;
    setFailure(null);
    setStep('restoring');
    try {
      await restoreArchive(pending.path);
      // The core restarts CubeDesk; until it does, say so.
      setRestoring(true);
    } catch (e) {
      setFailure(toAppError(e).message);
    } finally {
      setStep('idle');
    }
  };

  return (
    <>
      <p className="muted">{t(lang, 'bakIntro')}</p>
      <div className="archive-row">
        <button type="button" className="primary" id="backup-now" onClick={() => void backUp()} disabled={busy || restoring}>
          {step === 'backingUp' ? <Busy lang={lang} /> : t(lang, 'bakNow')}
        </button>
        <button type="button" className="secondary" id="restore-backup" onClick={() => void pick()} disabled={busy || restoring}>
          {step === 'checking' ? <Busy lang={lang} /> : t(lang, 'bakRestore')}
        </button>
      </div>
      {saved && (
        <p className="archive-done" role="status" id="backup-done" dir="auto">
          {t(lang, 'bakDone', { size: formatBytes(lang, saved.bytes), path: saved.path })}
        </p>
      )}
      {pending && !restoring && (
        <div role="alertdialog" aria-labelledby="restore-title" aria-describedby="restore-body" className="confirm restore-confirm">
          <h2 id="restore-title">{t(lang, 'bakConfirmTitle')}</h2>
          <p className="muted" dir="auto">
            <code dir="ltr">{pending.path}</code>
          </p>
          <p>{t(lang, 'bakHolds')}</p>
          <dl className="archive-facts">
            <dt>{t(lang, 'bakCustomers')}</dt>
            <dd>{formatCount(lang, pending.check.customers)}</dd>
            <dt>{t(lang, 'bakConversations')}</dt>
            <dd>{formatCount(lang, pending.check.conversations)}</dd>
            <dt>{t(lang, 'bakMessages')}</dt>
            <dd>{formatCount(lang, pending.check.messages)}</dd>
          </dl>
          <p id="restore-body">{t(lang, 'bakKeepCurrent')}</p>
          <div className="actions start">
            <button type="button" className="danger" id="restore-confirm" onClick={() => void restore()} disabled={busy}>
              {step === 'restoring' ? <Busy lang={lang} /> : t(lang, 'bakRestoreConfirm')}
            </button>
            <button type="button" className="link-button" id="restore-cancel" onClick={() => setPending(null)} disabled={busy}>
              {t(lang, 'cancel')}
            </button>
          </div>
        </div>
      )}
      {restoring && (
        <p className="notice" role="status" id="restore-done">
          {t(lang, 'bakRestoring')}
        </p>
      )}
      <Failure message={failure} />
    </>
  );
}
