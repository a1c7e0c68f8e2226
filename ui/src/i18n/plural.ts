// Counted phrases, by the plural rules of each language (Intl.PluralRules): English has "one" and
// "other"; Arabic has six forms. Kept apart from en.ts/ar.ts because the two tables have
// different shapes by nature.
import type { Lang } from './index';

type Forms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const phrases = {
  unread: {
    en: { one: '{n} unread message', other: '{n} unread messages' },
    ar: {
      zero: 'لا رسائل غير مقروءة',
      one: 'رسالة واحدة غير مقروءة',
      two: 'رسالتان غير مقروءتين',
      few: '{n} رسائل غير مقروءة',
      many: '{n} رسالة غير مقروءة',
      other: '{n} رسالة غير مقروءة',
    },
  },
  conversations: {
    en: { one: '{n} conversation', other: '{n} conversations' },
    ar: { zero: 'لا محادثات', one: 'محادثة واحدة', two: 'محادثتان', few: '{n} محادثات', many: '{n} محادثة', other: '{n} محادثة' },
  },
} satisfies Record<string, Record<Lang, Forms>>;

export type Phrase = keyof typeof phrases;

/** The phrase for `n` in `lang`, with the number written the language's way. */
export function plural(lang: Lang, phrase: Phrase, n: number): string {
  const forms: Forms = phrases[phrase][lang];
  const rule = new Intl.PluralRules(lang).select(n);
  const text = forms[rule] ?? forms.other;
  return text.replace('{n}', new Intl.NumberFormat(lang).format(n));
}
