// Small pure helpers for templates: searching and a local preview.
import type { Template } from '../../ipc';
import type { StringKey } from '../../i18n';

/**
 * Text folded for searching: case-insensitive, and Arabic written with or without its marks
 * (harakat, tatweel) and with any form of alef / yaa / taa marbuta matching the plain letter.
 */
export function foldForSearch(s: string): string {
  return s
    .normalize('NFKC')
    .toLocaleLowerCase()
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '')
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
    .replace(/\u0649/g, '\u064A')
    .replace(/\u0629/g, '\u0647');
}

/** `{{n}}` in `body` replaced with the n-th parameter when it is filled; the rest stay visible. */
export function fillLocally(body: string, params: string[]): string {
  return body.replace(/\{\{\s*(\d+)\s*\}\}/g, (hole, n: string) => {
    const value = params[Number(n) - 1];
    return value !== undefined && value.trim() !== '' ? value : hole;
  });
}

export function firstLine(body: string): string {
  const line = body.split('\n', 1)[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

export function categoryKey(c: Template['category']): StringKey {
  switch (c) {
    case 'MARKETING':
      return 'templateCategoryMarketing';
    case 'UTILITY':
      return 'templateCategoryUtility';
    case 'AUTHENTICATION':
      return 'templateCategoryAuthentication';
    default:
      return 'templateCategoryNone';
  }
}

export type MediaHeader = 'image' | 'video' | 'document';

export function mediaHeader(t: Template): MediaHeader | null {
  return t.headerType === 'image' || t.headerType === 'video' || t.headerType === 'document' ? t.headerType : null;
}

/** A language code as an HTML `lang` value (`en_US` → `en-US`). */
export function htmlLang(language: string): string {
  return language.replace(/_/g, '-');
}

export function isHttpsLink(s: string): boolean {
  return /^https:\/\/\S+$/i.test(s.trim());
}
