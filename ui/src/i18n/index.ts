import { ar } from './ar';
import { en, type StringKey } from './en';

export type Lang = 'en' | 'ar';
export type { StringKey };

const tables: Record<Lang, Record<StringKey, string>> = { en, ar };

/** The direction a UI language is written in. */
export function dirOf(lang: Lang): 'ltr' | 'rtl' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

/**
 * The string `key` in `lang`, cut at its `{name}` placeholders: each placeholder with a value in
 * `vars` becomes that value (any type, e.g. a React element), the rest stay as text. Placeholders
 * with no value are left visible, so a missing value shows instead of vanishing.
 */
export function tParts<V>(lang: Lang, key: StringKey, vars: Record<string, V>): Array<string | V> {
  const out: Array<string | V> = [];
  let text = '';
  for (const piece of tables[lang][key].split(/(\{\w+\})/)) {
    const name = /^\{(\w+)\}$/.exec(piece)?.[1];
    if (name !== undefined && Object.prototype.hasOwnProperty.call(vars, name)) {
      if (text) out.push(text);
      text = '';
      out.push(vars[name]);
    } else {
      text += piece;
    }
  }
  if (text) out.push(text);
  return out;
}

/** The string `key` in `lang`, with `{name}` placeholders filled from `vars`. */
export function t(lang: Lang, key: StringKey, vars: Record<string, string | number> = {}): string {
  return tParts(lang, key, vars).map(String).join('');
}
