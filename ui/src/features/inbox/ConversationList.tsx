import { useEffect, useState } from 'react';
import { inboxPage, toAppError, type AppError, type InboxItem } from '../../ipc';
import { t, type Lang } from '../../i18n';
import { windowLabel } from './windowLabel';

const PAGE = 200;

function time(lang: Lang, iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const sameDay = new Date().toDateString() === d.toDateString();
  return new Intl.DateTimeFormat(lang === 'ar' ? 'ar' : 'en', sameDay ? { hour: 'numeric', minute: '2-digit' } : { day: 'numeric', month: 'short' }).format(d);
}

/** Every conversation, newest activity first, with its window state; pages in as it is asked for. */
export function ConversationList({ lang, refreshKey }: { lang: Lang; refreshKey: string }) {
  const [items, setItems] = useState<InboxItem[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let live = true;
    inboxPage(undefined, PAGE).then(
      (page) => {
        if (!live) return;
        setItems(page);
        setMore(page.length === PAGE);
      },
      (e: unknown) => live && setError(toAppError(e)),
    );
    return () => {
      live = false;
    };
  }, [refreshKey]);

  const loadMore = () => {
    const last = items[items.length - 1];
    if (!last) return;
    inboxPage(last.cursor, PAGE).then(
      (page) => {
        setItems((old) => [...old, ...page]);
        setMore(page.length === PAGE);
      },
      (e: unknown) => setError(toAppError(e)),
    );
  };

  if (error) {
    return (
      <p className="list-error" role="alert" dir="auto">
        {error.message}
      </p>
    );
  }
  if (items.length === 0) {
    return <p className="muted empty-list">{t(lang, 'noConversations')}</p>;
  }
  return (
    <>
      <ul className="conversations" id="conversations" aria-label={t(lang, 'conversations')}>
        {items.map((c) => {
          const w = windowLabel(lang, c.window);
          return (
            <li key={c.conversationId} className="conversation" data-window={w.tone}>
              <div className="conversation-top">
                <bdi className="customer" dir="auto">
                  {c.customerName ?? `+${c.customerPhone}`}
                </bdi>
                <span className="when">{time(lang, c.lastMessageAt)}</span>
              </div>
              <div className="conversation-bottom">
                <span className="preview" dir="auto">
                  {c.lastDirection === 'outbound' ? t(lang, 'you') : ''}
                  {c.lastPreview ?? `[${c.lastType ?? ''}]`}
                </span>
                {c.unreadCount > 0 && (
                  <span className="unread" aria-label={t(lang, 'unreadCount', { count: c.unreadCount })}>
                    {c.unreadCount}
                  </span>
                )}
              </div>
              <div className="conversation-meta">
                <span className={`window-badge ${w.tone}`} title={w.detail ?? undefined}>
                  {w.text}
                </span>
                {c.customerBlocked && <span className="blocked-badge">{t(lang, 'blocked')}</span>}
              </div>
            </li>
          );
        })}
      </ul>
      {more && (
        <button type="button" className="link-button" onClick={loadMore}>
          {t(lang, 'loadMore')}
        </button>
      )}
    </>
  );
}
