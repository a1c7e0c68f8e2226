import type { WindowPhase, WindowState } from '../../ipc';

const MINUTE = 60_000;
/** At or under this many minutes left the window is "closing": the banner warns. */
export const CLOSING_MINUTES = 60;

/**
 * When the window ends, in ms since the epoch: `expiresAt` when the core gave one, else
 * `remainingMinutes` counted from `receivedAt` (when this state arrived). Null when it is not open.
 */
export function deadlineOf(w: WindowState, receivedAt: number): number | null {
  if (w.phase !== 'open' && w.phase !== 'closing') return null;
  if (w.expiresAt) {
    const at = Date.parse(w.expiresAt);
    if (!Number.isNaN(at)) return at;
  }
  return receivedAt + Math.max(0, w.remainingMinutes) * MINUTE;
}

/** Whole minutes left, rounded down like the core's count (so the banner and the list agree). */
export function minutesLeft(deadline: number, now: number): number {
  const ms = deadline - now;
  return ms <= 0 ? 0 : Math.floor(ms / MINUTE);
}

/** Ms until the shown minute count next changes (or the window ends). */
export function msToNextChange(deadline: number, now: number): number {
  const ms = deadline - now;
  if (ms <= 0) return 0;
  return ms % MINUTE || MINUTE;
}

export interface LiveWindow {
  phase: WindowPhase;
  minutesLeft: number;
}

/** The window at `now`: an open window counts down, turns "closing" at an hour, "closed" at zero. */
export function windowAt(w: WindowState, receivedAt: number, now: number): LiveWindow {
  const deadline = deadlineOf(w, receivedAt);
  if (deadline === null) return { phase: w.phase, minutesLeft: 0 };
  const left = minutesLeft(deadline, now);
  if (left <= 0) return { phase: 'closed', minutesLeft: 0 };
  return { phase: left <= CLOSING_MINUTES ? 'closing' : 'open', minutesLeft: left };
}
