import { ar } from './ar';
import { en, type StringKey } from './en';

export type Lang = 'en' | 'ar';
export type { StringKey };

const tables: Record<Lang, Record<StringKey, string>> = { en, ar };

/** The direction a UI language is written in. */
export function dirOf(lang: Lang): 'ltr' | 'rtl' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

/** The string `key` in `lang`, with `{name}` placeholders filled from `vars`. */
export function t(lang: Lang, key: StringKey, vars: Record<string, string | number> = {}): string {
  return tables[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}
