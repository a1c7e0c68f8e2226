import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { t, type Lang } from '../../i18n';
import { messagesPage, toAppError, type Message } from '../../ipc';
import { MessageBubble } from './MessageBubble';
import { announcement, buildRows, mergeMessages, newInbound, prependOlder, type Row } from './thread';
import './conversation.css';

export interface ThreadProps {
  lang: Lang;
  conversationId: number;
  /** Changes when the core announced changes: the newest page is fetched again and merged. */
  tick: number;
}

export const PAGE = 50;
/** How close to the top (px) the older page starts loading. */
const NEAR_TOP = 400;
/** How close to the bottom (px) still counts as "at the bottom". */
const NEAR_BOTTOM = 48;

const atBottom = (el: HTMLElement | null) => !el || el.scrollHeight - el.scrollTop - el.clientHeight <= NEAR_BOTTOM;

/**
 * The messages of one conversation, oldest at the top, virtualised. Opens at the newest message,
 * pages older ones in near the top without moving what is on screen, and follows new messages
 * when the reader is at the bottom.
 */
export function Thread({ lang, conversationId, tick }: ThreadProps) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const [older, setOlder] = useState<'idle' | 'loading' | 'error'>('idle');
  const [olderError, setOlderError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const [reload, setReload] = useState(0);

  const scrollRef = useRef<HTMLDivElement>(null);
  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  /** Scroll to the newest message after the next render. */
  const stickRef = useRef(true);
  /** The conversation the running requests belong to. */
  const convRef = useRef(conversationId);
  convRef.current = conversationId;
  const olderBusy = useRef(false);

  // The newest page, when a conversation opens.
  useEffect(() => {
    let live = true;
    setState('loading');
    setMessages([]);
    setHasMore(false);
    setOlder('idle');
    setAnnounce('');
    olderBusy.current = false;
    messagesPage(conversationId, undefined, PAGE).then(
      (page) => {
        if (!live) return;
        stickRef.current = true;
        setMessages([...page].reverse());
        setHasMore(page.length === PAGE);
        setState('ready');
      },
      (e: unknown) => {
        if (!live) return;
        setError(toAppError(e).message);
        setState('error');
      },
    );
    return () => {
      live = false;
    };
  }, [conversationId, reload]);

  // The core announced changes: fetch the newest page again and merge it in.
  const firstTick = useRef(tick);
  useEffect(() => {
    if (tick === firstTick.current) return;
    firstTick.current = tick;
    if (state !== 'ready') return;
    let live = true;
    const id = conversationId;
    messagesPage(id, undefined, PAGE).then(
      (page) => {
        if (!live || convRef.current !== id) return;
        const prev = messagesRef.current;
        const merged = mergeMessages(prev, page, PAGE);
        if (atBottom(scrollRef.current)) stickRef.current = true;
        setMessages(merged.messages);
        if (merged.complete) setHasMore(false);
        else if (merged.gap) setHasMore(true);
        const text = announcement(lang, newInbound(prev, merged.messages));
        if (text) setAnnounce(text);
      },
      () => {
        // A failed refresh changes nothing on screen; the next change event tries again.
      },
    );
    return () => {
      live = false;
    };
    // Only a new tick refetches; `state` and `lang` are read as they are then.
  }, [tick]);

  const loadOlder = useCallback(() => {
    const first = messagesRef.current[0];
    if (!first || olderBusy.current) return;
    olderBusy.current = true;
    setOlder('loading');
    const id = conversationId;
    messagesPage(id, first.cursor, PAGE).then(
      (page) => {
        olderBusy.current = false;
        if (convRef.current !== id) return;
        setMessages((prev) => prependOlder(prev, page));
        setHasMore(page.length === PAGE);
        setOlder('idle');
      },
      (e: unknown) => {
        olderBusy.current = false;
        if (convRef.current !== id) return;
        setOlderError(toAppError(e).message);
        setOlder('error');
      },
    );
  }, [conversationId]);

  const rows = useMemo(() => buildRows(lang, messages, new Date()), [lang, messages]);
  const getItemKey = useCallback((i: number) => rows[i]?.key ?? i, [rows]);
  const estimateSize = useCallback((i: number) => (rows[i]?.kind === 'message' ? 76 : 40), [rows]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    getItemKey,
    overscan: 8,
    // Chat mode: rows put in front (older pages) keep what is on screen in place,
    // and a reader at the bottom stays there while rows grow.
    anchorTo: 'end',
  });

  // Open at the newest message, and follow new ones when the reader was at the bottom.
  useLayoutEffect(() => {
    if (state !== 'ready' || !stickRef.current) return;
    stickRef.current = false;
    if (rows.length > 1) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
  }, [rows, state, virtualizer]);

  // Near the top, or nothing to scroll yet: page older messages in.
  const maybeLoadOlder = useCallback(() => {
    const el = scrollRef.current;
    if (!el || state !== 'ready' || !hasMore || older !== 'idle' || olderBusy.current) return;
    if (el.scrollTop < NEAR_TOP) loadOlder();
  }, [state, hasMore, older, loadOlder]);

  useEffect(() => {
    const el = scrollRef.current;
    // A first page that does not fill the view gives no scroll to react to.
    if (el && state === 'ready' && hasMore && older === 'idle' && el.scrollHeight > 0 && el.scrollHeight <= el.clientHeight) {
      loadOlder();
    }
  }, [state, hasMore, older, rows, loadOlder]);

  const onLocalChange = useCallback((id: number, next: Message | null) => {
    setMessages((prev) => (next === null ? prev.filter((m) => m.id !== id) : prev.map((m) => (m.id === id ? next : m))));
  }, []);

  const renderRow = (row: Row) => {
    switch (row.kind) {
      case 'top':
        if (older === 'loading') return <p className="thread-top muted">{t(lang, 'cvLoadingOlder')}</p>;
        if (older === 'error')
          return (
            <div className="thread-top">
              <p className="thread-error" role="alert" dir="auto">
                {olderError}
              </p>
              <button type="button" className="small secondary" onClick={loadOlder}>
                {t(lang, 'cvTryAgain')}
              </button>
            </div>
          );
        if (!hasMore && messages.length > 0) return <p className="thread-top muted">{t(lang, 'cvStartOfConversation')}</p>;
        return <div className="thread-top" />;
      case 'day':
        return (
          <div className="day-separator">
            <h3 className="day-label">{row.label}</h3>
          </div>
        );
      default:
        return <MessageBubble lang={lang} message={row.message} onLocalChange={onLocalChange} />;
    }
  };

  let body;
  if (state === 'loading') {
    body = <p className="thread-state muted">{t(lang, 'cvLoadingMessages')}</p>;
  } else if (state === 'error') {
    body = (
      <div className="thread-state">
        <p className="thread-error" role="alert" dir="auto">
          {error}
        </p>
        <button type="button" className="secondary" onClick={() => setReload((r) => r + 1)}>
          {t(lang, 'cvTryAgain')}
        </button>
      </div>
    );
  } else if (messages.length === 0) {
    body = <p className="thread-state muted">{t(lang, 'cvNoMessages')}</p>;
  } else {
    body = (
      <div className="thread-inner" style={{ blockSize: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div
            key={item.key}
            data-index={item.index}
            data-key={String(item.key)}
            ref={virtualizer.measureElement}
            className="thread-row"
            style={{ transform: `translateY(${item.start}px)` }}
          >
            {renderRow(rows[item.index])}
          </div>
        ))}
      </div>
    );
  }

  return (
    <div className="thread-wrap">
      <div
        id="thread"
        className="thread"
        ref={scrollRef}
        onScroll={maybeLoadOlder}
        role="region"
        aria-label={t(lang, 'cvThreadLabel')}
        aria-busy={state === 'loading' || older === 'loading'}
        tabIndex={0}
        data-state={state}
      >
        {body}
      </div>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announce}
      </div>
    </div>
  );
}
