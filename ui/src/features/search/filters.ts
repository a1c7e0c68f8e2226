// The search screen's state, kept pure: what the owner chose, and the filter object the core gets.
import type { MessageStatus, MessageType, SearchFilter, SearchOrder } from '../../ipc';

/** What the owner chose on the search screen. Dates are the date inputs' `YYYY-MM-DD`, local. */
export interface SearchChoices {
  customer?: { id: number; label: string };
  numberId?: number;
  from?: string;
  to?: string;
  direction?: SearchFilter['direction'];
  type?: MessageType;
  status?: MessageStatus;
  category?: SearchFilter['category'];
  tag?: string;
}

/** The whole search screen, kept by the app so going back to it finds it as it was left. */
export interface SearchState {
  query: string;
  order: SearchOrder;
  choices: SearchChoices;
}

export const EMPTY_SEARCH: SearchState = { query: '', order: 'newest', choices: {} };

export const MESSAGE_TYPES: readonly MessageType[] = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'template',
  'interactive',
  'location',
  'sticker',
  'reaction',
];
export const MESSAGE_STATUSES: readonly MessageStatus[] = ['pending', 'unconfirmed', 'queued', 'scheduled', 'sent', 'delivered', 'read', 'failed'];
export const CATEGORIES: ReadonlyArray<NonNullable<SearchFilter['category']>> = ['SERVICE', 'MARKETING', 'UTILITY', 'AUTHENTICATION'];

/** Local midnight of a `YYYY-MM-DD` day, `days` later, in Unix ms; undefined for anything else. */
export function localMidnightMs(day: string | undefined, days = 0): number | undefined {
  const m = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days);
  const ms = d.getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** The filter for the core: only what is set; `toMs` is the midnight after the last day (exclusive). */
export function toFilter(c: SearchChoices): SearchFilter {
  const f: SearchFilter = {};
  if (c.customer) f.customerId = c.customer.id;
  if (c.numberId !== undefined) f.numberId = c.numberId;
  const fromMs = localMidnightMs(c.from);
  if (fromMs !== undefined) f.fromMs = fromMs;
  const toMs = localMidnightMs(c.to, 1);
  if (toMs !== undefined) f.toMs = toMs;
  if (c.direction) f.direction = c.direction;
  if (c.type) f.type = c.type;
  if (c.status) f.status = c.status;
  if (c.category) f.category = c.category;
  if (c.tag) f.tag = c.tag;
  return f;
}

/** `choices` with `key` set, or removed when `value` is undefined or empty. */
export function choose<K extends keyof SearchChoices>(c: SearchChoices, key: K, value: SearchChoices[K] | '' | undefined): SearchChoices {
  const next = { ...c };
  if (value === undefined || value === '') delete next[key];
  else next[key] = value;
  return next;
}

export const hasChoices = (c: SearchChoices) => Object.keys(c).length > 0;
