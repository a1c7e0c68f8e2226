import { useEffect, useState } from 'react';
import { syncStatus, type AppStatus, type SyncStatus } from '../../ipc';
import { t, tParts, type Lang } from '../../i18n';

/** The line at the bottom: the core that answers, and whether CubeConnect is reachable and its
 * webhooks arrive. */
export function StatusBar({ lang, status, tick = 0 }: { lang: Lang; status: AppStatus; tick?: number }) {
  const [sync, setSync] = useState<SyncStatus | null>(null);
  const hasAccount = status.account !== null;

  useEffect(() => {
    if (!hasAccount) {
      setSync(null);
      return;
    }
    let live = true;
    syncStatus().then(
      (s) => live && setSync(s),
      () => live && setSync(null),
    );
    return () => {
      live = false;
    };
  }, [hasAccount, status.mode, tick]);

  const parts = tParts(lang, 'coreStatus', {
    version: status.version,
    schema: String(status.schemaVersion),
    // A path is data, not prose: isolate it so its direction never reorders the sentence.
    dataDir: (
      <bdi key="dataDir" dir="auto" className="path">
        {status.dataDir}
      </bdi>
    ),
  });
  return (
    <footer className="status-bar">
      <span className="dot" aria-hidden="true" />
      <span id="core-status" title={status.dbPath}>
        {parts}
      </span>
      {sync && <SyncLine lang={lang} sync={sync} />}
    </footer>
  );
}

function SyncLine({ lang, sync }: { lang: Lang; sync: SyncStatus }) {
  const online = sync.online === null ? t(lang, 'syncChecking') : t(lang, sync.online ? 'syncOnline' : 'syncOffline');
  const receiver = sync.listening && sync.receiverUrl ? t(lang, 'syncReceiving', { url: sync.receiverUrl }) : t(lang, 'syncNotReceiving');
  const last = sync.lastEventAt
    ? t(lang, 'syncLastEvent', {
        time: new Intl.DateTimeFormat(lang === 'ar' ? 'ar' : 'en', { hour: 'numeric', minute: '2-digit' }).format(new Date(sync.lastEventAt)),
      })
    : null;
  if (sync.paused) {
    return (
      <span className="sync-line" id="sync-status" data-paused="true">
        <span className="sync-dot off" aria-hidden="true" />
        {t(lang, 'syncPaused')}
        {sync.waitingMessages > 0 && ` · ${t(lang, 'syncWaiting', { count: sync.waitingMessages })}`}
      </span>
    );
  }
  return (
    <span className="sync-line" id="sync-status" data-online={String(sync.online)}>
      <span className={`sync-dot ${sync.online ? 'on' : 'off'}`} aria-hidden="true" />
      {online} · <bdi dir="auto">{receiver}</bdi>
      {last && ` · ${last}`}
      {sync.waitingMessages > 0 && ` · ${t(lang, 'syncWaiting', { count: sync.waitingMessages })}`}
    </span>
  );
}
