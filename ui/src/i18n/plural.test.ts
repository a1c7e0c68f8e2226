import { describe, expect, it } from 'vitest';
import { plural } from './plural';

describe('plural', () => {
  it('uses English one/other', () => {
    expect(plural('en', 'unread', 1)).toBe('1 unread message');
    expect(plural('en', 'unread', 2)).toBe('2 unread messages');
    expect(plural('en', 'conversations', 1200)).toBe('1,200 conversations');
  });

  it('uses the Arabic forms: zero, one, two, few, many', () => {
    expect(plural('ar', 'unread', 0)).toBe('لا رسائل غير مقروءة');
    expect(plural('ar', 'unread', 1)).toBe('رسالة واحدة غير مقروءة');
    expect(plural('ar', 'unread', 2)).toBe('رسالتان غير مقروءتين');
    // Digits are the locale's (Arabic-Indic or Latin, by the ICU in use).
    const n = (x: number) => new Intl.NumberFormat('ar').format(x);
    expect(plural('ar', 'unread', 3)).toBe(`${n(3)} رسائل غير مقروءة`);
    expect(plural('ar', 'unread', 11)).toBe(`${n(11)} رسالة غير مقروءة`);
    expect(plural('ar', 'unread', 100)).toBe(`${n(100)} رسالة غير مقروءة`);
  });
});
