import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
const save = vi.fn();
vi.mock('@tauri-apps/plugin-dialog', () => ({ save: (...a: unknown[]) => save(...a), open: vi.fn() }));

import type { Insights, InsightsQuery, NumberSummary } from '../../ipc';
import { InsightsPage } from './InsightsPage';

const DAY = 24 * 60 * 60 * 1000;

const numbers: NumberSummary[] = [
  { id: 1, apiId: 'a1', displayName: 'Main shop', webhookAccountId: null },
  { id: 2, apiId: 'a2', displayName: 'Clinic', webhookAccountId: null },
];

const full: Insights = {
  days: [
    { day: '2026-06-18', inbound: 12, outbound: 9 },
    { day: '2026-06-19', inbound: 1234, outbound: 0 },
    { day: '2026-06-20', inbound: 3, outbound: 41 },
  ],
  categories: [
    { category: 'MARKETING', sends: 20, cost: 1.25, currency: 'USD' },
    { category: 'UTILITY', sends: 5, cost: 0.1, currency: 'USD' },
  ],
  delivery: { sent: 50, delivered: 45, read: 30, failed: 5, deliveryRate: 0.9, readRate: 0.6 },
  failures: [{ code: '131047', reason: 'Re-engagement message', count: 4 }],
  medianFirstResponseMinutes: 125,
  unanswered: [
    { customerId: 7, conversationId: 70, name: 'Sara', phone: '966501234567', lastInboundAt: '2026-06-18T09:00:00Z', closedAt: '2026-06-19T09:00:00Z' },
  ],
};

const empty: Insights = {
  days: [],
  categories: [],
  delivery: { sent: 0, delivered: 0, read: 0, failed: 0, deliveryRate: null, readRate: null },
  failures: [],
  medianFirstResponseMinutes: null,
  unanswered: [],
};

let answer: (q: InsightsQuery) => Promise<Insights>;
const last = () => queries()[queries().length - 1];
const queries = () => invoke.mock.calls.filter((c) => c[0] === 'insights').map((c) => (c[1] as { query: InsightsQuery }).query);

beforeEach(() => {
  answer = async () => full;
  invoke.mockImplementation(async (cmd: string, args: any) => {
    if (cmd === 'insights') return answer(args.query);
    if (cmd === 'export_insights') return { path: args.path, messages: 0, bytes: 100 };
    throw { code: 'INTERNAL', message: `unexpected ${cmd}` };
  });
});

afterEach(() => {
  vi.useRealTimers();
  cleanup();
  invoke.mockReset();
  save.mockReset();
});

function page(lang: 'en' | 'ar' = 'en', onOpen = vi.fn()) {
  return render(<InsightsPage lang={lang} numbers={numbers} onClose={() => {}} onOpenConversation={onOpen} />);
}

describe('InsightsPage', () => {
  it('asks for the last 7 days from local midnight, with this computer\'s offset', async () => {
    // A fixed day with no daylight-saving change in the week before it.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 5, 20, 15, 42));
    const { container } = page();
    await screen.findByText('2 h 5 min');
    fireEvent.change(container.querySelector('#insights-period')!, { target: { value: '7d' } });
    await waitFor(() => expect(queries()).toHaveLength(2));
    const q = queries()[1];
    expect(q.toMs - q.fromMs).toBe(7 * DAY);
    const now = new Date();
    expect(q.toMs).toBe(new Date(2026, 5, 21).getTime());
    expect(q.fromMs).toBe(new Date(2026, 5, 14).getTime());
    expect(q.utcOffsetMinutes).toBe(-now.getTimezoneOffset());
    expect(q.numberId).toBeNull();
  });

  it('passes the chosen WhatsApp number, and back to all numbers', async () => {
    const { container } = page();
    await screen.findByText('2 h 5 min');
    fireEvent.change(container.querySelector('#insights-number')!, { target: { value: '2' } });
    await waitFor(() => expect(last().numberId).toBe(2));
    fireEvent.change(container.querySelector('#insights-number')!, { target: { value: '' } });
    await waitFor(() => expect(last().numberId).toBeNull());
  });

  it('custom dates: both days included, nothing asked while they are the wrong way round', async () => {
    const { container } = page();
    await screen.findByText('2 h 5 min');
    fireEvent.change(container.querySelector('#insights-period')!, { target: { value: 'custom' } });
    fireEvent.change(container.querySelector('#insights-from')!, { target: { value: '2026-11-30' } });
    fireEvent.change(container.querySelector('#insights-to')!, { target: { value: '2026-11-01' } });
    await screen.findByText('Choose a start date on or before the end date.');
    // A backwards range is never sent to the core.
    expect(queries().every((q) => q.toMs > q.fromMs)).toBe(true);
    fireEvent.change(container.querySelector('#insights-from')!, { target: { value: '2026-11-01' } });
    fireEvent.change(container.querySelector('#insights-to')!, { target: { value: '2026-11-30' } });
    await waitFor(() => expect(last().toMs).toBe(new Date(2026, 11, 1).getTime()));
    const q = last();
    expect(q.fromMs).toBe(new Date(2026, 10, 1).getTime());
    expect(q.toMs).toBe(new Date(2026, 11, 1).getTime());
  });

  it('the daily chart has a table with every day\'s figures; rates, counts, costs and failures are readable', async () => {
    page();
    const table = await screen.findByRole('table', { name: 'Messages per day' });
    const rows = within(table).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain('1,234');
    expect(rows[2]).toContain('41');
    expect(within(table).getByText('June 19, 2026')).toBeTruthy();
    expect(screen.getByText('90%')).toBeTruthy();
    expect(screen.getByText('60%')).toBeTruthy();
    expect(document.querySelector('#insights-delivery-counts')!.textContent).toBe('Sent 50 · delivered 45 · read 30 · failed 5');
    const cats = screen.getByRole('table', { name: 'What you sent, by type, and what it cost' });
    expect(within(cats).getByText('Marketing').closest('tr')!.textContent).toContain('$1.25');
    expect(within(cats).getByText('Total').closest('tr')!.textContent).toContain('$1.35');
    const failures = screen.getByRole('table', { name: 'Why messages failed' });
    expect(failures.textContent).toContain('Re-engagement message');
    expect(failures.textContent).toContain('4');
    // recharts drew an svg for the charts
    expect(document.querySelector('#insights-days svg')).not.toBeNull();
  });

  it('clicking a customer left without an answer opens the conversation', async () => {
    const onOpen = vi.fn();
    page('en', onOpen);
    fireEvent.click(await screen.findByRole('button', { name: 'Open the conversation with Sara' }));
    expect(onOpen).toHaveBeenCalledWith(70);
  });

  it('Arabic: words in Arabic, the axis mirrored', async () => {
    const { container } = page('ar');
    const median = await waitFor(() => {
      const el = container.querySelector('#insights-median');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(median.textContent).toContain('ساعتان');
    expect(median.textContent).toContain('دقائق');
    expect(screen.getByRole('table', { name: 'الرسائل في كل يوم' })).toBeTruthy();
    // The days run right to left: the first day's tick sits right of the last day's.
    const ticks = () =>
      [...document.querySelectorAll('#insights-days .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value')].map((el) => Number(el.getAttribute('x')));
    await waitFor(() => expect(ticks().length).toBe(3));
    expect(ticks()[0]).toBeGreaterThan(ticks()[2]);
    cleanup();
    page('en');
    await waitFor(() => expect(ticks().length).toBe(3));
    expect(ticks()[0]).toBeLessThan(ticks()[2]);
  });

  it('an empty period shows a friendly note, not empty charts', async () => {
    answer = async () => empty;
    const { container } = page();
    await screen.findByText('No messages in this period. Try a longer period or another number.');
    expect(container.querySelector('#insights-days')).toBeNull();
  });

  it('shows the core\'s own words when it fails', async () => {
    answer = async () => {
      throw { code: 'DB_UNAVAILABLE', message: 'The archive is busy, try again.' };
    };
    page();
    expect((await screen.findByRole('alert')).textContent).toBe('The archive is busy, try again.');
  });

  it('Export CSV: a cancelled dialog exports nothing', async () => {
    save.mockResolvedValue(null);
    const { container } = page();
    await screen.findByText('2 h 5 min');
    fireEvent.click(container.querySelector('#insights-export')!);
    await waitFor(() => expect(save).toHaveBeenCalled());
    await waitFor(() => expect((container.querySelector('#insights-export') as HTMLButtonElement).disabled).toBe(false));
    expect(invoke.mock.calls.some((c) => c[0] === 'export_insights')).toBe(false);
  });

  it('Export CSV: suggests a dated name, exports the same query to the chosen path, and says where', async () => {
    save.mockResolvedValue('/home/me/insights.csv');
    const { container } = page();
    await screen.findByText('2 h 5 min');
    fireEvent.click(container.querySelector('#insights-export')!);
    await screen.findByText('Saved to /home/me/insights.csv');
    const opts = save.mock.calls[0][0];
    expect(opts.defaultPath).toMatch(/^cubedesk-insights-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(opts.filters[0].extensions).toEqual(['csv']);
    const call = invoke.mock.calls.find((c) => c[0] === 'export_insights')!;
    expect(call[1]).toEqual({ query: last(), path: '/home/me/insights.csv' });
  });
});
