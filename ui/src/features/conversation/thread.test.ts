import { describe, expect, it } from 'vitest';
import { msg } from './fixtures';
import { announcement, buildRows, compareCursor, mergeMessages, newInbound, prependOlder, previewOf } from './thread';
import type { Message } from '../../ipc';

const T0 = Date.parse('2026-02-26T10:00:00Z');
/** Message `id` at minute `id` after T0. */
const m = (id: number, over: Partial<Message> = {}) =>
  msg({ id, createdAt: new Date(T0 + id * 60_000).toISOString(), text: `m${id}`, ...over });
/** Ids from..to as the core pages them: newest first. */
const page = (from: number, to: number) => {
  const out: Message[] = [];
  for (let i = to; i >= from; i--) out.push(m(i));
  return out;
};
const ids = (ms: Message[]) => ms.map((x) => x.id);

describe('thread bookkeeping', () => {
  it('orders cursors by time then id', () => {
    expect(compareCursor({ createdAt: 1, id: 9 }, { createdAt: 2, id: 1 })).toBeLessThan(0);
    expect(compareCursor({ createdAt: 2, id: 2 }, { createdAt: 2, id: 1 })).toBeGreaterThan(0);
  });

  it('puts an older page (newest first) in front, oldest first, without duplicates', () => {
    const shown = page(11, 15).reverse();
    expect(ids(prependOlder(shown, page(6, 11)))).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(prependOlder(shown, [])).toBe(shown);
  });

  it('appends new messages and replaces changed ones', () => {
    const shown = page(1, 5).reverse();
    const fresh = page(1, 7);
    fresh[3] = m(4, { status: 'read', direction: 'outbound' }); // id 4 changed
    const r = mergeMessages(shown, fresh, 50);
    expect(ids(r.messages)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(r.messages.find((x) => x.id === 4)!.status).toBe('read');
    expect(r.complete).toBe(true);
  });

  it('keeps older pages outside the fresh page, drops deleted ones inside it', () => {
    const shown = page(1, 10).reverse(); // 1..10 shown, a page holds 5
    const fresh = page(7, 12).filter((x) => x.id !== 8).slice(0, 5); // 12,11,10,9,7 (8 deleted)
    const r = mergeMessages(shown, fresh, 5);
    expect(ids(r.messages)).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]);
    expect(r.gap).toBe(false);
    expect(r.complete).toBe(false);
  });

  it('a short fresh page is the whole conversation', () => {
    const r = mergeMessages(page(1, 5).reverse(), page(2, 4), 50);
    expect(ids(r.messages)).toEqual([2, 3, 4]);
    expect(r.complete).toBe(true);
    expect(mergeMessages(page(1, 5).reverse(), [], 50).messages).toEqual([]);
  });

  it('more new messages than a page: starts again from the fresh page', () => {
    const r = mergeMessages(page(1, 5).reverse(), page(20, 24), 5);
    expect(ids(r.messages)).toEqual([20, 21, 22, 23, 24]);
    expect(r.gap).toBe(true);
  });

  it('finds new inbound messages to announce, never older pages nor outbound ones', () => {
    const prev = page(5, 6).reverse();
    const next = [m(3), ...prev, m(7, { direction: 'outbound' }), m(8), m(9)];
    expect(ids(newInbound(prev, next))).toEqual([8, 9]);
    expect(announcement('en', newInbound(prev, next))).toBe('New messages: 2');
    expect(announcement('en', [m(8, { text: 'Is it  in\nstock?' })])).toBe('New message: Is it in stock?');
    expect(announcement('en', [])).toBe('');
  });

  it('previews every kind of message in a line', () => {
    expect(previewOf('en', m(1, { type: 'image', text: null, mediaCaption: 'box' }))).toBe('Photo: box');
    expect(previewOf('en', m(1, { type: 'audio', text: null }))).toBe('Voice message');
    expect(previewOf('en', m(1, { type: 'location', text: null, locationName: 'Home' }))).toBe('Home');
    expect(previewOf('en', m(1, { type: 'reaction', text: null, reactionEmoji: '👍' }))).toBe('Reacted 👍');
    expect(previewOf('en', m(1, { type: 'interactive', text: null, interactive: { type: 'button_reply', title: 'Yes' } }))).toBe('Yes');
    expect(previewOf('en', m(1, { text: 'x'.repeat(300) })).length).toBe(140);
  });

  it('builds rows: a top row, then a separator before each day', () => {
    const now = new Date(2026, 1, 26, 15);
    const local = (id: number, d: number, h: number) => msg({ id, createdAt: new Date(2026, 1, d, h).toISOString() });
    const rows = buildRows('en', [local(1, 25, 9), local(2, 25, 10), local(3, 26, 8)], now);
    expect(rows.map((r) => r.key)).toEqual(['top', 'day-2026-02-25', 'm-1', 'm-2', 'day-2026-02-26', 'm-3']);
    expect(rows.map((r) => (r.kind === 'day' ? r.label : null)).filter(Boolean)).toEqual(['Yesterday', 'Today']);
    expect(buildRows('en', [], now)).toHaveLength(1);
  });
});
