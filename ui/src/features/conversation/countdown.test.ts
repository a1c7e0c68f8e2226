import { describe, expect, it } from 'vitest';
import { deadlineOf, minutesLeft, msToNextChange, windowAt } from './countdown';
import type { WindowState } from '../../ipc';

const T0 = Date.parse('2026-02-26T10:00:00Z');
const open = (over: Partial<WindowState> = {}): WindowState => ({
  phase: 'open',
  active: true,
  expiresAt: new Date(T0 + (5 * 60 + 12) * 60_000).toISOString(),
  remainingMinutes: 312,
  source: 'server',
  ...over,
});

describe('countdown', () => {
  it('counts from expiresAt, else from remainingMinutes at arrival', () => {
    expect(deadlineOf(open(), 0)).toBe(T0 + 312 * 60_000);
    expect(deadlineOf(open({ expiresAt: null, remainingMinutes: 10 }), T0)).toBe(T0 + 600_000);
    expect(deadlineOf(open({ expiresAt: 'nonsense', remainingMinutes: 10 }), T0)).toBe(T0 + 600_000);
    expect(deadlineOf(open({ phase: 'closed' }), T0)).toBeNull();
    expect(deadlineOf(open({ phase: 'neverOpened' }), T0)).toBeNull();
  });

  it('rounds minutes up and reaches zero exactly at the deadline', () => {
    expect(minutesLeft(T0 + 61_000, T0)).toBe(1);
    expect(minutesLeft(T0 + 60_000, T0)).toBe(1);
    expect(minutesLeft(T0 + 59_999, T0)).toBe(0);
    expect(minutesLeft(T0, T0)).toBe(0);
    expect(minutesLeft(T0 - 5, T0)).toBe(0);
  });

  it('wakes up when the shown minute changes', () => {
    expect(msToNextChange(T0 + 90_000, T0)).toBe(30_000);
    expect(msToNextChange(T0 + 120_000, T0)).toBe(60_000);
    expect(msToNextChange(T0, T0)).toBe(0);
  });

  it('turns closing at an hour and closed at zero', () => {
    const w = open();
    expect(windowAt(w, T0, T0)).toEqual({ phase: 'open', minutesLeft: 312 });
    expect(windowAt(w, T0, T0 + 252 * 60_000)).toEqual({ phase: 'closing', minutesLeft: 60 });
    expect(windowAt(w, T0, T0 + 312 * 60_000)).toEqual({ phase: 'closed', minutesLeft: 0 });
    expect(windowAt(open({ phase: 'neverOpened' }), T0, T0).phase).toBe('neverOpened');
  });
});
