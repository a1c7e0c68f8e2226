import type { ReactNode, Ref } from 'react';
import type { AppStatus, InboxFilter, InboxItem } from '../../ipc';
import { t, type Lang } from '../../i18n';
import { ConversationList } from './ConversationList';
import { InboxFilters } from './InboxFilters';

/** The inbox layout: the account, search, filters and conversations on one side, `children` on the other. */
export function InboxShell({
  lang,
  status,
  onSettings,
  onHelp,
  children,
  tick = 0,
  filter,
  onFilter,
  selectedId,
  onSelect,
  onItems,
  searchRef,
}: {
  lang: Lang;
  status: AppStatus;
  tick?: number;
  onSettings: (() => void) | null;
  onHelp?: () => void;
  children: ReactNode;
  filter: InboxFilter;
  onFilter: (f: InboxFilter) => void;
  selectedId: number | null;
  onSelect: (item: InboxItem) => void;
  onItems?: (items: InboxItem[]) => void;
  searchRef?: Ref<HTMLInputElement>;
}) {
  const account = status.account;
  return (
    <div className="shell">
      <aside className="sidebar" aria-labelledby="sidebar-title">
        <header className="sidebar-header">
          <span className="brand">{t(lang, 'appName')}</span>
          <span className="header-actions">
            {onHelp && (
              <button type="button" className="icon-button" onClick={onHelp} aria-label={t(lang, 'shortcutsTitle')} title={t(lang, 'shortcutsTitle')} id="open-shortcuts">
                ⌨
              </button>
            )}
            {onSettings && (
              <button type="button" className="icon-button" onClick={onSettings} aria-label={t(lang, 'settings')} title={t(lang, 'settings')} id="open-settings">
                ⚙
              </button>
            )}
          </span>
        </header>
        {account && (
          <div className="account-line" id="account-line">
            <bdi dir="auto" className="account-name">
              {account.name}
            </bdi>
            <span className="muted">{account.numbers.map((n) => n.displayName).join(' · ')}</span>
          </div>
        )}
        {account && <InboxFilters lang={lang} filter={filter} onChange={onFilter} numbers={account.numbers} searchRef={searchRef} tick={tick} />}
        <h2 id="sidebar-title" className="sidebar-title">
          {t(lang, 'conversations')}
        </h2>
        <div className="conversation-list" id="conversation-list">
          {account ? (
            <ConversationList
              lang={lang}
              refreshKey={`${status.mode}:${account.id}:${status.conversations}:${tick}`}
              filter={filter}
              selectedId={selectedId}
              onSelect={onSelect}
              onItems={onItems}
            />
          ) : (
            <p className="muted empty-list">{t(lang, 'noConversations')}</p>
          )}
        </div>
      </aside>
      <main className="main-pane">{children}</main>
    </div>
  );
}
