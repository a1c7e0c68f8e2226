import { t, type Lang } from '../../i18n';
import type { MessageStatus } from '../../ipc';

/** How a status looks: `muted` grey ticks, `read` blue ticks, `danger` red, `words` a status said in words. */
export type TickTone = 'muted' | 'read' | 'danger' | 'words';

export interface Tick {
  /** What is drawn (WhatsApp's marks), or null when the status is said in words (`label` is shown). */
  glyph: string | null;
  tone: TickTone;
  /** An accessible sentence: "Read", "Failed: <reason>". */
  label: string;
}

// A clock from the Geometric Shapes block, which every system font has (the clock emoji does not
// draw in text fonts).
export const CLOCK = '◷';
export const ONE_TICK = '✓';
export const TWO_TICKS = '✓✓';
export const FAILED_MARK = '!';

/**
 * A message status as WhatsApp users know it:
 * - pending → a clock; sent → one grey tick; delivered → two grey ticks; read → two blue ticks;
 *   failed → a red mark, with the reason in the label.
 * - queued → a clock too. CubeConnect accepted the message but has not handed it to WhatsApp yet, and
 *   one tick means "reached WhatsApp" to users: showing it would claim more than is known.
 *   The label says it is queued, so it is told apart from pending by whoever reads the label.
 * - scheduled and unconfirmed are not WhatsApp states: they are said in words (glyph null).
 */
export function tickFor(lang: Lang, status: MessageStatus, failureReason?: string | null): Tick {
  switch (status) {
    case 'pending':
      return { glyph: CLOCK, tone: 'muted', label: t(lang, 'cvTickPending') };
    case 'queued':
      return { glyph: CLOCK, tone: 'muted', label: t(lang, 'cvTickQueued') };
    case 'sent':
      return { glyph: ONE_TICK, tone: 'muted', label: t(lang, 'cvTickSent') };
    case 'delivered':
      return { glyph: TWO_TICKS, tone: 'muted', label: t(lang, 'cvTickDelivered') };
    case 'read':
      return { glyph: TWO_TICKS, tone: 'read', label: t(lang, 'cvTickRead') };
    case 'failed': {
      const reason = failureReason?.trim();
      return {
        glyph: FAILED_MARK,
        tone: 'danger',
        label: reason ? t(lang, 'cvTickFailed', { reason }) : t(lang, 'cvTickFailedNoReason'),
      };
    }
    case 'scheduled':
      return { glyph: null, tone: 'words', label: t(lang, 'cvTickScheduled') };
    case 'unconfirmed':
      return { glyph: null, tone: 'words', label: t(lang, 'cvTickUnconfirmed') };
    default:
      // A status a newer core knows and this UI does not: said as it is, never guessed.
      return { glyph: null, tone: 'words', label: String(status) };
  }
}
