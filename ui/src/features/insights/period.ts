// The period the insights cover, as the core wants it: Unix ms from local midnight (inclusive) to
// local midnight (exclusive), and the offset that cuts the days.
import { t, type Lang, type StringKey } from '../../i18n';
import type { Insights, InsightsQuery } from '../../ipc';
import { isoDay } from '../archive/files';

export type Period = '7d' | '30d' | '90d' | 'year' | 'custom';

export const PERIODS: { value: Period; label: StringKey }[] = [
  { value: '7d', label: 'insLast7' },
  { value: '30d', label: 'insLast30' },
  { value: '90d', label: 'insLast90' },
  { value: 'year', label: 'insThisYear' },
  { value: 'custom', label: 'insCustom' },
];

/** "2026-11-30" as that day's local midnight; null when it is not a date. */
export function parseDay(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getMonth() === Number(m[2]) - 1 ? d : null;
}

/**
 * The query for a period ending today (today included). `custom` takes both dates inclusive.
 * Null when the custom dates are missing or the wrong way round.
 */
export function buildQuery(period: Period, custom: { from: string; to: string }, numberId: number | null, now: Date = new Date()): InsightsQuery | null {
  const y = now.getFullYear();
  const mo = now.getMonth();
  const d = now.getDate();
  const tomorrow = new Date(y, mo, d + 1).getTime();
  let fromMs: number;
  let toMs = tomorrow;
  switch (period) {
    case '7d':
      fromMs = new Date(y, mo, d - 6).getTime();
      break;
    case '30d':
      fromMs = new Date(y, mo, d - 29).getTime();
      break;
    case '90d':
      fromMs = new Date(y, mo, d - 89).getTime();
      break;
    case 'year':
      fromMs = new Date(y, 0, 1).getTime();
      break;
    default: {
      const from = parseDay(custom.from);
      const to = parseDay(custom.to);
      if (!from || !to || from > to) return null;
      fromMs = from.getTime();
      toMs = new Date(to.getFullYear(), to.getMonth(), to.getDate() + 1).getTime();
    }
  }
  return { fromMs, toMs, numberId, utcOffsetMinutes: -now.getTimezoneOffset() };
}

/** The first and last day a query covers, as YYYY-MM-DD (the last is inclusive). */
export function queryDays(q: InsightsQuery): { from: string; to: string } {
  return { from: isoDay(new Date(q.fromMs)), to: isoDay(new Date(q.toMs - 1)) };
}

export function insightsFileName(q: InsightsQuery): string {
  const { from, to } = queryDays(q);
  return `cubedesk-insights-${from}-${to}.csv`;
}

/** Minutes in words: "12 min", "2 h 5 min", "1 d 3 h"; Arabic in full words ("ساعتان و5 دقائق"). */
export function formatMinutes(lang: Lang, minutes: number): string {
  const total = Math.round(minutes);
  if (total < 1) return t(lang, 'insUnderMinute');
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  const parts: Array<[number, 'day' | 'hour' | 'minute']> = d > 0 ? [[d, 'day'], [h, 'hour']] : h > 0 ? [[h, 'hour'], [m, 'minute']] : [[m, 'minute']];
  const shown = parts.filter(([n], i) => i === 0 || n > 0);
  if (lang === 'ar') {
    // Arabic counts change the noun (دقيقة، دقيقتان، ٥ دقائق): ICU knows the forms.
    const words = shown.map(([n, unit]) => new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(n));
    return new Intl.ListFormat(lang, { type: 'unit', style: 'long' }).format(words);
  }
  const unitKey = { day: 'insUnitDay', hour: 'insUnitHour', minute: 'insUnitMinute' } as const;
  return shown.map(([n, unit]) => `${new Intl.NumberFormat(lang).format(n)} ${t(lang, unitKey[unit])}`).join(' ');
}

/** A rate from the core (0–1) as "95.3%"; a dash when there is nothing to divide. */
export function formatRate(lang: Lang, rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** Money in its currency when the core knows it, else a plain amount. */
export function formatCost(lang: Lang, amount: number, currency: string | null): string {
  if (currency) {
    try {
      return new Intl.NumberFormat(lang, { style: 'currency', currency, maximumFractionDigits: 4 }).format(amount);
    } catch {
      // An unknown currency code: show the amount and the code as they are.
      return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 4 }).format(amount)} ${currency}`;
    }
  }
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 4 }).format(amount);
}

/** Nothing at all happened in the period. */
export function isEmpty(i: Insights): boolean {
  return (
    i.days.every((d) => d.inbound === 0 && d.outbound === 0) &&
    i.categories.every((c) => c.sends === 0) &&
    i.delivery.sent === 0 &&
    i.failures.length === 0 &&
    i.unanswered.length === 0 &&
    i.medianFirstResponseMinutes === null
  );
}

/** "2026-11-30" as a short local label ("30 Nov"). */
export function dayLabel(lang: Lang, day: string): string {
  const d = parseDay(day);
  return d ? d.toLocaleDateString(lang, { day: 'numeric', month: 'short' }) : day;
}
