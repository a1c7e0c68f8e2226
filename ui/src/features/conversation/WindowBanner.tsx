import { useEffect, useRef, useState } from 'react';
import { t, type Lang } from '../../i18n';
import type { WindowState } from '../../ipc';
import { formatLeft } from '../inbox/windowLabel';
import { deadlineOf, msToNextChange, windowAt } from './countdown';
import './conversation.css';

export interface WindowBannerProps {
  lang: Lang;
  window: WindowState;
  /** Called once when the countdown reaches zero on screen. */
  onExpired?: () => void;
}

/**
 * The 24-hour customer-service window above the thread. It counts down by itself, minute by minute,
 * from the deadline (never from a stale "minutes left"), and turns into the closed notice at zero.
 */
export function WindowBanner({ lang, window: w, onExpired }: WindowBannerProps) {
  // When this window state arrived: the base for `remainingMinutes` when there is no expiresAt.
  const [receivedAt, setReceivedAt] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  const expiredRef = useRef(false);
  const onExpiredRef = useRef(onExpired);
  onExpiredRef.current = onExpired;

  // A new state from the core restarts the countdown.
  useEffect(() => {
    const at = Date.now();
    setReceivedAt(at);
    setNow(at);
    expiredRef.current = false;
  }, [w.phase, w.expiresAt, w.remainingMinutes, w.source]);

  const deadline = deadlineOf(w, receivedAt);
  const live = windowAt(w, receivedAt, now);

  useEffect(() => {
    if (deadline === null) return;
    const wait = msToNextChange(deadline, now);
    if (wait <= 0) return;
    const id = setTimeout(() => setNow(Date.now()), wait);
    return () => clearTimeout(id);
  }, [deadline, now]);

  const counted = deadline !== null; // the core said open or closing
  useEffect(() => {
    if (counted && live.phase === 'closed' && !expiredRef.current) {
      expiredRef.current = true;
      onExpiredRef.current?.();
    }
  }, [counted, live.phase]);

  let text: string;
  switch (live.phase) {
    case 'open':
      text = t(lang, 'windowOpen', { left: formatLeft(lang, live.minutesLeft) });
      break;
    case 'closing':
      text = t(lang, 'windowClosing', { left: formatLeft(lang, live.minutesLeft) });
      break;
    case 'closed':
      text = t(lang, 'cvWindowClosedNotice');
      break;
    default:
      text = t(lang, 'cvWindowNeverNotice');
  }
  const local = w.source === 'local';

  return (
    <div id="window-banner" className={`window-banner ${live.phase}`} data-phase={live.phase} role="status">
      <span className="window-banner-dot" aria-hidden="true" />
      {(live.phase === 'open' || live.phase === 'closing') && (
        <span className="window-banner-title">{t(lang, 'cvWindowTitle')}</span>
      )}{' '}
      <span className="window-banner-text">{text}</span>{' '}
      {local && (
        <span className="window-banner-local" title={t(lang, 'cvWindowLocalWhy')}>
          {t(lang, 'windowLocal')}
        </span>
      )}
    </div>
  );
}
