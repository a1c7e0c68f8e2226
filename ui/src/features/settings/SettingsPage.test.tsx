import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
const save = vi.fn();
vi.mock('@tauri-apps/plugin-dialog', () => ({ save: (...a: unknown[]) => save(...a), open: vi.fn() }));

import type { AccountSummary } from '../../ipc';
import { SettingsPage } from './SettingsPage';
import type { Preferences } from './preferences';

const prefs: Preferences = { lang: 'en', theme: 'system', notifyMessages: true, notifyClosing: true };
const account: AccountSummary = {
  id: 1,
  name: 'My shop',
  baseUrl: 'https://cubeconnect.io',
  tenantId: null,
  isDemo: false,
  disconnected: false,
  numbers: [
    { id: 3, apiId: 'a', displayName: 'Shop', webhookAccountId: null },
    { id: 4, apiId: 'b', displayName: 'Clinic', webhookAccountId: null },
  ],
};

afterEach(() => {
  cleanup();
  invoke.mockReset();
  save.mockReset();
});

function settings(lang: 'en' | 'ar', acc: AccountSummary | null) {
  invoke.mockImplementation(async (cmd: string) => {
    if (cmd === 'sync_status') return { running: true, online: true, listening: false, receiverUrl: null, unsigned: false, lastEventAt: null, waitingMessages: 0 };
    if (cmd === 'account_secrets') return { apiKey: true, webhookSecret: false };
    if (cmd === 'backup_archive') return { path: '/b.db', bytes: 2048 };
    throw { code: 'INTERNAL', message: `unexpected ${cmd}` };
  });
  return render(<SettingsPage lang={lang} prefs={{ ...prefs, lang }} onPrefs={() => {}} account={acc} demo={false} tick={0} onChanged={() => {}} onClose={() => {}} />);
}

describe('SettingsPage archive tools', () => {
  it('shows export, import and backup, even before an account is connected', async () => {
    const { container } = settings('en', null);
    for (const id of ['archive-export-format', 'archive-export', 'import-phone', 'import-preview', 'backup-now', 'restore-backup']) {
      expect(container.querySelector(`#${id}`), id).not.toBeNull();
    }
    expect(screen.getByRole('group', { name: 'Back up and restore' })).toBeTruthy();
    save.mockResolvedValue('/b.db');
    fireEvent.click(container.querySelector('#backup-now')!);
    await screen.findByText('Backup saved (2 kB) to /b.db');
  });

  it('the import offers the account\'s WhatsApp numbers; Arabic labels', async () => {
    const { container } = settings('ar', account);
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('sync_status', undefined));
    const select = container.querySelector<HTMLSelectElement>('#import-number')!;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Shop', 'Clinic']);
    expect(screen.getByRole('group', { name: 'استيراد محادثة واتساب' })).toBeTruthy();
  });
});
