import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
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
