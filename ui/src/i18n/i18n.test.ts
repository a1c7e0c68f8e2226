import { describe, expect, it } from 'vitest';
import { ar } from './ar';
import { en } from './en';
import { dirOf, t, tParts } from './index';

describe('i18n', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('en', 'coreStatus', { version: '1.2.3', schema: 4, dataDir: '/d' })).toBe(
      'Connected to the CubeDesk core v1.2.3 · archive schema 4 · data folder /d',
    );
    expect(t('en', 'coreStatus', { version: '1' })).toContain('{schema}');
  });

  it('never reads a value as a placeholder or a pattern', () => {
    expect(t('en', 'coreStatus', { version: '$&{schema}', schema: 2, dataDir: '$1' })).toBe(
      'Connected to the CubeDesk core v$&{schema} · archive schema 2 · data folder $1',
    );
  });

  it('cuts a string at its placeholders so a value can be any node', () => {
    const folder = { node: 'folder' };
    expect(tParts('en', 'coreStatus', { version: '1', schema: '2', dataDir: folder })).toEqual([
      'Connected to the CubeDesk core v',
      '1',
      ' · archive schema ',
      '2',
      ' · data folder ',
      folder,
    ]);
  });

  it('Arabic has every English key, with the same placeholders, and reads right to left', () => {
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(holes(ar[key]), key).toEqual(holes(en[key]));
    }
    expect(dirOf('ar')).toBe('rtl');
    expect(dirOf('en')).toBe('ltr');
    expect(t('ar', 'exploreDemo')).not.toBe(t('en', 'exploreDemo'));
  });
});
