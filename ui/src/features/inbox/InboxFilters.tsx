import { useEffect, useState } from 'react';
import { inboxTags, type InboxFilter, type NumberSummary } from '../../ipc';
import { t, type Lang } from '../../i18n';

/** Search by name or phone, and the filters that combine with it. */
export function InboxFilters({
  lang,
  filter,
  onChange,
  numbers,
  searchRef,
  tick,
}: {
  lang: Lang;
  filter: InboxFilter;
  onChange: (f: InboxFilter) => void;
  numbers: NumberSummary[];
  searchRef?: React.Ref<HTMLInputElement>;
  tick: number;
}) {
  const [tags, setTags] = useState<string[]>([]);
  const [query, setQuery] = useState(filter.query ?? '');

  useEffect(() => {
    inboxTags().then(setTags, () => setTags([]));
  }, [tick]);

  // Typing settles for a moment before the list is asked again.
  useEffect(() => {
    const q = query.trim();
    if ((filter.query ?? '') === q) return;
    const timer = setTimeout(() => onChange(set(filter, 'query', q || undefined)), 200);
    return () => clearTimeout(timer);
  }, [query, filter, onChange]);

  const toggle = (key: 'unread' | 'failed') => onChange(set(filter, key, filter[key] ? undefined : true));

  return (
    <div className="inbox-filters" role="search">
      <input
        ref={searchRef}
        id="inbox-search"
        type="search"
        className="inbox-search"
        dir="auto"
        value={query}
        placeholder={t(lang, 'searchConversations')}
        aria-label={t(lang, 'searchConversations')}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className="filter-row">
        <button type="button" id="filter-unread" className="chip" aria-pressed={!!filter.unread} onClick={() => toggle('unread')}>
          {t(lang, 'filterUnread')}
        </button>
        <button type="button" id="filter-failed" className="chip" aria-pressed={!!filter.failed} onClick={() => toggle('failed')}>
          {t(lang, 'filterFailed')}
        </button>
        <select
          id="filter-window"
          className="chip-select"
          aria-label={t(lang, 'filterWindow')}
          value={filter.window ?? ''}
          onChange={(e) => onChange(set(filter, 'window', (e.target.value || undefined) as InboxFilter['window']))}
        >
          <option value="">{t(lang, 'filterWindowAny')}</option>
          <option value="open">{t(lang, 'filterWindowOpen')}</option>
          <option value="closing">{t(lang, 'filterWindowClosing')}</option>
          <option value="closed">{t(lang, 'filterWindowClosed')}</option>
        </select>
        {tags.length > 0 && (
          <select
            id="filter-tag"
            className="chip-select"
            aria-label={t(lang, 'filterTag')}
            value={filter.tag ?? ''}
            onChange={(e) => onChange(set(filter, 'tag', e.target.value || undefined))}
          >
            <option value="">{t(lang, 'filterTagAny')}</option>
            {tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        )}
        {numbers.length > 1 && (
          <select
            id="filter-number"
            className="chip-select"
            aria-label={t(lang, 'filterNumber')}
            value={filter.numberId ?? ''}
            onChange={(e) => onChange(set(filter, 'numberId', e.target.value ? Number(e.target.value) : undefined))}
          >
            <option value="">{t(lang, 'filterNumberAny')}</option>
            {numbers.map((n) => (
              <option key={n.id} value={n.id}>
                {n.displayName}
              </option>
            ))}
          </select>
        )}
      </div>
    </div>
  );
}

/** `filter` with `key` set, or removed when `value` is undefined (so an empty filter is `{}`). */
export function set<K extends keyof InboxFilter>(filter: InboxFilter, key: K, value: InboxFilter[K] | undefined): InboxFilter {
  const next = { ...filter };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}
