import type { AppStatus } from '../../ipc';
import { tParts, type Lang } from '../../i18n';

/** The line at the bottom that proves the window is talking to the Rust core. */
export function StatusBar({ lang, status }: { lang: Lang; status: AppStatus }) {
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
    </footer>
  );
}
