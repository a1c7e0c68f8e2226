import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { msg } from './features/conversation/fixtures';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import { App } from './App';

const status = {
  version: '0.1.0',
  dataDir: '/home/sara/.local/share/cubedesk',
  dbPath: '/home/sara/.local/share/cubedesk/cubedesk.db',
  schemaVersion: 1,
  accounts: 0,
  conversations: 0,
  mode: 'archive',
  account: null,
};

const demoAccount = {
  id: 1,
  name: 'Al Noor Pharmacy (demo)',
  baseUrl: 'http://127.0.0.1:40123',
  tenantId: null,
  isDemo: true,
  disconnected: false,
  numbers: [{ id: 1, apiId: 'sim-number-1', displayName: 'Al Noor Pharmacy', webhookAccountId: 5 }],
};

const inboxItem = {
  conversationId: 7,
  numberId: 1,
  numberName: 'Al Noor Pharmacy',
  customerId: 3,
  customerName: 'سارة الحربي',
  customerPhone: '966501234567',
  customerBlocked: false,
  lastMessageAt: '2026-02-26T14:00:00Z',
  unreadCount: 2,
  lastType: 'text',
  lastDirection: 'inbound',
  lastStatus: null,
  lastPreview: '<b>هل الدواء متوفر؟</b>',
  window: { phase: 'closing', active: true, expiresAt: null, remainingMinutes: 38, source: 'local' },
  cursor: { lastMessageAt: 1, conversationId: 7 },
};

/** Answers each command like the core would. */
function core(answers: Record<string, (args: unknown) => unknown>) {
  invoke.mockImplementation(async (cmd: string, args: unknown) => {
    // No cubedesk:// link waits unless a test says so.
    const a = answers[cmd] ?? (cmd === 'take_link' ? () => null : undefined);
    if (!a) throw { code: 'INTERNAL', message: `unexpected ${cmd}` };
    return a(args);
  });
}

const byId = (container: HTMLElement, id: string) => container.querySelector<HTMLElement>(`#${id}`);

// jsdom lays nothing out: give elements a window-sized box so the virtualised list shows rows.
beforeAll(() => {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(
    () => ({ x: 0, y: 0, top: 0, left: 0, width: 320, height: 800, right: 320, bottom: 800, toJSON: () => ({}) }) as DOMRect,
  );
  for (const [prop, value] of [['offsetHeight', 800], ['offsetWidth', 320], ['clientHeight', 800], ['clientWidth', 320]] as const) {
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value });
  }
});

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

describe('App', () => {
  it('says it is opening the archive while the core has not answered', () => {
    invoke.mockReturnValue(new Promise(() => {}));
    const { container } = render(<App />);
    expect(screen.getByText('Opening your archive…')).toBeTruthy();
    expect(byId(container, 'core-status')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
    expect(invoke).toHaveBeenCalledWith('app_status', undefined);
  });

  it('shows the core status and both ways in on a new archive', async () => {
    invoke.mockResolvedValue(status);
    const { container } = render(<App />);
    const connect = await screen.findByRole('button', { name: 'Connect your CubeConnect account' });
    const demo = screen.getByRole('button', { name: 'Explore with demo data' });
    expect(connect.id).toBe('connect-account');
    expect(demo.id).toBe('explore-demo');
    expect(screen.getByRole('heading', { name: 'Welcome to CubeDesk' })).toBeTruthy();
    expect(screen.getByRole('complementary', { name: 'Conversations' })).toBeTruthy();

    const line = byId(container, 'core-status')!;
    expect(line.textContent).toBe(
      'Connected to the CubeDesk core v0.1.0 · archive schema 1 · data folder /home/sara/.local/share/cubedesk',
    );
    // The folder is data inside a sentence: isolated, in its own direction.
    const path = line.querySelector('bdi')!;
    expect(path.textContent).toBe(status.dataDir);
    expect(path.getAttribute('dir')).toBe('auto');
    expect(screen.queryByText('Opening your archive…')).toBeNull();
  });

  it('explores the demo: labelled as such, with its account and conversations', async () => {
    core({
      app_status: () => status,
      start_demo: () => ({ ...status, mode: 'demo', accounts: 1, conversations: 64, account: demoAccount }),
      inbox_page: () => [inboxItem],
    });
    const { container } = render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Explore with demo data' }));
    const banner = await screen.findByRole('note');
    expect(banner.textContent).toContain('DEMO');
    expect(banner.textContent).toContain('Nothing reaches real customers');
    expect(byId(container, 'account-line')?.textContent).toContain('Al Noor Pharmacy (demo)');
    const row = await screen.findByText('سارة الحربي');
    expect(row.getAttribute('dir')).toBe('auto');
    // Customer text is data: shown literally, never as markup.
    expect(screen.getByText('<b>هل الدواء متوفر؟</b>')).toBeTruthy();
    expect(container.querySelector('.conversations b')).toBeNull();
    expect(screen.getByText('Closing soon · 38 min left')).toBeTruthy();
    expect(screen.getByLabelText('2 unread')).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith('start_demo', undefined);
    // Settings for the demo show the look and the receiver, never the demo account's key.
    fireEvent.click(byId(container, 'open-settings')!);
    expect(byId(container, 'pref-language')).toBeTruthy();
    expect(byId(container, 'remove-account')).toBeNull();
  });

  it('says why the demo could not start, and stays on the welcome screen', async () => {
    core({
      app_status: () => status,
      start_demo: () => {
        throw { code: 'DEMO_UNAVAILABLE', message: 'The demo could not start its simulator (address in use).' };
      },
    });
    const { container } = render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Explore with demo data' }));
    await screen.findByText('The demo could not start its simulator (address in use).');
    expect(byId(container, 'action-notice')?.getAttribute('role')).toBe('status');
    expect(screen.getByRole('button', { name: 'Explore with demo data' })).toBeTruthy();
  });

  it("connect: the core's field problems appear next to their fields and nothing is sent", async () => {
    core({
      app_status: () => status,
      check_account_form: () => [
        { field: 'api_key', message: 'Paste the API key from CubeConnect (Settings → API Keys).' },
        { field: 'numbers.0.api_id', message: "Paste this number's API ID from Dashboard → WhatsApp Numbers." },
      ],
    });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect your CubeConnect account' }));
    fireEvent.click(screen.getByRole('button', { name: 'Check and connect' }));
    await screen.findByText('Paste the API key from CubeConnect (Settings → API Keys).');
    const key = screen.getByLabelText('API key');
    expect(key.getAttribute('aria-invalid')).toBe('true');
    expect(key.getAttribute('type')).toBe('password');
    expect(screen.getByText("Paste this number's API ID from Dashboard → WhatsApp Numbers.")).toBeTruthy();
    expect(invoke).not.toHaveBeenCalledWith('connect_account', expect.anything());
  });

  it("connect: a refused key is explained in the core's words", async () => {
    core({
      app_status: () => status,
      check_account_form: () => [],
      connect_account: () => {
        throw { code: 'ACCOUNT_KEY_REJECTED', message: 'CubeConnect did not accept this API key (it said: "Invalid API key").' };
      },
    });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect your CubeConnect account' }));
    fireEvent.change(screen.getByLabelText('Account name'), { target: { value: 'Al Noor' } });
    fireEvent.change(screen.getByLabelText('API key'), { target: { value: 'ck_wrong_key' } });
    fireEvent.change(screen.getByLabelText('API ID'), { target: { value: '01JXK9' } });
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Main shop' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check and connect' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('did not accept this API key');
    expect(invoke).toHaveBeenCalledWith('connect_account', {
      form: {
        name: 'Al Noor',
        baseUrl: 'https://cubeconnect.io',
        apiKey: 'ck_wrong_key',
        tenantId: '',
        webhookSecret: '',
        numbers: [{ apiId: '01JXK9', displayName: 'Main shop' }],
      },
    });
  });

  it('does not offer the ways in once an account exists', async () => {
    core({
      app_status: () => ({ ...status, accounts: 1, conversations: 0, account: { ...demoAccount, isDemo: false, name: 'Al Noor' } }),
      inbox_page: () => [],
    });
    const { container } = render(<App />);
    await screen.findByText('Choose a conversation on the left.');
    expect(screen.queryByRole('button', { name: 'Explore with demo data' })).toBeNull();
    expect(byId(container, 'open-settings')).not.toBeNull();
    expect(byId(container, 'core-status')).not.toBeNull();
  });

  it('explains an archive the core could not open, with its code, and offers nothing else', async () => {
    const message = 'The archive file /x/cubedesk.db is damaged and cannot be read.';
    invoke.mockRejectedValue({ code: 'DB_CORRUPT', message });
    const { container } = render(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert.id).toBe('core-error');
    expect(screen.getByRole('heading', { name: "CubeDesk can't open your archive" })).toBeTruthy();
    expect(alert.textContent).toContain(message);
    expect(alert.textContent).toMatch(/Nothing was deleted/);
    expect(byId(container, 'core-error-message')?.getAttribute('dir')).toBe('auto');
    expect(byId(container, 'core-error-code')?.textContent).toBe('DB_CORRUPT');
    expect(screen.queryByRole('button')).toBeNull();
    expect(byId(container, 'core-status')).toBeNull();
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it('explains a failure that is not a core error too', async () => {
    invoke.mockRejectedValue(new Error('command app_status not found'));
    const { container } = render(<App />);
    await screen.findByRole('alert');
    expect(byId(container, 'core-error-message')?.textContent).toBe('command app_status not found');
    expect(byId(container, 'core-error-code')?.textContent).toBe('INTERNAL');
  });

  it('renders text from the core as text, never as markup', async () => {
    const evil = '<img src=x onerror="alert(1)">';
    invoke.mockRejectedValue({ code: 'INTERNAL', message: evil });
    const { container } = render(<App />);
    await screen.findByRole('alert');
    expect(container.querySelector('img')).toBeNull();
    expect(byId(container, 'core-error-message')?.textContent).toBe(evil);
  });

  it('sets the language and direction on the root, and mirrors for Arabic', async () => {
    invoke.mockResolvedValue(status);
    const en = render(<App />);
    await screen.findByRole('button', { name: 'Explore with demo data' });
    expect(en.container.querySelector('.app')?.getAttribute('lang')).toBe('en');
    expect(en.container.querySelector('.app')?.getAttribute('dir')).toBe('ltr');
    expect(document.documentElement.lang).toBe('en');
    expect(document.documentElement.dir).toBe('ltr');
    en.unmount();

    const ar = render(<App lang="ar" />);
    await screen.findByRole('button', { name: 'جرّب ببيانات تجريبية' });
    expect(ar.container.querySelector('.app')?.getAttribute('dir')).toBe('rtl');
    expect(document.documentElement.lang).toBe('ar');
    expect(document.documentElement.dir).toBe('rtl');
  });
});

describe('App: searching the archive', () => {
  const account = { ...demoAccount, isDemo: false, name: 'Al Noor' };
  const info = {
    conversationId: 7,
    numberId: 1,
    numberName: 'Al Noor Pharmacy',
    customerId: 3,
    customerName: 'سارة الحربي',
    customerPhone: '966501234567',
    customerBlocked: false,
    unreadCount: 0,
    window: { phase: 'open', active: true, expiresAt: null, remainingMinutes: 600, source: 'local' },
    sendable: ['text', 'template'],
  };
  const message = (id: number) => msg({ id, createdAt: new Date(Date.UTC(2026, 1, 20, 9, id)).toISOString(), text: `message ${id}` });
  const searchHit = {
    messageId: 42,
    conversationId: 7,
    customerId: 3,
    customerName: 'سارة الحربي',
    phone: '966501234567',
    numberName: 'Al Noor Pharmacy',
    direction: 'inbound',
    type: 'text',
    status: null,
    createdAt: '2026-02-20T09:42:00Z',
    imported: false,
    snippet: [
      { text: 'هل ', hit: false },
      { text: 'الدواء', hit: true },
      { text: ' متوفر؟', hit: false },
    ],
  };
  const answers = {
    app_status: () => ({ ...status, accounts: 1, conversations: 1, account }),
    inbox_page: () => [inboxItem],
    inbox_tags: () => [],
    unread_total: () => 0,
    search_archive: () => ({ hits: [searchHit], next: null, customers: [] }),
    open_conversation: () => info,
    conversation_info: () => info,
    messages_around: () => [45, 44, 43, 42, 41, 40].map(message),
    messages_after: () => [],
    messages_page: () => [],
    templates_for: () => [],
    customer_details: () => ({}),
  };

  it('opens from the header, finds a message and opens its conversation at it', async () => {
    core(answers);
    const { container } = render(<App />);
    await screen.findByText('Choose a conversation on the left.');
    // The inbox's own name/phone filter stays.
    expect(byId(container, 'inbox-search')).not.toBeNull();
    fireEvent.click(byId(container, 'open-search')!);
    const input = byId(container, 'search-query') as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    fireEvent.change(input, { target: { value: 'دواء' } });
    const hit = await waitFor(() => {
      const h = container.querySelector<HTMLElement>('.search-hit');
      expect(h).not.toBeNull();
      return h!;
    });
    expect(hit.dataset.messageId).toBe('42');
    expect(hit.querySelector('mark')?.textContent).toBe('الدواء');
    fireEvent.click(hit);
    await waitFor(() => expect(container.querySelector('[data-found="true"]')).not.toBeNull());
    expect(invoke).toHaveBeenCalledWith('open_conversation', { conversationId: 7 });
    expect(invoke).toHaveBeenCalledWith('messages_around', { conversationId: 7, messageId: 42, limit: 50 });
    expect(container.querySelector('[data-found="true"] article.message')?.getAttribute('data-id')).toBe('42');
    expect(byId(container, 'search-page')).toBeNull();

    // Back to the search: it is as it was left.
    fireEvent.click(byId(container, 'open-search')!);
    expect((byId(container, 'search-query') as HTMLInputElement).value).toBe('دواء');
    await waitFor(() => expect(container.querySelector('.search-hit')).not.toBeNull());
  });

  it('a cubedesk:// link the app started with opens its conversation', async () => {
    core({ ...answers, take_link: () => 7 });
    const { container } = render(<App />);
    await waitFor(() => expect(byId(container, 'conversation-view')).not.toBeNull());
    expect(invoke).toHaveBeenCalledWith('open_conversation', { conversationId: 7 });
    expect(byId(container, 'link-error')).toBeNull();
  });

  it('a link the core refuses is explained, with its code, and can be dismissed', async () => {
    core({
      ...answers,
      take_link: () => {
        throw { code: 'LINK_REFUSED', message: 'CubeDesk only follows links that open a conversation.' };
      },
    });
    const { container } = render(<App />);
    const banner = await waitFor(() => {
      const b = byId(container, 'link-error');
      expect(b).not.toBeNull();
      return b!;
    });
    expect(banner.dataset.code).toBe('LINK_REFUSED');
    expect(banner.textContent).toContain('only follows links that open a conversation');
    expect(byId(container, 'conversation-view')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(byId(container, 'link-error')).toBeNull();
  });

  it('opens with Ctrl+Shift+F and goes back with Esc or the back button', async () => {
    core(answers);
    const { container } = render(<App />);
    await screen.findByText('Choose a conversation on the left.');
    fireEvent.keyDown(window, { key: 'F', ctrlKey: true, shiftKey: true });
    expect(byId(container, 'search-page')).not.toBeNull();
    fireEvent.keyDown(byId(container, 'search-query')!, { key: 'Escape' });
    expect(byId(container, 'search-page')).toBeNull();
    expect(screen.getByText('Choose a conversation on the left.')).toBeTruthy();
    fireEvent.keyDown(window, { key: 'f', metaKey: true, shiftKey: true });
    fireEvent.click(byId(container, 'search-back')!);
    expect(byId(container, 'search-page')).toBeNull();
    // Ctrl+F alone still goes to the inbox's own filter.
    fireEvent.keyDown(window, { key: 'f', ctrlKey: true });
    expect(document.activeElement).toBe(byId(container, 'inbox-search'));
    expect(byId(container, 'search-page')).toBeNull();
  });

  it('mirrors in Arabic, the snippet in its own direction', async () => {
    core(answers);
    const { container } = render(<App lang="ar" />);
    await screen.findByText('اختر محادثة من القائمة.');
    fireEvent.click(screen.getByRole('button', { name: 'البحث في كل الرسائل' }));
    fireEvent.change(byId(container, 'search-query')!, { target: { value: 'دواء' } });
    const snippet = await waitFor(() => {
      const s = container.querySelector<HTMLElement>('.search-snippet');
      expect(s).not.toBeNull();
      return s!;
    });
    expect(snippet.getAttribute('dir')).toBe('auto');
    expect(snippet.closest('[dir="rtl"]')).toBe(container.querySelector('.app'));
    expect(byId(container, 'search-page')!.closest('[dir="rtl"]')).not.toBeNull();
    expect(screen.getByRole('heading', { name: 'البحث في الأرشيف' })).toBeTruthy();
  });
});
