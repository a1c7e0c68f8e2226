import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { WindowBanner } from './WindowBanner';
import type { WindowState } from '../../ipc';

const T0 = Date.parse('2026-02-26T10:00:00Z');
const win = (over: Partial<WindowState> = {}): WindowState => ({
  phase: 'open',
  active: true,
  expiresAt: new Date(T0 + (5 * 60 + 12) * 60_000).toISOString(),
  remainingMinutes: 312,
  source: 'server',
  ...over,
});

const banner = (c: HTMLElement) => c.querySelector<HTMLElement>('#window-banner')!;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('WindowBanner', () => {
  it('shows the time left and ticks every minute without a reload', () => {
    const { container } = render(<WindowBanner lang="en" window={win()} />);
    const b = banner(container);
    expect(b.getAttribute('role')).toBe('status');
    expect(b.dataset.phase).toBe('open');
    expect(b.textContent).toContain('Open · 5 h 12 min left');
    act(() => {
      vi.advanceTimersByTime(60_000);
    });
    expect(banner(container).textContent).toContain('Open · 5 h 11 min left');
    for (let i = 0; i < 11; i++) {
      act(() => {
        vi.advanceTimersByTime(60_000);
      });
    }
    expect(banner(container).textContent).toContain('Open · 5 h 0 min left');
  });

  it('warns in the last hour, then closes itself at zero and says so once', () => {
    const onExpired = vi.fn();
    const w = win({ phase: 'closing', expiresAt: new Date(T0 + 2 * 60_000).toISOString(), remainingMinutes: 2 });
    const { container } = render(<WindowBanner lang="en" window={w} onExpired={onExpired} />);
    expect(banner(container).dataset.phase).toBe('closing');
    expect(banner(container).className).toContain('closing');
    expect(banner(container).textContent).toContain('Closing soon · 2 min left');
    act(() => {
      vi.advanceTimersByTime(60_000);
    });
    expect(banner(container).textContent).toContain('1 min left');
    expect(onExpired).not.toHaveBeenCalled();
    act(() => {
      vi.advanceTimersByTime(60_000);
    });
    expect(banner(container).dataset.phase).toBe('closed');
    expect(banner(container).textContent).toContain(
      'The 24-hour window is closed: only approved templates can be sent',
    );
    expect(onExpired).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) {
      act(() => {
        vi.advanceTimersByTime(60_000);
      });
    }
    expect(onExpired).toHaveBeenCalledTimes(1);
    expect(banner(container).dataset.phase).toBe('closed');
  });

  it('turns from open to closing when the hour mark passes', () => {
    const w = win({ expiresAt: new Date(T0 + 61 * 60_000).toISOString(), remainingMinutes: 61 });
    const { container } = render(<WindowBanner lang="en" window={w} />);
    expect(banner(container).dataset.phase).toBe('open');
    act(() => {
      vi.advanceTimersByTime(60_000);
    });
    expect(banner(container).dataset.phase).toBe('closing');
  });

  it('counts from remainingMinutes when the core gave no expiry time', () => {
    const { container } = render(<WindowBanner lang="en" window={win({ expiresAt: null, remainingMinutes: 38 })} />);
    expect(banner(container).textContent).toContain('38 min left');
    act(() => {
      vi.advanceTimersByTime(60_000);
    });
    expect(banner(container).textContent).toContain('37 min left');
  });

  it('says a closed window and a window never opened in words', () => {
    const onExpired = vi.fn();
    const { container, rerender } = render(
      <WindowBanner lang="en" window={win({ phase: 'closed', expiresAt: null, remainingMinutes: 0 })} onExpired={onExpired} />,
    );
    expect(banner(container).dataset.phase).toBe('closed');
    expect(banner(container).textContent).toContain('only approved templates can be sent');
    expect(onExpired).not.toHaveBeenCalled();
    rerender(<WindowBanner lang="en" window={win({ phase: 'neverOpened', expiresAt: null, remainingMinutes: 0, source: null })} />);
    expect(banner(container).dataset.phase).toBe('neverOpened');
    expect(banner(container).textContent?.trim()).toBe('The customer has not written yet: start with an approved template');
  });

  it('says when the window was computed on this computer', () => {
    const { container, rerender } = render(<WindowBanner lang="en" window={win({ source: 'local' })} />);
    expect(banner(container).textContent).toContain('computed on this computer');
    rerender(<WindowBanner lang="en" window={win({ source: 'server' })} />);
    expect(banner(container).textContent).not.toContain('computed on this computer');
  });

  it('restarts from a new state of the core', () => {
    const { container, rerender } = render(<WindowBanner lang="en" window={win({ phase: 'closed', expiresAt: null })} />);
    expect(banner(container).dataset.phase).toBe('closed');
    rerender(<WindowBanner lang="en" window={win()} />);
    expect(banner(container).dataset.phase).toBe('open');
    expect(banner(container).textContent).toContain('5 h 12 min');
  });

  it('speaks Arabic', () => {
    const { container } = render(<WindowBanner lang="ar" window={win({ phase: 'closed', expiresAt: null })} />);
    expect(banner(container).textContent).toContain('نافذة الـ24 ساعة مغلقة');
  });
});
