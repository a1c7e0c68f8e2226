// The keyboard shortcuts, one table: what the sheet (`?`) lists is what the handler does.

export type Action = 'next' | 'previous' | 'composer' | 'templates' | 'search' | 'customer' | 'help' | 'close';

export interface KeyLike {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** Shown in the sheet, in this order. `keys` is how the combination is written. */
export const SHORTCUTS: ReadonlyArray<{ action: Action; keys: string }> = [
  { action: 'next', keys: 'Alt + ↓' },
  { action: 'previous', keys: 'Alt + ↑' },
  { action: 'composer', keys: 'Alt + R' },
  { action: 'templates', keys: 'Alt + T' },
  { action: 'search', keys: 'Ctrl + F' },
  { action: 'customer', keys: 'Alt + I' },
  { action: 'help', keys: '?' },
  { action: 'close', keys: 'Esc' },
];

/**
 * The action a key press asks for, or null. `typing` is true while the focus is in a text field:
 * then only combinations with a modifier count, so `?` can still be typed into a message.
 */
export function actionFor(e: KeyLike, typing: boolean): Action | null {
  const ctrl = e.ctrlKey || e.metaKey;
  if (e.altKey && !ctrl) {
    switch (e.key) {
      case 'ArrowDown':
        return 'next';
      case 'ArrowUp':
        return 'previous';
    }
    // Alt+letter gives other characters on some layouts (and Arabic letters on an Arabic one):
    // match the physical letter case-insensitively and ignore the rest.
    switch (e.key.toLowerCase()) {
      case 'r':
        return 'composer';
      case 't':
        return 'templates';
      case 'i':
        return 'customer';
    }
    return null;
  }
  if (ctrl && !e.altKey && e.key.toLowerCase() === 'f') return 'search';
  if (e.key === 'Escape') return 'close';
  if (!typing && !ctrl && !e.altKey && e.key === '?') return 'help';
  return null;
}
