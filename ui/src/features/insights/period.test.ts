import { describe, expect, it } from 'vitest';
import { buildQuery, formatMinutes, formatRate, insightsFileName, isEmpty, queryDays } from './period';

const DAY = 24 * 60 * 60 * 1000;

describe('insights period', () => {
  // Mid-June: no daylight-saving change in the last 90 days anywhere that matters here.
  const now = new Date(2026, 5, 20, 15, 42, 10);

  it('last 7 days: today included, from and to at local midnight, 7 days apart', () => {
    const q = buildQuery('7d', { from: '', to: '' }, null, now)!;
    expect(q.toMs - q.fromMs).toBe(7 * DAY);
    expect(q.toMs).toBe(new Date(2026, 5, 21).getTime());
    expect(q.fromMs).toBe(new Date(2026, 5, 14).getTime());
    const from = new Date(q.fromMs);
    expect([from.getHours(), from.getMinutes(), from.getSeconds(), from.getMilliseconds()]).toEqual([0, 0, 0, 0]);
    expect(q.utcOffsetMinutes).toBe(-now.getTimezoneOffset());
    expect(q.numberId).toBeNull();
    expect(queryDays(q)).toEqual({ from: '2026-06-14', to: '2026-06-20' });
  });

  it('30 and 90 days, this year, and custom dates (the end date included)', () => {
    const d30 = buildQuery('30d', { from: '', to: '' }, 4, now)!;
    expect(d30.toMs - d30.fromMs).toBe(30 * DAY);
    expect(d30.numberId).toBe(4);
    const d90 = buildQuery('90d', { from: '', to: '' }, null, now)!;
    expect(queryDays(d90).from).toBe('2026-03-23');
    const year = buildQuery('year', { from: '', to: '' }, null, now)!;
    expect(queryDays(year)).toEqual({ from: '2026-01-01', to: '2026-06-20' });
    const custom = buildQuery('custom', { from: '2026-11-01', to: '2026-11-30' }, null, now)!;
    expect(custom.fromMs).toBe(new Date(2026, 10, 1).getTime());
    expect(custom.toMs).toBe(new Date(2026, 11, 1).getTime());
    expect(insightsFileName(custom)).toBe('cubedesk-insights-2026-11-01-2026-11-30.csv');
    expect(buildQuery('custom', { from: '2026-11-30', to: '2026-11-01' }, null, now)).toBeNull();
    expect(buildQuery('custom', { from: '', to: '2026-11-01' }, null, now)).toBeNull();
  });

  it('words the first-response time in both languages', () => {
    expect(formatMinutes('en', 12)).toBe('12 min');
    expect(formatMinutes('en', 125)).toBe('2 h 5 min');
    expect(formatMinutes('en', 120)).toBe('2 h');
    expect(formatMinutes('en', 1500)).toBe('1 d 1 h');
    expect(formatMinutes('en', 0.3)).toBe('under a minute');
    const ar = formatMinutes('ar', 125);
    expect(ar).toContain('ساعتان');
    expect(ar).toContain('دقائق');
    expect(ar).not.toMatch(/[a-z]/i);
    expect(formatMinutes('ar', 1)).toBe('دقيقة');
  });

  it('rates as percentages, a dash when there is nothing to divide', () => {
    expect(formatRate('en', 0.953)).toBe('95.3%');
    expect(formatRate('en', null)).toBe('—');
  });

  it('an all-zero period is empty', () => {
    const zero = {
      days: [{ day: '2026-06-20', inbound: 0, outbound: 0 }],
      categories: [],
      delivery: { sent: 0, delivered: 0, read: 0, failed: 0, deliveryRate: null, readRate: null },
      failures: [],
      medianFirstResponseMinutes: null,
      unanswered: [],
    };
    expect(isEmpty(zero)).toBe(true);
    expect(isEmpty({ ...zero, days: [{ day: '2026-06-20', inbound: 1, outbound: 0 }] })).toBe(false);
  });
});
