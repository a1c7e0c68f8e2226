import { describe, expect, it } from 'vitest';
import type { WindowState } from '../../ipc';
import { formatLeft, windowLabel } from './windowLabel';

const w = (phase: WindowState['phase'], remainingMinutes: number, source: WindowState['source'] = 'local'): WindowState => ({
  phase,
  active: phase === 'open' || phase === 'closing',
  expiresAt: null,
  remainingMinutes,
  source,
});

describe('windowLabel', () => {
  it('words each phase with the time left', () => {
    expect(windowLabel('en', w('open', 312)).text).toBe('Open · 5 h 12 min left');
    expect(windowLabel('en', w('closing', 38)).text).toBe('Closing soon · 38 min left');
    expect(windowLabel('en', w('closed', 0)).text).toBe('Closed · templates only');
    expect(windowLabel('en', w('neverOpened', 0, null)).text).toBe('No customer message yet');
  });

  it('says when the window was only computed locally', () => {
    expect(windowLabel('en', w('open', 100, 'local')).detail).toBe('computed on this computer');
    expect(windowLabel('en', w('open', 100, 'server')).detail).toBeNull();
  });

  it('tones follow the phase', () => {
    expect(['open', 'closing', 'closed', 'neverOpened'].map((p) => windowLabel('en', w(p as WindowState['phase'], 5)).tone)).toEqual([
      'open',
      'closing',
      'closed',
      'never',
    ]);
  });

  it('formats minutes and hours, never negative', () => {
    expect(formatLeft('en', 0)).toBe('0 min');
    expect(formatLeft('en', 59)).toBe('59 min');
    expect(formatLeft('en', 60)).toBe('1 h 0 min');
    expect(formatLeft('en', 1439)).toBe('23 h 59 min');
    expect(formatLeft('en', -5)).toBe('0 min');
    expect(formatLeft('ar', 75)).toBe('1 س 15 د');
  });
});
