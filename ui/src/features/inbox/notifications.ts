// Which desktop notifications a change of the inbox calls for. Pure, so the rules are tested
// apart from the notification system that shows them.
import type { InboxItem } from '../../ipc';

export interface Notice {
  /** One key per event, so the same message or closing window is never announced twice. */
  key: string;
  conversationId: number;
  kind: 'message' | 'closing';
  title: string;
  body: string;
}

export interface NoticeContext {
  /** The conversation on screen, and whether the window has the focus. */
  openId: number | null;
  focused: boolean;
  now: number;
  notifyMessages: boolean;
  notifyClosing: boolean;
}

const HOUR = 60 * 60 * 1000;

/**
 * New inbound messages (a conversation whose unread count grew, or that newly reached the top with
 * unread messages) and windows that entered their last hour; neither for the conversation open
 * in a focused window.
 */
export function noticesFor(prev: InboxItem[], next: InboxItem[], ctx: NoticeContext): Notice[] {
  const before = new Map(prev.map((i) => [i.conversationId, i]));
  // A conversation that was not among the rows shown before is new to the list when its activity
  // is newer than anything shown then (a quiet customer who writes again jumps to the top).
  const newest = prev.reduce((m, i) => Math.max(m, i.lastMessageAt ? Date.parse(i.lastMessageAt) : 0), 0);
  const out: Notice[] = [];
  for (const item of next) {
    const name = item.customerName ?? `+${item.customerPhone}`;
    const old = before.get(item.conversationId);
    const at = item.lastMessageAt ? Date.parse(item.lastMessageAt) : 0;
    const grew = old ? item.unreadCount > old.unreadCount : prev.length > 0 && item.unreadCount > 0 && at > newest;
    const onScreen = ctx.focused && ctx.openId === item.conversationId;
    if (ctx.notifyMessages && grew && !onScreen && item.lastDirection === 'inbound') {
      out.push({
        key: `m:${item.conversationId}:${item.lastMessageAt}`,
        conversationId: item.conversationId,
        kind: 'message',
        title: name,
        body: item.lastPreview ?? '',
      });
    }
    const expires = item.window.expiresAt ? Date.parse(item.window.expiresAt) : NaN;
    if (ctx.notifyClosing && !onScreen && item.window.active && expires - ctx.now <= HOUR && expires > ctx.now) {
      out.push({
        key: `c:${item.conversationId}:${item.window.expiresAt}`,
        conversationId: item.conversationId,
        kind: 'closing',
        title: name,
        body: '',
      });
    }
  }
  return out;
}
