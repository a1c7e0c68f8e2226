import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import { Thread } from './Thread';
import { msg } from './fixtures';
import type { Message, MessageCursor } from '../../ipc';

// jsdom has no layout: give every element a size so the virtualiser has a viewport to fill.
const sizes = {
  clientHeight: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight'),
  clientWidth: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth'),
};
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 800 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 600 });
});
afterAll(() => {
  if (sizes.clientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', sizes.clientHeight);
  if (sizes.clientWidth) Object.defineProperty(HTMLElement.prototype, 'clientWidth', sizes.clientWidth);
});

// Nor does it lay rows out: every test gets rows of a message's height, and a thread that scrolls where it is
// told. Without this, jsdom measures every row at 0 px and what is in view after a page goes in depends on
// when the virtualiser's deferred work (scroll reconcile frames, the scrolling debounce) happens to run.
const saved = ['offsetHeight', 'scrollTop', 'scrollHeight', 'scrollTo'].map((k) => [k, Object.getOwnPropertyDescriptor(HTMLElement.prototype, k)] as const);
const tops = new WeakMap<HTMLElement, number>();
beforeEach(() => {
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('thread-row') ? 76 : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      const inner = this.querySelector<HTMLElement>(':scope > .thread-inner');
      return inner ? parseFloat(inner.style.blockSize) || 0 : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'scrollTop', {
    configurable: true,
    get(this: HTMLElement) {
      return tops.get(this) ?? 0;
    },
    set(this: HTMLElement, v: number) {
      tops.set(this, Math.max(0, Math.min(v, this.scrollHeight - this.clientHeight)));
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'scrollTo', {
    configurable: true,
    value(this: HTMLElement, o: ScrollToOptions) {
      if (o.top !== undefined) this.scrollTop = o.top;
      this.dispatchEvent(new Event('scroll'));
    },
  });
});
function restoreLayout() {
  for (const [k, d] of saved) {
    if (d) Object.defineProperty(HTMLElement.prototype, k, d);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[k];
  }
}

const T0 = new Date(2026, 1, 26, 9).getTime();
const m = (id: number, over: Partial<Message> = {}) =>
  msg({ id, createdAt: new Date(T0 + id * 60_000).toISOString(), text: `message ${id}`, ...over });
/** Ids from..to, newest first as the core pages them. */
const page = (from: number, to: number, over: Partial<Message> = {}) => {
  const out: Message[] = [];
  for (let i = to; i >= from; i--) out.push(m(i, over));
  return out;
};

type PageArgs = { conversationId: number; before: MessageCursor | null; limit: number | null };
function core(pages: (a: PageArgs) => Message[] | Promise<Message[]>) {
  invoke.mockImplementation(async (cmd: string, args: PageArgs) => {
    if (cmd === 'messages_page') return pages(args);
    if (cmd === 'delete_message') return undefined;
    throw { code: 'INTERNAL', message: `unexpected ${cmd}` };
  });
}

const shownIds = (c: HTMLElement) => [...c.querySelectorAll<HTMLElement>('article.message')].map((a) => Number(a.dataset.id));
const pageCalls = () => invoke.mock.calls.filter((c) => c[0] === 'messages_page').map((c) => c[1] as PageArgs);

afterEach(() => {
  cleanup();
  invoke.mockReset();
  restoreLayout();
});

describe('Thread', () => {
  it('shows the newest page oldest at the top, with day separators', async () => {
    core(() => [...page(2, 3), m(1, { createdAt: new Date(T0 - 86_400_000).toISOString(), text: 'from the day before' })]);
    const { container } = render(<Thread lang="en" conversationId={7} tick={0} />);
    expect(screen.getByText('Loading messages…')).toBeTruthy();
    await waitFor(() => expect(shownIds(container)).toEqual([1, 2, 3]));
    expect(container.querySelector('#thread')).toBeTruthy();
    expect(pageCalls()[0]).toEqual({ conversationId: 7, before: null, limit: 50 });
    const labels = [...container.querySelectorAll('.day-label')].map((d) => d.textContent);
    expect(labels).toHaveLength(2);
    expect(screen.getByText('from the day before')).toBeTruthy();
    // A short page is the whole conversation.
    expect(screen.getByText('Start of the conversation')).toBeTruthy();
  });

  it('loads the previous page near the top, and stops at a short page', async () => {
    core(({ before }) => {
      if (!before) return page(51, 100);
      if (before.id === 51) return page(1, 50);
      return [];
    });
    const { container } = render(<Thread lang="en" conversationId={7} tick={0} />);
    await waitFor(() => expect(shownIds(container).length).toBeGreaterThan(0));
    expect(shownIds(container)).toContain(100);
    // It opened at the newest message: the oldest of the page is far out of view, not rendered.
    expect(shownIds(container)).not.toContain(51);
    const thread = container.querySelector<HTMLElement>('#thread')!;
    thread.scrollTop = 0;
    fireEvent.scroll(thread);
    await waitFor(() => expect(pageCalls()).toHaveLength(2));
    expect(pageCalls()[1].before).toEqual({ createdAt: m(51).cursor.createdAt, id: 51 });
    expect(pageCalls()[1].limit).toBe(50);
    // The older page is in, and the view stayed on the message that was at the top, not jumped.
    await waitFor(() => expect(shownIds(container)).toContain(50));
    expect(shownIds(container)).toContain(51);
    expect(shownIds(container)).not.toContain(1);
    expect(shownIds(container)).not.toContain(100);
    // A full page: there may be more.
    thread.scrollTop = 0;
    fireEvent.scroll(thread);
    await waitFor(() => expect(pageCalls()).toHaveLength(3));
    expect(pageCalls()[2].before?.id).toBe(1);
    await act(async () => {});
    fireEvent.scroll(thread);
    fireEvent.scroll(thread);
    await act(async () => {});
    expect(pageCalls()).toHaveLength(3);
  });

  it('merges the newest page when the core announces changes, and announces new customer messages', async () => {
    let newest = page(1, 3, { direction: 'outbound', status: 'sent' });
    core(() => newest);
    const { container, rerender } = render(<Thread lang="en" conversationId={7} tick={0} />);
    await waitFor(() => expect(shownIds(container)).toEqual([1, 2, 3]));
    expect(container.querySelector('[data-id="3"]')!.getAttribute('data-status')).toBe('sent');

    newest = [m(4, { text: 'Is it in stock?' }), m(3, { direction: 'outbound', status: 'read' }), ...page(1, 2, { direction: 'outbound', status: 'sent' })];
    rerender(<Thread lang="en" conversationId={7} tick={1} />);
    await waitFor(() => expect(shownIds(container)).toEqual([1, 2, 3, 4]));
    expect(container.querySelector('[data-id="3"]')!.getAttribute('data-status')).toBe('read');
    const live = container.querySelector('[aria-live="polite"]')!;
    expect(live.textContent).toBe('New message: Is it in stock?');
    expect(pageCalls()).toHaveLength(2);
    expect(pageCalls()[1]).toEqual({ conversationId: 7, before: null, limit: 50 });

    // An outbound change is not announced again.
    newest = [m(5, { direction: 'outbound', status: 'pending' }), ...newest];
    rerender(<Thread lang="en" conversationId={7} tick={2} />);
    await waitFor(() => expect(shownIds(container)).toEqual([1, 2, 3, 4, 5]));
    expect(live.textContent).toBe('New message: Is it in stock?');
  });

  it('drops a message deleted from its bubble', async () => {
    core(() => [m(2, { direction: 'outbound', status: 'failed', canDelete: true }), m(1)]);
    const { container } = render(<Thread lang="en" conversationId={7} tick={0} />);
    await waitFor(() => expect(shownIds(container)).toEqual([1, 2]));
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(shownIds(container)).toEqual([1]));
    expect(invoke).toHaveBeenCalledWith('delete_message', { messageId: 2 });
  });

  it('says when loading failed and tries again', async () => {
    let fail = true;
    invoke.mockImplementation(async () => {
      if (fail) throw { code: 'DB_UNAVAILABLE', message: 'The archive is busy.' };
      return [m(1)];
    });
    const { container } = render(<Thread lang="en" conversationId={7} tick={0} />);
    expect((await screen.findByRole('alert')).textContent).toBe('The archive is busy.');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(shownIds(container)).toEqual([1]));
  });

  it('says when a conversation has no messages, and starts again for another conversation', async () => {
    core(({ conversationId }) => (conversationId === 7 ? [] : [m(1, { text: 'other conversation' })]));
    const { rerender } = render(<Thread lang="en" conversationId={7} tick={0} />);
    expect(await screen.findByText('No messages in this conversation yet.')).toBeTruthy();
    rerender(<Thread lang="en" conversationId={8} tick={0} />);
    expect(await screen.findByText('other conversation')).toBeTruthy();
  });
});

describe('Thread opened at a message found by search', () => {
  type AroundArgs = { conversationId: number; messageId: number; limit: number | null };
  type AfterArgs = { conversationId: number; after: MessageCursor; limit: number | null };
  function anchoredCore(answers: {
    around: (a: AroundArgs) => Message[];
    after?: (a: AfterArgs) => Message[];
    page?: (a: PageArgs) => Message[];
  }) {
    invoke.mockImplementation(async (cmd: string, args: never) => {
      if (cmd === 'messages_around') return answers.around(args);
      if (cmd === 'messages_after' && answers.after) return answers.after(args);
      if (cmd === 'messages_page' && answers.page) return answers.page(args);
      throw { code: 'INTERNAL', message: `unexpected ${cmd}` };
    });
  }
  const calls = <T,>(cmd: string) => invoke.mock.calls.filter((c) => c[0] === cmd).map((c) => c[1] as T);
  /** The reader scrolls to `fromEnd` px above the bottom. */
  function scrollNearEnd(thread: HTMLElement, fromEnd = 100) {
    thread.scrollTop = thread.scrollHeight - thread.clientHeight - fromEnd;
    fireEvent.scroll(thread);
  }

  it('loads the messages around it, scrolls to it and marks it', async () => {
    anchoredCore({ around: () => page(76, 124) });
    const { container } = render(<Thread lang="en" conversationId={7} tick={0} anchorMessageId={100} anchorSeq={1} />);
    await waitFor(() => expect(container.querySelector('[data-found="true"]')).not.toBeNull());
    expect(calls<AroundArgs>('messages_around')).toEqual([{ conversationId: 7, messageId: 100, limit: 50 }]);
    expect(calls('messages_page')).toHaveLength(0);
    const found = container.querySelector<HTMLElement>('[data-found="true"]')!;
    expect(found.querySelector('article.message')!.getAttribute('data-id')).toBe('100');
    expect(found.classList.contains('found')).toBe(true);
    expect(container.querySelectorAll('[data-found="true"]')).toHaveLength(1);
    // Scrolled to the found message, not to the newest one.
    expect(shownIds(container)).toContain(100);
    expect(shownIds(container)).not.toContain(124);
  });

  it('pages newer messages in toward the newest end, then follows live changes as usual', async () => {
    let newest = page(101, 130);
    anchoredCore({
      around: () => page(51, 100),
      after: ({ after }) => (after.id === 100 ? page(101, 110) : after.id === 110 ? [] : []),
      page: ({ before }) => (before ? [] : newest),
    });
    const { container, rerender } = render(<Thread lang="en" conversationId={7} tick={0} anchorMessageId={75} anchorSeq={1} />);
    await waitFor(() => expect(container.querySelector('[data-found="true"] [data-id="75"]')).not.toBeNull());
    expect(screen.getByRole('button', { name: 'Go to the newest messages ↓' })).toBeTruthy();
    // While not at the newest, a change event does not join the newest page to what is shown.
    rerender(<Thread lang="en" conversationId={7} tick={1} anchorMessageId={75} anchorSeq={1} />);
    await act(async () => {});
    expect(calls('messages_page')).toHaveLength(0);

    const thread = container.querySelector<HTMLElement>('#thread')!;
    expect(calls('messages_after')).toHaveLength(0);
    const before = thread.scrollHeight;
    scrollNearEnd(thread);
    await waitFor(() => expect(calls<AfterArgs>('messages_after')).toHaveLength(1));
    expect(calls<AfterArgs>('messages_after')[0]).toEqual({ conversationId: 7, after: { createdAt: m(100).cursor.createdAt, id: 100 }, limit: 50 });
    // The newer page goes below what is shown, which stays in place.
    await waitFor(() => expect(shownIds(container)).toContain(101));
    expect(shownIds(container)).toContain(90);
    expect(thread.scrollHeight).toBeGreaterThan(before + 9 * 76);
    // Older messages were not asked for: the reader is far from the top.
    expect(calls('messages_page')).toHaveLength(0);

    scrollNearEnd(thread);
    await waitFor(() => expect(calls<AfterArgs>('messages_after')).toHaveLength(2));
    expect(calls<AfterArgs>('messages_after')[1].after.id).toBe(110);
    // An empty page: the newest message is on screen, and the thread is a normal one again.
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Go to the newest messages ↓' })).toBeNull());
    scrollNearEnd(thread);
    await act(async () => {});
    expect(calls('messages_after')).toHaveLength(2);
    newest = page(101, 131);
    rerender(<Thread lang="en" conversationId={7} tick={2} anchorMessageId={75} anchorSeq={1} />);
    await waitFor(() => expect(calls<PageArgs>('messages_page')).toHaveLength(1));
    expect(calls<PageArgs>('messages_page')[0]).toEqual({ conversationId: 7, before: null, limit: 50 });
  });

  it('leaves the found message for the newest ones on request', async () => {
    anchoredCore({ around: () => page(76, 100), page: () => page(200, 210) });
    const { container } = render(<Thread lang="en" conversationId={7} tick={0} anchorMessageId={90} anchorSeq={1} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Go to the newest messages ↓' }));
    await waitFor(() => expect(shownIds(container)).toContain(210));
    expect(container.querySelector('[data-found="true"]')).toBeNull();
    expect(calls<PageArgs>('messages_page')[0]).toEqual({ conversationId: 7, before: null, limit: 50 });
  });

  it('stops highlighting after a few seconds but keeps the mark', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      anchoredCore({ around: () => page(1, 5) });
      const { container } = render(<Thread lang="en" conversationId={7} tick={0} anchorMessageId={3} anchorSeq={1} />);
      await waitFor(() => expect(container.querySelector('[data-found="true"]')?.classList.contains('found')).toBe(true));
      await act(async () => {
        vi.advanceTimersByTime(4500);
      });
      const row = container.querySelector('[data-found="true"]')!;
      expect(row.classList.contains('found')).toBe(false);
      // A short page around it: the start of the conversation is on screen.
      expect(screen.getByText('Start of the conversation')).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });
});
