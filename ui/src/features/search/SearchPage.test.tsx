import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import { SearchPage } from './SearchPage';
import { EMPTY_SEARCH, type SearchState } from './filters';
import type { CustomerHit, SearchFilter, SearchHit, SearchResults } from '../../ipc';
import type { Lang } from '../../i18n';

const numbers = [
  { id: 1, apiId: 'a', displayName: 'Main shop', webhookAccountId: null },
  { id: 2, apiId: 'b', displayName: 'Branch', webhookAccountId: null },
];

const hit = (id: number, over: Partial<SearchHit> = {}): SearchHit => ({
  messageId: id,
  conversationId: 7,
  customerId: 3,
  customerName: 'Sara',
  phone: '966501234567',
  numberName: 'Main shop',
  direction: 'inbound',
  type: 'text',
  status: null,
  createdAt: '2026-02-26T10:15:00Z',
  imported: false,
  snippet: [{ text: `message ${id}`, hit: false }],
  ...over,
});
const customer: CustomerHit = {
  customerId: 3,
  conversationId: 7,
  name: [
    { text: 'Sa', hit: true },
    { text: 'ra', hit: false },
  ],
  phone: '966501234567',
  tags: ['vip'],
};

type SearchArgs = { query: string; filter: SearchFilter; order: string; after: string | null; limit: number | null };
function core(search: (a: SearchArgs) => SearchResults | Promise<SearchResults>, tags: string[] = ['vip', 'wholesale']) {
  invoke.mockImplementation(async (cmd: string, args: SearchArgs) => {
    if (cmd === 'search_archive') return search(args);
    if (cmd === 'inbox_tags') return tags;
    throw { code: 'INTERNAL', message: `unexpected ${cmd}` };
  });
}
const searchCalls = () => invoke.mock.calls.filter((c) => c[0] === 'search_archive').map((c) => c[1] as SearchArgs);
const lastSearch = () => searchCalls()[searchCalls().length - 1];

function Harness({ lang = 'en', onOpenMessage = () => {}, onOpenCustomer = () => {}, onBack = () => {} }: {
  lang?: Lang;
  onOpenMessage?: (h: SearchHit) => void;
  onOpenCustomer?: (id: number) => void;
  onBack?: () => void;
}) {
  const [state, setState] = useState<SearchState>(EMPTY_SEARCH);
  return (
    <SearchPage lang={lang} numbers={numbers} state={state} onState={setState} onOpenMessage={onOpenMessage} onOpenCustomer={onOpenCustomer} onBack={onBack} />
  );
}

const query = () => screen.getByRole('searchbox', { name: 'Search messages, names, phone numbers and tags' }) as HTMLInputElement;
const type = (value: string) => fireEvent.change(query(), { target: { value } });
const hitIds = (c: HTMLElement) => [...c.querySelectorAll<HTMLElement>('.search-hit')].map((h) => Number(h.dataset.messageId));

afterEach(() => {
  cleanup();
  invoke.mockReset();
  vi.useRealTimers();
});

describe('SearchPage', () => {
  it('explains what to type before anything is typed, and searches nothing', async () => {
    core(() => ({ hits: [], next: null, customers: [] }));
    const { container } = render(<Harness />);
    const hint = container.querySelector('#search-hint')!;
    expect(hint.textContent).toContain('with or without tashkeel');
    expect(hint.textContent).toContain('word*');
    expect(query().getAttribute('dir')).toBe('auto');
    expect(document.activeElement).toBe(query());
    await act(async () => {});
    type('   ');
    await new Promise((r) => setTimeout(r, 260));
    expect(searchCalls()).toHaveLength(0);
  });

  it('shows snippets as text, never markup, with the matching words marked', async () => {
    core(() => ({
      hits: [
        hit(11, {
          snippet: [
            { text: '<img src=x onerror=alert(1)> about ', hit: false },
            { text: 'insulin', hit: true },
            { text: ' price', hit: false },
          ],
          imported: true,
        }),
        hit(12, { direction: 'outbound', status: 'read', customerName: null, type: 'image', snippet: [{ text: 'insulin', hit: true }] }),
      ],
      next: null,
      customers: [customer],
    }));
    const { container } = render(<Harness />);
    type('insulin');
    await waitFor(() => expect(hitIds(container)).toEqual([11, 12]));
    expect(container.querySelector('img')).toBeNull();
    const first = container.querySelector<HTMLElement>('.search-hit[data-message-id="11"]')!;
    expect(first.dataset.conversationId).toBe('7');
    const snippet = first.querySelector('.search-snippet')!;
    expect(snippet.getAttribute('dir')).toBe('auto');
    expect(snippet.textContent).toBe('<img src=x onerror=alert(1)> about insulin price');
    expect([...snippet.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['insulin']);
    expect(first.textContent).toContain('Imported');
    expect(first.textContent).toContain('Received');
    const second = container.querySelector<HTMLElement>('.search-hit[data-message-id="12"]')!;
    expect(second.textContent).toContain('+966501234567');
    expect(second.textContent).toContain('Sent by you');
    expect(second.textContent).toContain('Read');
    expect(second.textContent).toContain('Photo');
    expect(second.textContent).not.toContain('Imported');
    // Customers come first, their matching letters marked.
    const cust = container.querySelector<HTMLElement>('.search-customer')!;
    expect(cust.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(cust.querySelector('mark')?.textContent).toBe('Sa');
    expect(cust.textContent).toContain('vip');
  });

  it('waits for typing to settle, then searches with every filter combined', async () => {
    core(() => ({ hits: [hit(1)], next: null, customers: [] }));
    render(<Harness />);
    await screen.findByRole('combobox', { name: 'Tag' });
    type('d');
    type('do');
    type('dow*');
    await waitFor(() => expect(searchCalls()).toHaveLength(1));
    expect(searchCalls()[0]).toEqual({ query: 'dow*', filter: {}, order: 'newest', after: null, limit: 50 });

    fireEvent.change(screen.getByRole('combobox', { name: 'Tag' }), { target: { value: 'wholesale' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Direction' }), { target: { value: 'outbound' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'WhatsApp number' }), { target: { value: '2' } });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-02-01' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-02-10' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'failed' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Type' }), { target: { value: 'template' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Category' }), { target: { value: 'MARKETING' } });
    await waitFor(() => expect(lastSearch().filter.category).toBe('MARKETING'));
    expect(lastSearch()).toEqual({
      query: 'dow*',
      filter: {
        tag: 'wholesale',
        direction: 'outbound',
        numberId: 2,
        // Local midnights; the end is exclusive: the day after the last day.
        fromMs: new Date(2026, 1, 1).getTime(),
        toMs: new Date(2026, 1, 11).getTime(),
        status: 'failed',
        type: 'template',
        category: 'MARKETING',
      },
      order: 'newest',
      after: null,
      limit: 50,
    });

    // Clearing the filters searches the text alone again.
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(lastSearch().filter).toEqual({}));
  });

  it('drops an answer that arrives for an older query', async () => {
    const pending: Record<string, (r: SearchResults) => void> = {};
    core(({ query: q }) => new Promise<SearchResults>((resolve) => (pending[q] = resolve)));
    const { container } = render(<Harness />);
    type('old');
    await waitFor(() => expect(pending.old).toBeDefined());
    type('new');
    await waitFor(() => expect(pending.new).toBeDefined());
    await act(async () => pending.new({ hits: [hit(2, { snippet: [{ text: 'the new one', hit: false }] })], next: null, customers: [] }));
    expect(hitIds(container)).toEqual([2]);
    await act(async () => pending.old({ hits: [hit(1)], next: null, customers: [] }));
    expect(hitIds(container)).toEqual([2]);
    expect(screen.getByText('the new one')).toBeTruthy();
  });

  it('appends the next page with its cursor, and a new order starts again', async () => {
    core(({ after, order }) => {
      if (order === 'relevance') return { hits: [hit(9)], next: null, customers: [] };
      if (after === null) return { hits: [hit(1), hit(2)], next: 'cursor-2', customers: [customer] };
      if (after === 'cursor-2') return { hits: [hit(3), hit(2)], next: null, customers: [] };
      throw { code: 'INTERNAL', message: 'bad cursor' };
    });
    const { container } = render(<Harness />);
    type('milk');
    await waitFor(() => expect(hitIds(container)).toEqual([1, 2]));
    fireEvent.click(container.querySelector('#search-more')!);
    await waitFor(() => expect(hitIds(container)).toEqual([1, 2, 3]));
    expect(searchCalls()[1]).toEqual({ query: 'milk', filter: {}, order: 'newest', after: 'cursor-2', limit: 50 });
    // The customers of the first page stay; no more pages.
    expect(container.querySelectorAll('.search-customer')).toHaveLength(1);
    expect(container.querySelector('#search-more')).toBeNull();

    const order = container.querySelector<HTMLSelectElement>('#search-order')!;
    expect(order.value).toBe('newest');
    fireEvent.change(order, { target: { value: 'relevance' } });
    await waitFor(() => expect(hitIds(container)).toEqual([9]));
    expect(searchCalls()[2]).toEqual({ query: 'milk', filter: {}, order: 'relevance', after: null, limit: 50 });
  });

  it('pages in by scrolling near the end of the results', async () => {
    core(({ after }) => (after === null ? { hits: [hit(1)], next: 'c1', customers: [] } : { hits: [hit(2)], next: null, customers: [] }));
    const { container } = render(<Harness />);
    type('x');
    await waitFor(() => expect(hitIds(container)).toEqual([1]));
    fireEvent.scroll(container.querySelector('#search-results')!);
    await waitFor(() => expect(hitIds(container)).toEqual([1, 2]));
    expect(searchCalls()[1].after).toBe('c1');
  });

  it("filters by a customer chosen from a customer result, shown as a chip that removes it", async () => {
    core(() => ({ hits: [hit(1)], next: null, customers: [customer] }));
    const opened = vi.fn();
    const { container } = render(<Harness onOpenCustomer={opened} />);
    type('sa');
    await screen.findByRole('button', { name: 'Only this customer' });
    fireEvent.click(screen.getByRole('button', { name: 'Only this customer' }));
    await waitFor(() => expect(lastSearch().filter).toEqual({ customerId: 3 }));
    expect(container.querySelector('#search-customer-chip')!.textContent).toContain('Customer: Sara');
    fireEvent.click(screen.getByRole('button', { name: 'Remove the customer filter' }));
    await waitFor(() => expect(lastSearch().filter).toEqual({}));
    expect(container.querySelector('#search-customer-chip')).toBeNull();
    // The customer itself opens their conversation.
    await waitFor(() => expect(container.querySelector('.search-customer-open')).not.toBeNull());
    fireEvent.click(container.querySelector('.search-customer-open')!);
    expect(opened).toHaveBeenCalledWith(7);
  });

  it('says when nothing matched, and shows a failure in its own words', async () => {
    let fail = false;
    core(() => {
      if (fail) throw { code: 'DB_UNAVAILABLE', message: 'The archive is busy <b>now</b>.' };
      return { hits: [], next: null, customers: [] };
    });
    const { container } = render(<Harness />);
    type('nothing');
    expect(await screen.findByText('Nothing found. Try fewer words, or remove a filter.')).toBeTruthy();
    fail = true;
    type('again');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The archive is busy <b>now</b>.');
    expect(container.querySelector('b')).toBeNull();
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Nothing found. Try fewer words, or remove a filter.')).toBeTruthy();
  });

  it('walks the results with the arrow keys and opens one with Enter', async () => {
    core(() => ({ hits: [hit(1), hit(2)], next: null, customers: [customer] }));
    const opened = vi.fn();
    const { container } = render(<Harness onOpenMessage={opened} />);
    type('a');
    await waitFor(() => expect(hitIds(container)).toEqual([1, 2]));
    fireEvent.keyDown(query(), { key: 'ArrowDown' });
    expect(document.activeElement?.classList.contains('search-customer-open')).toBe(true);
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect((document.activeElement as HTMLElement).dataset.messageId).toBe('2');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect((document.activeElement as HTMLElement).dataset.messageId).toBe('1');
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(opened).toHaveBeenCalledTimes(1);
    expect(opened.mock.calls[0][0]).toMatchObject({ messageId: 1, conversationId: 7 });
    fireEvent.click(container.querySelector('.search-hit[data-message-id="2"]')!);
    expect(opened.mock.calls[1][0]).toMatchObject({ messageId: 2 });
  });

  it('speaks Arabic, with snippets in their own direction', async () => {
    core(() => ({ hits: [hit(1, { snippet: [{ text: 'هل ', hit: false }, { text: 'الدواء', hit: true }, { text: ' متوفر؟', hit: false }] })], next: null, customers: [] }));
    const { container } = render(
      <div dir="rtl">
        <Harness lang="ar" />
      </div>,
    );
    fireEvent.change(screen.getByRole('searchbox', { name: 'ابحث في الرسائل والأسماء وأرقام الهواتف والوسوم' }), { target: { value: 'دواء' } });
    await waitFor(() => expect(hitIds(container)).toEqual([1]));
    expect(screen.getByRole('heading', { name: 'البحث في الأرشيف' })).toBeTruthy();
    const snippet = container.querySelector('.search-snippet')!;
    expect(snippet.getAttribute('dir')).toBe('auto');
    expect(snippet.querySelector('mark')?.textContent).toBe('الدواء');
    expect(snippet.closest('[dir="rtl"]')).not.toBeNull();
    expect(container.textContent).toContain('واردة');
  });
});
