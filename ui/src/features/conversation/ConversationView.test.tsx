import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import { ConversationView } from './ConversationView';
import type { ConversationInfo } from '../../ipc';

const info = (over: Partial<ConversationInfo> = {}): ConversationInfo => ({
  conversationId: 7,
  numberId: 1,
  numberName: 'Al Noor Pharmacy',
  customerId: 3,
  customerName: 'سارة الحربي',
  customerPhone: '966501234567',
  customerBlocked: false,
  unreadCount: 0,
  window: { phase: 'closed', active: false, expiresAt: null, remainingMinutes: 0, source: 'server' },
  sendable: ['template'],
  ...over,
});

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

describe('ConversationView', () => {
  it('shows who, on which number, the window, the thread and the composer, in that order', async () => {
    invoke.mockResolvedValue([]);
    const onShow = vi.fn();
    const { container } = render(
      <ConversationView lang="en" info={info()} tick={0} composer={<form id="composer-slot" />} onShowCustomer={onShow} />,
    );
    const view = container.querySelector<HTMLElement>('#conversation-view')!;
    expect(view).toBeTruthy();
    const header = view.querySelector('header')!;
    expect(within(header).getByRole('heading', { level: 2 }).textContent).toBe('سارة الحربي');
    expect(within(header).getByText('+966501234567')).toBeTruthy();
    expect(header.textContent).toContain('On Al Noor Pharmacy');
    const ids = [...view.querySelectorAll('#window-banner, #thread, #composer-slot')].map((e) => e.id);
    expect(ids).toEqual(['window-banner', 'thread', 'composer-slot']);
    expect(view.querySelector('#window-banner')!.getAttribute('data-phase')).toBe('closed');
    fireEvent.click(screen.getByRole('button', { name: 'Customer details' }));
    expect(onShow).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('No messages in this conversation yet.')).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith('messages_page', { conversationId: 7, before: null, limit: 50 });
  });

  it('names the customer by phone when there is no name, and shows a block', () => {
    invoke.mockReturnValue(new Promise(() => {}));
    render(<ConversationView lang="en" info={info({ customerName: null, customerBlocked: true })} tick={0} composer={null} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('+966501234567');
    expect(screen.getByText('This customer is blocked')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Customer details' })).toBeNull();
  });

  it('keeps customer text as text in the header', () => {
    invoke.mockReturnValue(new Promise(() => {}));
    const { container } = render(
      <ConversationView lang="ar" info={info({ customerName: '<img src=x onerror=alert(1)>' })} tick={0} composer={null} onShowCustomer={() => {}} />,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('<img src=x onerror=alert(1)>');
    expect(screen.getByRole('button', { name: 'تفاصيل العميل' })).toBeTruthy();
  });
});
