// The owner's display choices: language, theme and which desktop notifications to show. They are
// not secrets and not archive data, so they live in the webview's own storage, per computer.
import type { Lang } from '../../i18n';

export type Theme = 'system' | 'light' | 'dark';

export interface Preferences {
  lang: Lang;
  theme: Theme;
  notifyMessages: boolean;
  notifyClosing: boolean;
}

const KEY = 'cubedesk.preferences';

/** The first language the system prefers that CubeDesk speaks, else English. */
export function systemLang(languages: readonly string[]): Lang {
  for (const l of languages) {
    const primary = l.toLowerCase().split('-')[0];
    if (primary === 'ar') return 'ar';
    if (primary === 'en') return 'en';
  }
  return 'en';
}

export function defaults(languages: readonly string[] = []): Preferences {
  return { lang: systemLang(languages), theme: 'system', notifyMessages: true, notifyClosing: true };
}

/** Whatever was saved, checked field by field: a damaged or foreign value falls back to the default. */
export function parsePreferences(raw: string | null, languages: readonly string[] = []): Preferences {
  const d = defaults(languages);
  let v: unknown;
  try {
    v = raw ? JSON.parse(raw) : null;
  } catch {
    return d;
  }
  if (typeof v !== 'object' || v === null) return d;
  const o = v as Record<string, unknown>;
  return {
    lang: o.lang === 'ar' || o.lang === 'en' ? o.lang : d.lang,
    theme: o.theme === 'light' || o.theme === 'dark' || o.theme === 'system' ? o.theme : d.theme,
    notifyMessages: typeof o.notifyMessages === 'boolean' ? o.notifyMessages : d.notifyMessages,
    notifyClosing: typeof o.notifyClosing === 'boolean' ? o.notifyClosing : d.notifyClosing,
  };
}

export function loadPreferences(): Preferences {
  try {
    return parsePreferences(localStorage.getItem(KEY), navigator.languages ?? []);
  } catch {
    return defaults();
  }
}

export function savePreferences(p: Preferences): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    // Storage full or refused: the choice holds for this session.
  }
}

const darkQuery = (): MediaQueryList | null =>
  typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;

/** Light or dark as shown: the owner's choice, or the system's for `system`. */
export function resolveTheme(theme: Theme, systemDark: boolean): 'light' | 'dark' {
  return theme === 'system' ? (systemDark ? 'dark' : 'light') : theme;
}

/**
 * Marks the document light or dark (the CSS keys off `data-theme`) and follows the system while
 * the choice is `system`. Returns a function that stops following.
 */
export function applyTheme(theme: Theme): () => void {
  const query = darkQuery();
  const apply = () => {
    document.documentElement.dataset.theme = resolveTheme(theme, query?.matches ?? false);
  };
  apply();
  if (theme !== 'system' || !query) return () => {};
  query.addEventListener('change', apply);
  return () => query.removeEventListener('change', apply);
}
