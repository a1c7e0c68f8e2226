import { describe, expect, it } from 'vitest';
import { ar } from './ar';
import { en } from './en';
import { dirOf, t } from './index';

describe('i18n', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('en', 'coreStatus', { version: '1.2.3', schema: 4, dataDir: '/d' })).toBe(
      'Connected to the CubeDesk core v1.2.3 · archive schema 4 · data folder /d',
    );
    expect(t('en', 'coreStatus', { version: '1' })).toContain('{schema}');
  });

  it('Arabic has every English key and reads right to left', () => {
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
    expect(dirOf('ar')).toBe('rtl');
    expect(dirOf('en')).toBe('ltr');
    expect(t('ar', 'exploreDemo')).not.toBe(t('en', 'exploreDemo'));
  });
});
