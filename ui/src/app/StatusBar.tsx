import type { AppStatus } from '../ipc';
import { t, type Lang } from '../i18n';

/** The line at the bottom that proves the window is talking to the Rust core. */
export function StatusBar({ lang, status }: { lang: Lang; status: AppStatus }) {
  return (
    <footer className="status-bar">
      <span className="dot" aria-hidden="true" />
      <span id="core-status" dir="auto">
        {t(lang, 'coreStatus', {
          version: status.version,
          schema: status.schemaVersion,
          dataDir: status.dataDir,
        })}
      </span>
    </footer>
  );
}
