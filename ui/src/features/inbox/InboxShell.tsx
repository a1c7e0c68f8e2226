import type { AppStatus } from '../../ipc';
import { t, type Lang } from '../../i18n';
import { EmptyState } from './EmptyState';

/** The inbox layout: the conversation list on one side, the open conversation on the other. */
export function InboxShell({ lang, status }: { lang: Lang; status: AppStatus }) {
  return (
    <div className="shell">
      <aside className="sidebar" aria-label={t(lang, 'conversations')}>
        <header className="sidebar-header">
          <span className="brand">{t(lang, 'appName')}</span>
        </header>
        <h2 className="sidebar-title">{t(lang, 'conversations')}</h2>
        <ul className="conversation-list" aria-label={t(lang, 'conversations')}>
          {status.conversations === 0 && <li className="muted empty-list">{t(lang, 'noConversations')}</li>}
        </ul>
      </aside>
      <main className="main-pane">{status.accounts === 0 && <EmptyState lang={lang} />}</main>
    </div>
  );
}
