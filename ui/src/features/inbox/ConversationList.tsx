import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { firstPaint, inboxPage, toAppError, type AppError, type InboxFilter, type InboxItem } from '../../ipc';
import { t, type Lang } from '../../i18n';
import { windowLabel } from './windowLabel';
import { tickFor } from '../conversation/ticks';
import type { MessageStatus } from '../../ipc';

const PAGE = 200;
/** Every row has this height (CSS pins it), so 20,000 rows cost what 20 do. */
export const ROW_HEIGHT = 84;

function time(lang: Lang, iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const sameDay = new Date().toDateString() === d.toDateString();
  return new Intl.DateTimeFormat(lang === 'ar' ? 'ar' : 'en', sameDay ? { hour: 'numeric', minute: '2-digit' } : { day: 'numeric', month: 'short' }).format(d);
}

/**
 * Every conversation, newest activity first, with its window state; virtualised, and paged in
 * from the core as the list is scrolled. `refreshKey` changes when the core reports changes.
 */
let painted = false;

/** Once per start, after the frame that shows the first loaded inbox has been painted. */
function reportFirstPaint(): void {
  if (painted) return;
  painted = true;
  // A frame callback runs before its paint; a task queued from it runs after.
  requestAnimationFrame(() => setTimeout(() => void firstPaint().catch(() => {}), 0));
}

export function ConversationList({
  lang,
  refreshKey,
  filter,
  selectedId,
  onSelect,
  onItems,
}: {
  lang: Lang;
  refreshKey: string;
  filter: InboxFilter;
  selectedId: number | null;
  onSelect: (item: InboxItem) => void;
  /** Told the loaded list each time it changes (for next/previous and the unread total). */
  onItems?: (items: InboxItem[]) => void;
}) {
  const [items, setItems] = useState<InboxItem[]>([]);
  const [more, setMore] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const loading = useRef(false);
  // Bumped by every fresh load, so a page asked for under an older filter is dropped.
  const generation = useRef(0);
  const scroller = useRef<HTMLDivElement>(null);
  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    let live = true;
    generation.current += 1;
    // A refresh re-reads as many rows as are already shown, so an open list does not shrink.
    const want = Math.min(500, Math.max(PAGE, items.length));
    inboxPage(filter, undefined, want).then(
      (page) => {
        if (!live) return;
        setError(null);
        setItems(page);
        setMore(page.length === want);
        setLoaded(true);
      },
      (e: unknown) => live && setError(toAppError(e)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refreshKey, filterKey]);

  useEffect(() => {
    onItems?.(items);
  }, [items, onItems]);

  useEffect(() => {
    if (loaded) reportFirstPaint();
  }, [loaded]);

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    // Before the first layout (and in tests, which have none) assume a window-sized list.
    initialRect: { width: 320, height: 900 },
  });
  const rows = virtualizer.getVirtualItems();

  const last = rows[rows.length - 1];
  useEffect(() => {
    if (!more || loading.current || !last || last.index < items.length - 20) return;
    const tail = items[items.length - 1];
    const asked = generation.current;
    loading.current = true;
    inboxPage(filter, tail.cursor, PAGE).then(
      (page) => {
        if (asked !== generation.current) return;
        setItems((old) => [...old, ...page.filter((p) => !old.some((o) => o.conversationId === p.conversationId))]);
        setMore(page.length === PAGE);
      },
      (e: unknown) => setError(toAppError(e)),
    ).finally(() => {
      loading.current = false;
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [last?.index, more, items.length]);

  // Keep the selected row in view when it changes from the keyboard.
  useEffect(() => {
    const i = items.findIndex((c) => c.conversationId === selectedId);
    if (i >= 0) virtualizer.scrollToIndex(i, { align: 'auto' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedId]);

  if (error) {
    return (
      <p className="list-error" role="alert" dir="auto">
        {error.message}
      </p>
    );
  }
  if (loaded && items.length === 0) {
    return <p className="muted empty-list" id="no-conversations">{t(lang, Object.keys(filter).length ? 'noMatchingConversations' : 'noConversations')}</p>;
  }
  return (
    <div className="conversation-scroller" ref={scroller} id="conversation-scroller">
      <ul
        className="conversations"
        id="conversations"
        aria-label={t(lang, 'conversations')}
        data-count={items.length}
        style={{ blockSize: virtualizer.getTotalSize() }}
      >
        {rows.map((row) => {
          const c = items[row.index];
          const w = windowLabel(lang, c.window);
          const selected = c.conversationId === selectedId;
          const tick = c.lastDirection === 'outbound' && c.lastStatus ? tickFor(lang, c.lastStatus as MessageStatus) : null;
          return (
            <li
              key={c.conversationId}
              className={`conversation${selected ? ' selected' : ''}${c.unreadCount > 0 ? ' has-unread' : ''}`}
              data-window={w.tone}
              data-id={c.conversationId}
              style={{ transform: `translateY(${row.start}px)`, blockSize: ROW_HEIGHT }}
            >
              <button
                type="button"
                className="conversation-button"
                aria-current={selected ? 'true' : undefined}
                onClick={() => onSelect(c)}
              >
                <span className="conversation-top">
                  <bdi className="customer" dir="auto">
                    {c.customerName ?? `+${c.customerPhone}`}
                  </bdi>
                  <span className="when">{time(lang, c.lastMessageAt)}</span>
                </span>
                <span className="conversation-bottom">
                  {tick && (
                    <span className={`list-tick tick-${tick.tone}`} aria-label={tick.label} title={tick.label}>
                      {tick.glyph ?? '·'}
                    </span>
                  )}
                  <span className="preview" dir="auto">
                    {c.lastDirection === 'outbound' ? t(lang, 'you') : ''}
                    {c.lastPreview ?? `[${c.lastType ?? ''}]`}
                  </span>
                  {c.unreadCount > 0 && (
                    <span className="unread" aria-label={t(lang, 'unreadCount', { count: c.unreadCount })}>
                      {c.unreadCount}
                    </span>
                  )}
                </span>
                <span className="conversation-meta">
                  <span className={`window-badge ${w.tone}`} title={w.detail ?? undefined}>
                    {w.text}
                  </span>
                  {c.customerBlocked && <span className="blocked-badge">{t(lang, 'blocked')}</span>}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
