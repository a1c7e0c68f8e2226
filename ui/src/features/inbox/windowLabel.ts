import { t, type Lang } from '../../i18n';
import type { WindowState } from '../../ipc';

export type WindowTone = 'open' | 'closing' | 'closed' | 'never';

/** Whole minutes as "5 h 12 min" / "38 min". */
export function formatLeft(lang: Lang, minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  const h = Math.floor(m / 60);
  return h > 0 ? t(lang, 'hoursMinutes', { h, m: m % 60 }) : t(lang, 'minutes', { m });
}

/** The window as a status a glance can read. The core decided it; this only words it. */
export function windowLabel(lang: Lang, w: WindowState): { text: string; tone: WindowTone; detail: string | null } {
  const detail = w.source === 'local' ? t(lang, 'windowLocal') : null;
  switch (w.phase) {
    case 'open':
      return { text: t(lang, 'windowOpen', { left: formatLeft(lang, w.remainingMinutes) }), tone: 'open', detail };
    case 'closing':
      return { text: t(lang, 'windowClosing', { left: formatLeft(lang, w.remainingMinutes) }), tone: 'closing', detail };
    case 'closed':
      return { text: t(lang, 'windowClosed'), tone: 'closed', detail };
    default:
      return { text: t(lang, 'windowNever'), tone: 'never', detail: null };
  }
}
