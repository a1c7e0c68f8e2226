// The window's place on the desktop: its title (with the unread count) and notifications.
import { getCurrentWindow } from '@tauri-apps/api/window';
import { isPermissionGranted, requestPermission, sendNotification } from '@tauri-apps/plugin-notification';

/** Sets the title of the window (and the document, for screen readers and tests). */
export function setWindowTitle(title: string, spoken: string): void {
  document.title = title;
  document.documentElement.dataset.unread = spoken;
  try {
    void getCurrentWindow()
      .setTitle(title)
      .catch(() => {});
  } catch {
    // Outside the app (tests, a browser) there is no native window.
  }
}

let allowed: Promise<boolean> | null = null;

/**
 * A native desktop notification (Tauri's notification plugin), permission asked once. Where the
 * system has no notification service, or the owner refused, nothing is shown and nothing breaks.
 */
export function showNotice(title: string, body: string): void {
  allowed ??= isPermissionGranted()
    .then((ok) => ok || requestPermission().then((p) => p === 'granted'))
    .catch(() => false);
  void allowed.then((ok) => {
    if (!ok) return;
    try {
      sendNotification({ title, body });
    } catch {
      // No notification daemon: the unread count in the title still tells.
    }
  });
}
