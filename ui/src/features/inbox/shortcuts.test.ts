import { describe, expect, it } from 'vitest';
import { actionFor, SHORTCUTS, type KeyLike } from './shortcuts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

describe('shortcuts', () => {
  it('maps each combination to its action', () => {
    expect(actionFor(key('ArrowDown', { altKey: true }), false)).toBe('next');
    expect(actionFor(key('ArrowUp', { altKey: true }), true)).toBe('previous');
    expect(actionFor(key('R', { altKey: true, shiftKey: true }), true)).toBe('composer');
    expect(actionFor(key('t', { altKey: true }), false)).toBe('templates');
    expect(actionFor(key('f', { ctrlKey: true }), true)).toBe('search');
    expect(actionFor(key('f', { metaKey: true }), false)).toBe('search');
    expect(actionFor(key('i', { altKey: true }), false)).toBe('customer');
    expect(actionFor(key('Escape'), true)).toBe('close');
  });

  it('lets ? and plain letters be typed into a message', () => {
    expect(actionFor(key('?'), false)).toBe('help');
    expect(actionFor(key('?'), true)).toBeNull();
    expect(actionFor(key('ArrowDown'), false)).toBeNull();
    expect(actionFor(key('t'), false)).toBeNull();
    expect(actionFor(key('f', { ctrlKey: true, altKey: true }), false)).toBeNull();
  });

  it('lists every action once in the sheet', () => {
    const actions = SHORTCUTS.map((s) => s.action);
    expect(new Set(actions).size).toBe(actions.length);
    expect(actions).toContain('help');
  });
});
