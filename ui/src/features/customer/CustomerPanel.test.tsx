import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import type { CustomerDetails } from '../../ipc';
import { CustomerPanel, displayPhone, entriesOf } from './CustomerPanel';

const sara: CustomerDetails = {
  id: 3,
  name: 'سارة الحربي',
  phone: '966501234567',
  email: 'sara@example.com',
  tags: ['vip', 'عميل دائم'],
  blocked: false,
  metadata: { city: 'الرياض', visits: 4, address: { street: 'King Fahd Rd' }, note: '<img src=x onerror=alert(1)>' },
  optedOut: true,
  optOutScope: 'marketing',
  optedOutAt: '2026-01-15T09:30:00Z',
  firstConversationAt: '2025-11-02T08:00:00Z',
  lastConversationAt: '2026-02-26T14:00:00Z',
  totalConversations: 12,
  session: {
    flowId: 5,
    currentStepId: 18,
    sessionData: { size: 'L', qty: 2 },
    startedAt: '2026-02-26T13:50:00Z',
    lastInteractionAt: '2026-02-26T13:58:00Z',
    expiresAt: '2026-02-27T13:58:00Z',
    completed: false,
    endedAs: null,
  },
  responses: [
    { questionKey: 'size', questionText: 'What size?', value: 'L', type: 'text', createdAt: '2026-02-26T13:52:00Z' },
    { questionKey: 'qty', questionText: null, value: '2', type: 'number', createdAt: '2026-02-26T13:55:00Z' },
  ],
};

const bare: CustomerDetails = {
  id: 4,
  name: null,
  phone: '201001112223',
  email: null,
  tags: [],
  blocked: true,
  metadata: null,
  optedOut: null,
  optOutScope: null,
  optedOutAt: null,
  firstConversationAt: null,
  lastConversationAt: null,
  totalConversations: 0,
  session: null,
  responses: [],
};

function core(answers: Record<string, (args: any) => unknown>) {
  invoke.mockImplementation(async (cmd: string, args: unknown) => {
    const a = answers[cmd];
    if (!a) throw { code: 'INTERNAL', message: `unexpected ${cmd}` };
    return a(args);
  });
}

const el = (c: HTMLElement, sel: string) => c.querySelector<HTMLElement>(sel)!;

function setClipboard(value: unknown) {
  Object.defineProperty(navigator, 'clipboard', { value, configurable: true, writable: true });
}

afterEach(() => {
  cleanup();
  invoke.mockReset();
  setClipboard(undefined);
  vi.useRealTimers();
});

describe('CustomerPanel', () => {
  it('shows everything known about the customer', async () => {
    core({ customer_details: () => sara });
    const { container } = render(<CustomerPanel lang="en" customerId={3} tick={0} />);
    expect(screen.getByText('Loading the customer…')).toBeTruthy();
    const aside = el(container, '#customer-panel');
    expect(aside.tagName).toBe('ASIDE');
    expect(screen.getByRole('heading', { name: 'Customer' })).toBeTruthy();
    await screen.findByText('سارة الحربي');
    expect(invoke).toHaveBeenCalledWith('customer_details', { customerId: 3 });

    expect(screen.getByText('سارة الحربي').getAttribute('dir')).toBe('auto');
    expect(el(container, '#customer-phone').textContent).toBe('+966501234567');
    expect(el(container, '#customer-email').textContent).toContain('sara@example.com');
    const tags = Array.from(container.querySelectorAll<HTMLElement>('#customer-tags li'));
    expect(tags.map((t) => t.textContent)).toEqual(['vip', 'عميل دائم']);
    expect(tags.every((t) => t.getAttribute('dir') === 'auto')).toBe(true);
    expect(el(container, '#customer-status').textContent).toContain('Active');
    expect(el(container, '#customer-opt-out').textContent).toMatch(/Opted out of marketing since .*2026/);

    // Metadata: key/value, nested values as JSON, markup as plain text.
    const meta = el(container, '#customer-metadata');
    expect(meta.textContent).toContain('city');
    expect(meta.textContent).toContain('الرياض');
    expect(meta.textContent).toContain('{"street":"King Fahd Rd"}');
    expect(meta.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(meta.querySelector('img')).toBeNull();
    expect(Array.from(meta.querySelectorAll('dd')).every((d) => d.getAttribute('dir') === 'auto')).toBe(true);

    // Responses: newest first, the key when there is no question text.
    const responses = Array.from(container.querySelectorAll('#customer-responses dt')).map((d) => d.textContent);
    expect(responses).toEqual(['qty', 'What size?']);

    const session = el(container, '#customer-session');
    expect(el(container, '#customer-flow').textContent).toContain('5');
    expect(el(container, '#customer-step').textContent).toContain('18');
    expect(el(container, '#customer-session-state').textContent).toContain('In progress');
    expect(el(container, '#customer-session-data').textContent).toContain('size');
    expect(el(container, '#customer-session-data').textContent).toContain('L');
    expect(session.querySelectorAll('time')).toHaveLength(3);

    expect(el(container, '#customer-first').textContent).toContain('2025');
    expect(el(container, '#customer-last').textContent).toContain('2026');
    expect(el(container, '#customer-total').textContent).toContain('12');
  });

  it('shows unknown values as unknown, never as 0, and a blocked customer clearly', async () => {
    core({ customer_details: () => bare });
    const onClose = vi.fn();
    const { container } = render(<CustomerPanel lang="en" customerId={4} tick={0} onClose={onClose} />);
    await waitFor(() => expect(el(container, '#customer-phone')).toBeTruthy());
    expect(el(container, '#customer-phone').textContent).toBe('+201001112223');
    expect(el(container, '#customer-name').textContent).toContain('unknown');
    expect(el(container, '#customer-email').textContent).toContain('unknown');
    expect(el(container, '#customer-status').textContent).toContain('Blocked');
    expect(el(container, '#customer-opt-out').textContent).toContain('Never checked');
    expect(el(container, '#customer-first').textContent).toContain('unknown');
    expect(el(container, '#customer-first').textContent).not.toContain('1970');
    expect(el(container, '#customer-last').textContent).toContain('unknown');
    expect(screen.getByText('No flow session.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Close the customer details' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('describes every opt-out and session state', async () => {
    const variants: Array<[Partial<CustomerDetails>, RegExp]> = [
      [{ optedOut: false, optOutScope: null, optedOutAt: null }, /Opted in/],
      [{ optedOut: true, optOutScope: 'all', optedOutAt: null }, /Opted out of all messages since unknown/],
    ];
    for (const [patch, expected] of variants) {
      core({ customer_details: () => ({ ...sara, ...patch }) });
      const { container, unmount } = render(<CustomerPanel lang="en" customerId={3} tick={0} />);
      await waitFor(() => expect(el(container, '#customer-opt-out').textContent).toMatch(expected));
      unmount();
    }
    const sessions: Array<[Partial<NonNullable<CustomerDetails['session']>>, string]> = [
      [{ completed: true, endedAs: 'completed' }, 'Completed'],
      [{ completed: false, endedAs: 'cancelled' }, 'Cancelled'],
      [{ completed: null, endedAs: null, flowId: null, currentStepId: null, sessionData: null }, 'unknown'],
    ];
    for (const [patch, expected] of sessions) {
      core({ customer_details: () => ({ ...sara, session: { ...sara.session!, ...patch } }) });
      const { container, unmount } = render(<CustomerPanel lang="en" customerId={3} tick={0} />);
      await waitFor(() => expect(el(container, '#customer-session-state').textContent).toContain(expected));
      if (patch.flowId === null) {
        expect(el(container, '#customer-flow').textContent).toContain('unknown');
        expect(el(container, '#customer-step').textContent).toContain('unknown');
        expect(el(container, '#customer-flow').textContent).not.toContain('0');
      }
      unmount();
    }
  });

  it('copies the phone number and says so', async () => {
    core({ customer_details: () => sara });
    const writeText = vi.fn().mockResolvedValue(undefined);
    setClipboard({ writeText });
    render(<CustomerPanel lang="en" customerId={3} tick={0} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Copy the phone number' }));
    expect(await screen.findByText('Copied')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith('+966501234567');
  });

  it('explains when the clipboard is missing or refuses', async () => {
    core({ customer_details: () => sara });
    setClipboard(undefined);
    render(<CustomerPanel lang="en" customerId={3} tick={0} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Copy the phone number' }));
    expect(screen.getByText(/Copying is not available here/)).toBeTruthy();
    setClipboard({ writeText: vi.fn().mockRejectedValue(new Error('denied')) });
    fireEvent.click(screen.getByRole('button', { name: 'Copy the phone number' }));
    expect(await screen.findByText(/The number could not be copied/)).toBeTruthy();
    expect(screen.queryByText('Copied')).toBeNull();
  });

  it('reloads when tick changes and shows the core failure with a retry', async () => {
    let calls = 0;
    core({
      customer_details: () => {
        calls += 1;
        if (calls === 2) throw { code: 'DB_UNAVAILABLE', message: 'The archive is busy.' };
        return { ...sara, name: `Sara ${calls}` };
      },
    });
    const { rerender } = render(<CustomerPanel lang="en" customerId={3} tick={0} />);
    await screen.findByText('Sara 1');
    rerender(<CustomerPanel lang="en" customerId={3} tick={1} />);
    expect((await screen.findByRole('alert')).textContent).toContain('The archive is busy.');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('Sara 3');
    expect(screen.queryByRole('alert')).toBeNull();
    await act(async () => {});
    expect(calls).toBe(3);
  });

  it('speaks Arabic', async () => {
    core({ customer_details: () => bare });
    render(<CustomerPanel lang="ar" customerId={4} tick={0} />);
    expect(await screen.findByText('محظور')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'العميل' })).toBeTruthy();
  });
});

describe('customer helpers', () => {
  it('formats the phone with a plus', () => {
    expect(displayPhone('966501234567')).toBe('+966501234567');
    expect(displayPhone('+966 50 123')).toBe('+96650123');
  });

  it('turns JSON into rows', () => {
    expect(entriesOf(null)).toBeNull();
    expect(entriesOf({})).toEqual([]);
    expect(entriesOf({ a: 'x', b: [1, 2], c: null })).toEqual([
      ['a', 'x'],
      ['b', '[1,2]'],
      ['c', 'null'],
    ]);
    expect(entriesOf([1])).toEqual([['', '[1]']]);
  });
});
