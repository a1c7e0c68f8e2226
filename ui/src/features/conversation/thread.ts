// The thread's bookkeeping, kept pure so it is tested without a layout engine.
import { t, type Lang, type StringKey } from '../../i18n';
import type { Message, MessageCursor } from '../../ipc';
import { groupByDay } from './days';
import { readInteractive } from './interactive';

/** Orders cursors oldest first: by time, then by id. */
export function compareCursor(a: MessageCursor, b: MessageCursor): number {
  return a.createdAt - b.createdAt || a.id - b.id;
}

const byCursor = (a: Message, b: Message) => compareCursor(a.cursor, b.cursor);

/** An older page (newest first, as the core returns it) put in front of what is shown. */
export function prependOlder(current: Message[], olderNewestFirst: Message[]): Message[] {
  const have = new Set(current.map((m) => m.id));
  const older = olderNewestFirst.filter((m) => !have.has(m.id)).reverse();
  return older.length ? [...older, ...current].sort(byCursor) : current;
}

export interface Merged {
  messages: Message[];
  /** The fresh page does not reach what was shown: older history was dropped and must be paged in again. */
  gap: boolean;
  /** The fresh page holds the whole conversation. */
  complete: boolean;
}

/**
 * The newest page fetched again (newest first, at most `limit`) merged into the shown messages
 * (oldest first), by id: new ones appended, changed ones replaced, and ones gone from the range
 * the page covers dropped (deleted). Messages older than the page stay as they are.
 */
export function mergeMessages(current: Message[], freshNewestFirst: Message[], limit: number): Merged {
  const fresh = [...freshNewestFirst].reverse().sort(byCursor);
  if (fresh.length < limit) return { messages: fresh, gap: false, complete: true };
  const boundary = fresh[0].cursor;
  const newestShown = current[current.length - 1];
  if (newestShown && compareCursor(newestShown.cursor, boundary) < 0) {
    // More arrived than one page holds: what is shown no longer touches the newest page.
    return { messages: fresh, gap: true, complete: false };
  }
  const freshIds = new Set(fresh.map((m) => m.id));
  const older = current.filter((m) => compareCursor(m.cursor, boundary) < 0 && !freshIds.has(m.id));
  return { messages: [...older, ...fresh], gap: false, complete: false };
}

/** Inbound messages in `next` that are newer than anything in `prev`: what to announce. */
export function newInbound(prev: Message[], next: Message[]): Message[] {
  const have = new Set(prev.map((m) => m.id));
  const newest = prev[prev.length - 1];
  return next.filter(
    (m) => m.direction === 'inbound' && !have.has(m.id) && (!newest || compareCursor(m.cursor, newest.cursor) > 0),
  );
}

const MEDIA_KEY: Partial<Record<Message['type'], StringKey>> = {
  image: 'cvPhoto',
  video: 'cvVideo',
  audio: 'cvVoice',
  document: 'cvDocument',
  sticker: 'cvSticker',
};

/** A message in one short line, for announcements. */
export function previewOf(lang: Lang, m: Message): string {
  let s: string;
  const media = MEDIA_KEY[m.type];
  if (media) {
    const detail = m.mediaCaption ?? m.mediaFilename;
    s = detail ? `${t(lang, media)}: ${detail}` : t(lang, media);
  } else if (m.type === 'template') {
    s = m.renderedBody ?? m.text ?? '';
  } else if (m.type === 'interactive') {
    const v = readInteractive(m.interactive);
    s = v.replyTitle ?? v.body ?? m.text ?? '';
  } else if (m.type === 'location') {
    s = m.locationName ?? m.locationAddress ?? t(lang, 'cvLocation');
  } else if (m.type === 'reaction') {
    s = t(lang, 'cvReacted', { emoji: m.reactionEmoji ?? '' });
  } else {
    s = m.text ?? '';
  }
  s = s.replace(/\s+/g, ' ').trim();
  return s.length > 140 ? `${s.slice(0, 139)}…` : s;
}

/** What to announce for new inbound messages, or '' for none. */
export function announcement(lang: Lang, arrived: Message[]): string {
  if (arrived.length === 0) return '';
  if (arrived.length === 1) return t(lang, 'cvNewMessage', { preview: previewOf(lang, arrived[0]) });
  return t(lang, 'cvNewMessages', { count: arrived.length });
}

export type Row =
  | { kind: 'top'; key: 'top' }
  | { kind: 'day'; key: string; label: string }
  | { kind: 'message'; key: string; message: Message };

/** The rows the virtual list draws: a top row (older-page state), then each day's separator and messages. */
export function buildRows(lang: Lang, messages: Message[], now: Date): Row[] {
  const rows: Row[] = [{ kind: 'top', key: 'top' }];
  for (const day of groupByDay(lang, messages, now)) {
    if (day.label) rows.push({ kind: 'day', key: `day-${day.key}`, label: day.label });
    for (const m of day.messages) rows.push({ kind: 'message', key: `m-${m.id}`, message: m });
  }
  return rows;
}
