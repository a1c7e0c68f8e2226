import { describe, expect, it } from 'vitest';
import { parsePreferences, resolveTheme, systemLang } from './preferences';

describe('preferences', () => {
  it('follows the system language when it is Arabic or English', () => {
    expect(systemLang(['ar-SA', 'en-US'])).toBe('ar');
    expect(systemLang(['fr-FR', 'en-GB'])).toBe('en');
    expect(systemLang(['de'])).toBe('en');
  });

  it('keeps valid saved choices and repairs damaged ones field by field', () => {
    expect(parsePreferences('{"lang":"ar","theme":"dark","notifyMessages":false,"notifyClosing":true}')).toEqual({
      lang: 'ar',
      theme: 'dark',
      notifyMessages: false,
      notifyClosing: true,
    });
    expect(parsePreferences('{"lang":"xx","theme":"neon","notifyMessages":"yes"}', ['ar'])).toEqual({
      lang: 'ar',
      theme: 'system',
      notifyMessages: true,
      notifyClosing: true,
    });
    expect(parsePreferences('not json{', ['en']).theme).toBe('system');
    expect(parsePreferences('null').lang).toBe('en');
  });

  it('resolves the theme: the owner\'s choice wins, system follows the system', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
});
