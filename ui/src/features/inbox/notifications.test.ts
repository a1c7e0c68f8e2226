import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../ipc';
import { noticesFor, type NoticeContext } from './notifications';

const now = Date.parse('2026-11-25T10:00:00Z');
const item = (id: number, over: Partial<InboxItem> = {}): InboxItem => ({
  conversationId: id,
  numberId: 1,
  numberName: 'Shop',
  customerId: id,
  customerName: `C${id}`,
  customerPhone: '966500000000',
  customerBlocked: false,
  lastMessageAt: '2026-11-25T09:59:00Z',
  unreadCount: 0,
  lastType: 'text',
  lastDirection: 'inbound',
  lastStatus: null,
  lastPreview: 'hello',
  window: { phase: 'open', active: true, expiresAt: '2026-11-26T09:59:00Z', remainingMinutes: 1439, source: 'local' },
  cursor: { lastMessageAt: 1, conversationId: id },
  ...over,
});
const ctx = (over: Partial<NoticeContext> = {}): NoticeContext => ({ openId: null, focused: true, now, notifyMessages: true, notifyClosing: true, ...over });

describe('notifications', () => {
  it('announce a new inbound message, except in the open, focused conversation', () => {
    const prev = [item(1), item(2)];
    const next = [item(1, { unreadCount: 1 }), item(2, { unreadCount: 2 })];
    const got = noticesFor(prev, next, ctx({ openId: 2 }));
    expect(got.map((n) => [n.kind, n.conversationId, n.body])).toEqual([['message', 1, 'hello']]);
    // Not focused: the open conversation is announced too.
    expect(noticesFor(prev, next, ctx({ openId: 2, focused: false })).length).toBe(2);
    // Turned off in settings.
    expect(noticesFor(prev, next, ctx({ notifyMessages: false }))).toEqual([]);
  });

  it('announce a conversation that comes back to the top with a new message', () => {
    const prev = [item(1, { lastMessageAt: '2026-11-25T09:00:00Z' })];
    const back = item(9, { unreadCount: 1, lastMessageAt: '2026-11-25T09:30:00Z' });
    expect(noticesFor(prev, [back, ...prev], ctx()).map((n) => n.conversationId)).toEqual([9]);
    // Scrolled into the list (older than what was shown): not news.
    const older = item(8, { unreadCount: 1, lastMessageAt: '2026-11-24T09:30:00Z' });
    expect(noticesFor(prev, [...prev, older], ctx())).toEqual([]);
  });

  it('do not announce the first load, reads, or our own messages', () => {
    expect(noticesFor([], [item(1, { unreadCount: 3 })], ctx())).toEqual([]);
    expect(noticesFor([item(1, { unreadCount: 3 })], [item(1, { unreadCount: 0 })], ctx())).toEqual([]);
    expect(noticesFor([item(1)], [item(1, { unreadCount: 1, lastDirection: 'outbound' })], ctx())).toEqual([]);
  });

  it('announce a window in its last hour, with a key that repeats for the same window', () => {
    const closing = item(3, { window: { phase: 'closing', active: true, expiresAt: '2026-11-25T10:40:00Z', remainingMinutes: 40, source: 'server' } });
    const [n] = noticesFor([], [closing], ctx());
    expect(n.kind).toBe('closing');
    expect(noticesFor([], [closing], ctx())[0].key).toBe(n.key);
    expect(noticesFor([], [closing], ctx({ notifyClosing: false }))).toEqual([]);
    expect(noticesFor([], [closing], ctx({ openId: 3 })), 'on screen: the banner says it').toEqual([]);
    const closed = item(4, { window: { phase: 'closed', active: false, expiresAt: '2026-11-25T09:00:00Z', remainingMinutes: 0, source: 'local' } });
    expect(noticesFor([], [closed], ctx())).toEqual([]);
  });
});
