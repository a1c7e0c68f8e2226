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
  onSearch,
  searchActive = false,
  onInsights,
  insightsActive = false,
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
  /** Opens the archive search; the button is hidden without it. */
  onSearch?: () => void;
  /** The archive search is on screen (the button shows pressed). */
  searchActive?: boolean;
  onInsights?: () => void;
  insightsActive?: boolean;
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
            {onSearch && (
              <button
                type="button"
                className="icon-button"
                onClick={onSearch}
                aria-label={t(lang, 'searchOpen')}
                title={t(lang, 'searchOpenTitle')}
                aria-pressed={searchActive}
                id="open-search"
              >
                <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
                  <circle cx="6.8" cy="6.8" r="4.8" />
                  <path d="M10.4 10.4 14.5 14.5" />
                </svg>
              </button>
            )}
            {onInsights && (
              <button
                type="button"
                className="icon-button"
                onClick={onInsights}
                aria-label={t(lang, 'insTitle')}
                title={t(lang, 'insTitle')}
                aria-pressed={insightsActive}
                id="open-insights"
              >
                <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="currentColor">
                  <rect x="2" y="8" width="3" height="6" rx="0.5" />
                  <rect x="6.5" y="4" width="3" height="10" rx="0.5" />
                  <rect x="11" y="1.5" width="3" height="12.5" rx="0.5" />
                </svg>
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
