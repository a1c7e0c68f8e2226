import { afterEach, describe, expect, it, vi } from 'vitest';
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
};

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

describe('App', () => {
  it('shows the core status and both ways in on a new archive', async () => {
    invoke.mockResolvedValue(status);
    const { container } = render(<App />);
    const line = await waitFor(() => {
      const el = container.querySelector('#core-status');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(line.textContent).toContain('v0.1.0');
    expect(line.textContent).toContain('archive schema 1');
    expect(line.textContent).toContain(status.dataDir);
    expect(screen.getByRole('button', { name: 'Connect your CubeConnect account' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Explore with demo data' })).toBeTruthy();
  });

  it('is honest that the demo is not built yet', async () => {
    invoke.mockResolvedValue(status);
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Explore with demo data' }));
    const notice = screen.getByRole('status');
    expect(notice.textContent).toMatch(/next update/);
    expect(notice.textContent).toMatch(/Nothing was changed/);
    fireEvent.click(screen.getByRole('button', { name: 'Connect your CubeConnect account' }));
    expect(screen.getByRole('status').textContent).toMatch(/Connecting an account/);
  });

  it('explains an archive the core could not open, with its code, and offers nothing else', async () => {
    invoke.mockRejectedValue({
      code: 'DB_CORRUPT',
      message: 'The archive file /x/cubedesk.db is damaged and cannot be read.',
    });
    const { container } = render(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('/x/cubedesk.db is damaged');
    expect(container.querySelector('#core-error-code')?.textContent).toBe('DB_CORRUPT');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('renders text from the core as text, never as markup', async () => {
    invoke.mockRejectedValue({ code: 'INTERNAL', message: '<img src=x onerror="alert(1)">' });
    const { container } = render(<App />);
    await screen.findByRole('alert');
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('#core-error')?.textContent).toBe('<img src=x onerror="alert(1)">');
  });

  it('mirrors the layout for Arabic', async () => {
    invoke.mockResolvedValue(status);
    const { container } = render(<App lang="ar" />);
    await screen.findByRole('button', { name: 'جرّب ببيانات تجريبية' });
    expect(container.querySelector('.app')?.getAttribute('dir')).toBe('rtl');
    expect(document.documentElement.dir).toBe('rtl');
  });
});
