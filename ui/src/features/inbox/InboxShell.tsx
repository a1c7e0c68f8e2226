import type { ReactNode } from 'react';
import type { AppStatus } from '../../ipc';
import { t, type Lang } from '../../i18n';
import { ConversationList } from './ConversationList';

/** The inbox layout: the account and its conversations on one side, `children` on the other. */
export function InboxShell({
  lang,
  status,
  onSettings,
  children,
  tick = 0,
}: {
  lang: Lang;
  status: AppStatus;
  tick?: number;
  onSettings: (() => void) | null;
  children: ReactNode;
}) {
  const account = status.account;
  return (
    <div className="shell">
      <aside className="sidebar" aria-labelledby="sidebar-title">
        <header className="sidebar-header">
          <span className="brand">{t(lang, 'appName')}</span>
          {onSettings && (
            <button type="button" className="icon-button" onClick={onSettings} aria-label={t(lang, 'settings')} title={t(lang, 'settings')} id="open-settings">
              ⚙
            </button>
          )}
        </header>
        {account && (
          <div className="account-line" id="account-line">
            <bdi dir="auto" className="account-name">
              {account.name}
            </bdi>
            <span className="muted">
              {account.numbers.map((n) => n.displayName).join(' · ')}
            </span>
          </div>
        )}
        <h2 id="sidebar-title" className="sidebar-title">
          {t(lang, 'conversations')}
        </h2>
        <div className="conversation-list" id="conversation-list">
          {account ? (
            <ConversationList lang={lang} refreshKey={`${status.mode}:${account.id}:${status.conversations}:${tick}`} />
          ) : (
            <p className="muted empty-list">{t(lang, 'noConversations')}</p>
          )}
        </div>
      </aside>
      <main className="main-pane">{children}</main>
    </div>
  );
}
