// The one place that listens to the core's change events (src-tauri/sync/events.rs). Every write
// the window shows is announced once after it commits, so nothing here polls the database.
import { listen } from '@tauri-apps/api/event';
import { useEffect, useState } from 'react';

export const CHANGE_EVENT = 'cubedesk://change';

export type Change =
  | { kind: 'messageAdded'; conversationId: number; messageId: number }
  | { kind: 'messageChanged'; conversationId: number; messageId: number }
  | { kind: 'conversationChanged'; conversationId: number }
  | { kind: 'windowChanged'; conversationId: number }
  | { kind: 'customerChanged'; customerId: number }
  | { kind: 'templatesChanged' }
  | { kind: 'syncStateChanged' };

/**
 * A number that grows whenever the core reports changes, at most once per `settleMs`, so a burst
 * of events (a sync catching up) causes one refresh, not hundreds.
 */
export function useChangeTick(settleMs = 250): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let unlisten: (() => void) | null = null;
    let live = true;
    listen<Change>(CHANGE_EVENT, () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        setTick((t) => t + 1);
      }, settleMs);
    }).then(
      (u) => (live ? (unlisten = u) : u()),
      () => {
        // Outside the app (unit tests, a browser) there is no event bus: nothing to listen to.
      },
    );
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
      unlisten?.();
    };
  }, [settleMs]);
  return tick;
}

/** Calls `handler` with each `name` event the core emits (links, updates: rare, so no settling). */
export function useCoreEvent<T>(name: string, handler: (payload: T) => void): void {
  useEffect(() => {
    let unlisten: (() => void) | null = null;
    let live = true;
    listen<T>(name, (e) => handler(e.payload)).then(
      (u) => (live ? (unlisten = u) : u()),
      () => {
        // No event bus outside the app.
      },
    );
    return () => {
      live = false;
      unlisten?.();
    };
  }, [name, handler]);
}
