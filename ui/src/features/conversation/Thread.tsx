import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { t, type Lang } from '../../i18n';
import { messagesAfter, messagesAround, messagesPage, toAppError, type Message } from '../../ipc';
import { MessageBubble } from './MessageBubble';
import { announcement, buildRows, compareCursor, mergeMessages, newInbound, prependOlder, type Row } from './thread';
import './conversation.css';

export interface ThreadProps {
  lang: Lang;
  conversationId: number;
  /** Changes when the core announced changes: the newest page is fetched again and merged. */
  tick: number;
  /** Open at this message (found by search) instead of the newest one: it is scrolled into view and
   *  highlighted, older and newer pages load as the reader scrolls, and once the newest message is
   *  reached the thread behaves as usual. */
  anchorMessageId?: number | null;
  /** Changes to open at the same message again (a second click on the same search result). */
  anchorSeq?: number;
}

export const PAGE = 50;
/** How close to the top (px) the older page starts loading. */
const NEAR_TOP = 400;
/** How close to the bottom (px) still counts as "at the bottom". */
const NEAR_BOTTOM = 48;

const atBottom = (el: HTMLElement | null) => !el || el.scrollHeight - el.scrollTop - el.clientHeight <= NEAR_BOTTOM;
/** How long (ms) a message opened from search stays highlighted. */
export const FOUND_FLASH_MS = 4000;

/** A newer page (newest first, as the core returns it) put after what is shown. */
function appendNewer(current: Message[], newerNewestFirst: Message[]): Message[] {
  const have = new Set(current.map((m) => m.id));
  const newer = newerNewestFirst.filter((m) => !have.has(m.id));
  return newer.length ? [...current, ...newer].sort((a, b) => compareCursor(a.cursor, b.cursor)) : current;
}

/** The first message row at least partly in view, and how far the view's top is below its top. */
function firstMessageInView(place: { virtualizer: Virtualizer<HTMLDivElement, Element>; rows: Row[] } | null) {
  if (!place) return null;
  const top = place.virtualizer.scrollOffset ?? 0;
  const item = place.virtualizer.getVirtualItems().find((i) => i.end > top && place.rows[i.index]?.kind === 'message');
  return item ? { key: String(item.key), delta: top - item.start } : null;
}

/**
 * The messages of one conversation, oldest at the top, virtualised. Opens at the newest message,
 * pages older ones in near the top without moving what is on screen, and follows new messages
 * when the reader is at the bottom.
 */
export function Thread({ lang, conversationId, tick, anchorMessageId = null, anchorSeq = 0 }: ThreadProps) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const [older, setOlder] = useState<'idle' | 'loading' | 'error'>('idle');
  const [olderError, setOlderError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const [reload, setReload] = useState(0);
  // Anchor mode: the reader opened a message found by search.
  const anchorKey = anchorMessageId === null ? null : `${anchorMessageId}:${anchorSeq}`;
  /** The anchor the reader left with "Go to the newest messages". */
  const [leftAnchor, setLeftAnchor] = useState<string | null>(null);
  const anchor = anchorKey !== null && leftAnchor !== anchorKey ? anchorMessageId : null;
  /** Newer messages than the newest shown may exist (anchor mode until an empty newer page). */
  const [anchored, setAnchored] = useState(false);
  const [newer, setNewer] = useState<'idle' | 'loading' | 'error'>('idle');
  const [newerError, setNewerError] = useState<string | null>(null);
  /** The message opened from search (`data-found`), and whether it is still highlighted. */
  const [found, setFound] = useState<number | null>(null);
  const [flash, setFlash] = useState(0);

  const scrollRef = useRef<HTMLDivElement>(null);
  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  /** Scroll to the newest message after the next render. */
  const stickRef = useRef(true);
  /** The conversation the running requests belong to. */
  const convRef = useRef(conversationId);
  convRef.current = conversationId;
  const olderBusy = useRef(false);
  const newerBusy = useRef(false);
  const anchoredRef = useRef(false);
  /** Scroll this message into view after the next render (anchor mode). */
  const seekRef = useRef<number | null>(null);
  /** Counts the first loads: a page asked for before the latest one is dropped. */
  const loadGen = useRef(0);
  /** An older page went in: keep this message row (by key) where it was, `delta` px below the view's top. */
  const keepRef = useRef<{ key: string; delta: number } | null>(null);
  /** The virtualiser and its rows as last rendered, for `loadOlder` to note what is in view. */
  const placeRef = useRef<{ virtualizer: Virtualizer<HTMLDivElement, Element>; rows: Row[] } | null>(null);

  // The newest page when a conversation opens, or the messages around the anchor.
  useEffect(() => {
    let live = true;
    const gen = ++loadGen.current;
    setState('loading');
    setMessages([]);
    setHasMore(false);
    setOlder('idle');
    setNewer('idle');
    setAnnounce('');
    setFound(anchor);
    setFlash(anchor !== null ? gen : 0);
    olderBusy.current = false;
    newerBusy.current = false;
    anchoredRef.current = false;
    setAnchored(false);
    seekRef.current = null;
    const newest = (page: Message[]) => {
      if (!live || loadGen.current !== gen) return;
      stickRef.current = true;
      setMessages([...page].reverse());
      setHasMore(page.length === PAGE);
      setState('ready');
    };
    const around = (page: Message[]) => {
      if (!live || loadGen.current !== gen) return;
      const sorted = [...page].sort((a, b) => compareCursor(a.cursor, b.cursor));
      const at = sorted.findIndex((m) => m.id === anchor);
      seekRef.current = anchor;
      stickRef.current = false;
      anchoredRef.current = true;
      setAnchored(true);
      setMessages(sorted);
      // Up to half a page on each side: fewer older ones than that is the start of the conversation.
      setHasMore(at < 0 || at >= Math.floor(PAGE / 2) - 1);
      setState('ready');
    };
    const failed = (e: unknown) => {
      if (!live) return;
      setError(toAppError(e).message);
      setState('error');
    };
    if (anchor === null) {
      messagesPage(conversationId, undefined, PAGE).then(newest, failed);
    } else {
      messagesAround(conversationId, anchor, PAGE).then((page) => {
        if (page.length > 0) return around(page);
        // The message is gone (deleted since it was found): open at the newest as usual.
        if (!live) return;
        setFound(null);
        return messagesPage(conversationId, undefined, PAGE).then(newest, failed);
      }, failed);
    }
    return () => {
      live = false;
    };
    // `anchorSeq` opens the same message again.
  }, [conversationId, reload, anchor, anchorSeq]);

  // The found message stays marked; its highlight fades after a few seconds.
  useEffect(() => {
    if (!flash) return;
    const timer = setTimeout(() => setFlash(0), FOUND_FLASH_MS);
    return () => clearTimeout(timer);
  }, [flash]);

  // The core announced changes: fetch the newest page again and merge it in.
  const firstTick = useRef(tick);
  useEffect(() => {
    if (tick === firstTick.current) return;
    firstTick.current = tick;
    // In anchor mode the newest page is not joined to what is shown: newer pages bring changes in.
    if (state !== 'ready' || anchoredRef.current) return;
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
    const gen = loadGen.current;
    messagesPage(id, first.cursor, PAGE).then(
      (page) => {
        if (loadGen.current !== gen) return;
        olderBusy.current = false;
        if (convRef.current !== id) return;
        keepRef.current = firstMessageInView(placeRef.current);
        setMessages((prev) => prependOlder(prev, page));
        setHasMore(page.length === PAGE);
        setOlder('idle');
      },
      (e: unknown) => {
        if (loadGen.current !== gen) return;
        olderBusy.current = false;
        if (convRef.current !== id) return;
        setOlderError(toAppError(e).message);
        setOlder('error');
      },
    );
  }, [conversationId]);

  // Anchor mode: the next newer page, until an empty one says the newest message is shown.
  const loadNewer = useCallback(() => {
    const list = messagesRef.current;
    const last = list[list.length - 1];
    if (!last || newerBusy.current || !anchoredRef.current) return;
    newerBusy.current = true;
    setNewer('loading');
    const id = conversationId;
    const gen = loadGen.current;
    messagesAfter(id, last.cursor, PAGE).then(
      (page) => {
        if (loadGen.current !== gen) return;
        newerBusy.current = false;
        if (page.length === 0) {
          anchoredRef.current = false;
          setAnchored(false);
        } else {
          setMessages((prev) => appendNewer(prev, page));
        }
        setNewer('idle');
      },
      (e: unknown) => {
        if (loadGen.current !== gen) return;
        newerBusy.current = false;
        setNewerError(toAppError(e).message);
        setNewer('error');
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
  placeRef.current = { virtualizer, rows };

  // Open at the newest message, and follow new ones when the reader was at the bottom.
  useLayoutEffect(() => {
    if (state !== 'ready') return;
    // The virtualiser keeps the row at the view's top in place when rows go in front, but at the very top
    // that row is the "start of the conversation" row or a day separator, which stay first: keep the
    // first message that was in view in place instead.
    const keep = keepRef.current;
    keepRef.current = null;
    if (keep) {
      const at = rows.findIndex((r) => r.key === keep.key);
      const start = at >= 0 ? virtualizer.getOffsetForIndex(at, 'start')?.[0] : undefined;
      if (start !== undefined) virtualizer.scrollToOffset(Math.max(0, start + keep.delta));
    }
    if (seekRef.current !== null) {
      const id = seekRef.current;
      seekRef.current = null;
      const at = rows.findIndex((r) => r.kind === 'message' && r.message.id === id);
      if (at >= 0) virtualizer.scrollToIndex(at, { align: 'center' });
      return;
    }
    if (!stickRef.current) return;
    stickRef.current = false;
    if (rows.length > 1) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
  }, [rows, state, virtualizer]);

  // Near the top, or nothing to scroll yet: page older messages in.
  const maybeLoadOlder = useCallback(() => {
    const el = scrollRef.current;
    if (!el || state !== 'ready' || !hasMore || older !== 'idle' || olderBusy.current) return;
    if (el.scrollTop < NEAR_TOP) loadOlder();
  }, [state, hasMore, older, loadOlder]);

  // Anchor mode, near the bottom: page newer messages in.
  const maybeLoadNewer = useCallback(() => {
    const el = scrollRef.current;
    if (!el || state !== 'ready' || !anchored || newer !== 'idle' || newerBusy.current) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_TOP) loadNewer();
  }, [state, anchored, newer, loadNewer]);

  const onScroll = useCallback(() => {
    maybeLoadOlder();
    maybeLoadNewer();
  }, [maybeLoadOlder, maybeLoadNewer]);

  useEffect(() => {
    const el = scrollRef.current;
    // A first page that does not fill the view gives no scroll to react to.
    if (el && state === 'ready' && hasMore && older === 'idle' && el.scrollHeight > 0 && el.scrollHeight <= el.clientHeight) {
      loadOlder();
    }
  }, [state, hasMore, older, rows, loadOlder]);

  useEffect(() => {
    const el = scrollRef.current;
    if (el && state === 'ready' && anchored && newer === 'idle' && el.scrollHeight > 0 && el.scrollHeight <= el.clientHeight) {
      loadNewer();
    }
  }, [state, anchored, newer, rows, loadNewer]);

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
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          const isFound = row.kind === 'message' && row.message.id === found;
          return (
            <div
              key={item.key}
              data-index={item.index}
              data-key={String(item.key)}
              data-found={isFound ? 'true' : undefined}
              ref={virtualizer.measureElement}
              className={isFound && flash !== 0 ? 'thread-row found' : 'thread-row'}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {renderRow(row)}
            </div>
          );
        })}
      </div>
    );
  }

  const bottom =
    state === 'ready' && anchored ? (
      <div className="thread-bottom">
        {newer === 'error' ? (
          <>
            <p className="thread-error" role="alert" dir="auto">
              {newerError}
            </p>
            <button type="button" className="small secondary" onClick={loadNewer}>
              {t(lang, 'cvTryAgain')}
            </button>
          </>
        ) : (
          <p className="muted">{newer === 'loading' ? t(lang, 'searchLoadingNewer') : '\u00a0'}</p>
        )}
      </div>
    ) : null;

  return (
    <div className="thread-wrap">
      <div
        id="thread"
        className="thread"
        ref={scrollRef}
        onScroll={onScroll}
        role="region"
        aria-label={t(lang, 'cvThreadLabel')}
        aria-busy={state === 'loading' || older === 'loading' || newer === 'loading'}
        tabIndex={0}
        data-state={state}
      >
        {body}
        {bottom}
      </div>
      {state === 'ready' && anchored && anchorKey !== null && (
        <button type="button" id="thread-newest" className="small secondary thread-newest" onClick={() => setLeftAnchor(anchorKey)}>
          {t(lang, 'searchJumpNewest')} ↓
        </button>
      )}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announce}
      </div>
    </div>
  );
}
