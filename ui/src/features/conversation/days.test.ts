import { describe, expect, it } from 'vitest';
import { dayKey, dayLabel, groupByDay } from './days';

// Local times, so the test means the same in every time zone.
const at = (y: number, mo: number, d: number, h = 12, mi = 0) => new Date(y, mo - 1, d, h, mi).toISOString();
const now = new Date(2026, 1, 26, 15, 30); // 26 Feb 2026, 15:30 local

describe('days', () => {
  it('labels today and yesterday in words', () => {
    expect(dayLabel('en', new Date(2026, 1, 26, 0, 1), now)).toBe('Today');
    expect(dayLabel('en', new Date(2026, 1, 25, 23, 59), now)).toBe('Yesterday');
    expect(dayLabel('ar', new Date(2026, 1, 26, 9), now)).toBe('اليوم');
    expect(dayLabel('ar', new Date(2026, 1, 25, 9), now)).toBe('أمس');
  });

  it('labels other days with a localised date, the year only when it is another year', () => {
    const d = new Date(2026, 1, 20, 10);
    expect(dayLabel('en', d, now)).toBe(new Intl.DateTimeFormat('en', { weekday: 'long', day: 'numeric', month: 'long' }).format(d));
    expect(dayLabel('en', d, now)).toContain('February');
    const old = new Date(2025, 11, 31, 10);
    expect(dayLabel('en', old, now)).toContain('2025');
    const arLabel = dayLabel('ar', d, now);
    expect(arLabel).toBe(new Intl.DateTimeFormat('ar', { weekday: 'long', day: 'numeric', month: 'long' }).format(d));
    expect(arLabel).not.toBe(dayLabel('en', d, now));
  });

  it('yesterday across a month boundary', () => {
    const firstOfMarch = new Date(2026, 2, 1, 8);
    expect(dayLabel('en', new Date(2026, 1, 28, 22), firstOfMarch)).toBe('Yesterday');
  });

  it('groups messages oldest to newest into day sections', () => {
    const msgs = [
      { id: 1, createdAt: at(2026, 2, 20, 9) },
      { id: 2, createdAt: at(2026, 2, 20, 18) },
      { id: 3, createdAt: at(2026, 2, 25, 23, 59) },
      { id: 4, createdAt: at(2026, 2, 26, 0, 0) },
      { id: 5, createdAt: at(2026, 2, 26, 14) },
    ];
    const days = groupByDay('en', msgs, now);
    expect(days.map((d) => d.key)).toEqual(['2026-02-20', '2026-02-25', '2026-02-26']);
    expect(days.map((d) => d.messages.map((m) => m.id))).toEqual([[1, 2], [3], [4, 5]]);
    expect(days[1].label).toBe('Yesterday');
    expect(days[2].label).toBe('Today');
    expect(days[0].label).toContain('20');
  });

  it('is empty for no messages and keeps a message with an unreadable time', () => {
    expect(groupByDay('en', [], now)).toEqual([]);
    const days = groupByDay('en', [{ id: 1, createdAt: at(2026, 2, 26) }, { id: 2, createdAt: 'garbage' }], now);
    expect(days).toHaveLength(1);
    expect(days[0].messages.map((m) => m.id)).toEqual([1, 2]);
  });

  it('dayKey pads month and day', () => {
    expect(dayKey(new Date(2026, 0, 5))).toBe('2026-01-05');
  });
});
