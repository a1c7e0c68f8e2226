import { t, type Lang } from '../../i18n';

/** One calendar day of messages, in this computer's time zone. */
export interface DaySection<M> {
  /** `YYYY-MM-DD`, local time: stable as a React key. */
  key: string;
  label: string;
  messages: M[];
}

/** `YYYY-MM-DD` of a moment in local time. */
export function dayKey(d: Date): string {
  const mm = String(d.getMonth() + 1).padStart(2, '0');
  const dd = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${mm}-${dd}`;
}

/** "Today", "Yesterday", or the date in the UI language (the year only when it is not this year). */
export function dayLabel(lang: Lang, day: Date, now: Date): string {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  const key = dayKey(day);
  if (key === dayKey(today)) return t(lang, 'cvToday');
  if (key === dayKey(yesterday)) return t(lang, 'cvYesterday');
  const opts: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };
  if (day.getFullYear() !== now.getFullYear()) opts.year = 'numeric';
  return new Intl.DateTimeFormat(lang, opts).format(day);
}

/**
 * Messages (oldest → newest) cut into day sections, in the same order. Pure: `now` decides what
 * "Today" is. A message whose time cannot be read joins the section before it (or the first one).
 */
export function groupByDay<M extends { createdAt: string }>(lang: Lang, messages: M[], now: Date): Array<DaySection<M>> {
  const out: Array<DaySection<M>> = [];
  for (const m of messages) {
    const d = new Date(m.createdAt);
    const last = out[out.length - 1];
    if (Number.isNaN(d.getTime())) {
      if (last) last.messages.push(m);
      else out.push({ key: 'unknown', label: '', messages: [m] });
      continue;
    }
    const key = dayKey(d);
    if (last && last.key === key) {
      last.messages.push(m);
    } else if (last && last.key === 'unknown' && out.length === 1) {
      last.key = key;
      last.label = dayLabel(lang, d, now);
      last.messages.push(m);
    } else {
      out.push({ key, label: dayLabel(lang, d, now), messages: [m] });
    }
  }
  return out;
}
