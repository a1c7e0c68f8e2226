import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import type { SyncStatus } from '../../ipc';
import { DesktopSettings } from './DesktopSettings';

const sync: SyncStatus = { running: true, online: true, listening: true, receiverUrl: null, unsigned: false, lastEventAt: null, waitingMessages: 0, paused: false };

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

function answer(answers: Record<string, (args: unknown) => unknown>) {
  invoke.mockImplementation(async (cmd: string, args: unknown) => {
    const a = answers[cmd];
    if (!a) throw { code: 'INTERNAL', message: `unexpected ${cmd}` };
    return a(args);
  });
}

describe('DesktopSettings', () => {
  it('shows start at login as the system has it, and changes it through the core', async () => {
    let on = false;
    answer({ autostart_enabled: () => on, set_autostart: (a) => (on = (a as { enabled: boolean }).enabled) });
    render(<DesktopSettings lang="en" sync={sync} canPause />);
    const box = (await screen.findByLabelText('Open CubeDesk when I log in')) as HTMLInputElement;
    await waitFor(() => expect(box.disabled).toBe(false));
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    await waitFor(() => expect(box.checked).toBe(true));
    expect(invoke).toHaveBeenCalledWith('set_autostart', { enabled: true });
  });

  it('says in words when the system refuses the login item', async () => {
    answer({
      autostart_enabled: () => {
        throw { code: 'INTERNAL', message: 'CubeDesk could not change whether it starts when you log in (no home).' };
      },
    });
    render(<DesktopSettings lang="en" sync={sync} canPause />);
    expect((await screen.findByRole('alert')).textContent).toContain('could not change whether it starts');
    expect((screen.getByLabelText('Open CubeDesk when I log in') as HTMLInputElement).disabled).toBe(true);
  });

  it('pauses sync, and puts the box back if the core refuses', async () => {
    let fail = false;
    answer({
      autostart_enabled: () => false,
      pause_sync: () => {
        if (fail) throw { code: 'INTERNAL', message: 'no' };
        return null;
      },
    });
    render(<DesktopSettings lang="en" sync={sync} canPause />);
    const box = screen.getByLabelText(/Pause sync/) as HTMLInputElement;
    fireEvent.click(box);
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('pause_sync', { paused: true }));
    expect(box.checked).toBe(true);
    fail = true;
    fireEvent.click(box);
    await waitFor(() => expect(box.checked).toBe(true));
    expect(screen.getByRole('alert').textContent).toBe('no');
  });

  it('no pause for the demo', () => {
    answer({ autostart_enabled: () => false });
    render(<DesktopSettings lang="en" sync={sync} canPause={false} />);
    expect(screen.queryByLabelText(/Pause sync/)).toBeNull();
  });

  it('shows the diagnostics it copies, as text', async () => {
    answer({ autostart_enabled: () => false, diagnostics: () => 'CubeDesk 0.1.0\n<b>not markup</b>' });
    const { container } = render(<DesktopSettings lang="en" sync={sync} canPause />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy diagnostics' }));
    const text = await waitFor(() => {
      const t = container.querySelector<HTMLTextAreaElement>('#diagnostics-text');
      expect(t).not.toBeNull();
      return t!;
    });
    expect(text.value).toBe('CubeDesk 0.1.0\n<b>not markup</b>');
    expect(container.querySelector('b')).toBeNull();
  });

  it('looks for updates by hand and says what it found', async () => {
    answer({
      autostart_enabled: () => false,
      check_update: () => ({ version: '0.2.0', notes: null }),
      install_update: () => {
        throw { code: 'UPDATE_FAILED', message: 'CubeDesk could not update itself (bad signature).' };
      },
    });
    render(<DesktopSettings lang="en" sync={sync} canPause />);
    expect(screen.queryByRole('button', { name: 'Install and restart' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Look for updates' }));
    await waitFor(() => expect(screen.getByText('CubeDesk 0.2.0 is available.')).not.toBeNull());
    expect(invoke).not.toHaveBeenCalledWith('install_update', undefined);
    fireEvent.click(screen.getByRole('button', { name: 'Install and restart' }));
    await waitFor(() => expect(screen.getByText('CubeDesk could not update itself (bad signature).')).not.toBeNull());
  });
});
