// The window's place on the desktop: its title (with the unread count) and notifications.
import { getCurrentWindow } from '@tauri-apps/api/window';

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

/**
 * A desktop notification through the webview's Notification API, asked for once. Where the
 * system has no notification service, or the owner refused, nothing is shown and nothing breaks.
 */
export function showNotice(title: string, body: string, onClick: () => void): void {
  if (typeof Notification === 'undefined') return;
  const show = () => {
    try {
      const n = new Notification(title, { body });
      n.onclick = () => {
        window.focus();
        onClick();
      };
    } catch {
      // No notification daemon: the unread count in the title still tells.
    }
  };
  if (Notification.permission === 'granted') show();
  else if (Notification.permission !== 'denied') void Notification.requestPermission().then((p) => p === 'granted' && show(), () => {});
}
