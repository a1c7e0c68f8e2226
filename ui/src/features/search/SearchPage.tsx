import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { ExportButton } from '../archive/ExportButton';
import { t, tParts, type Lang, type StringKey } from '../../i18n';
import {
  inboxTags,
  searchArchive,
  toAppError,
  type CustomerHit,
  type MessageStatus,
  type MessageType,
  type NumberSummary,
  type SearchFilter,
  type SearchHit,
} from '../../ipc';
import { Highlighted } from './Snippet';
import { CATEGORIES, MESSAGE_STATUSES, MESSAGE_TYPES, choose, hasChoices, toFilter, type SearchChoices, type SearchState } from './filters';

/** Results asked for at a time. */
export const SEARCH_PAGE = 50;
/** How long (ms) typing settles before the archive is searched. */
export const DEBOUNCE_MS = 200;
/** How close to the end of the results (px) the next page starts loading. */
const NEAR_END = 300;

export interface SearchPageProps {
  lang: Lang;
  /** The account's WhatsApp numbers, for the number filter. */
  numbers: NumberSummary[];
  state: SearchState;
  onState: (s: SearchState) => void;
  /** A message result was chosen: open its conversation at that message. */
  onOpenMessage: (hit: SearchHit) => void;
  /** A customer result was chosen: open their conversation. */
  onOpenCustomer: (conversationId: number) => void;
  onBack: () => void;
  queryRef?: Ref<HTMLInputElement>;
}

type Results =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | {
      kind: 'ready';
      hits: SearchHit[];
      customers: CustomerHit[];
      next: string | null;
      more: 'idle' | 'loading' | 'error';
      moreError: string | null;
    };

const TYPE_KEY: Record<MessageType, StringKey> = {
  text: 'searchTypeText',
  image: 'searchTypeImage',
  video: 'searchTypeVideo',
  audio: 'searchTypeAudio',
  document: 'searchTypeDocument',
  template: 'searchTypeTemplate',
  interactive: 'searchTypeInteractive',
  location: 'searchTypeLocation',
  sticker: 'searchTypeSticker',
  reaction: 'searchTypeReaction',
};
const STATUS_KEY: Record<MessageStatus, StringKey> = {
  pending: 'searchStatusPending',
  unconfirmed: 'searchStatusUnconfirmed',
  queued: 'searchStatusQueued',
  scheduled: 'searchStatusScheduled',
  sent: 'searchStatusSent',
  delivered: 'searchStatusDelivered',
  read: 'searchStatusRead',
  failed: 'searchStatusFailed',
};
const CATEGORY_KEY: Record<NonNullable<SearchFilter['category']>, StringKey> = {
  SERVICE: 'searchCategoryService',
  MARKETING: 'searchCategoryMarketing',
  UTILITY: 'searchCategoryUtility',
  AUTHENTICATION: 'searchCategoryAuthentication',
};

function when(lang: Lang, iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** The results that take the focus with the arrow keys, in order. */
const RESULT = '[data-result]';

/**
 * Search the whole archive: text with filters that combine, customers first, then messages with
 * the matching words marked. Choosing a message opens its conversation at that message.
 */
export function SearchPage({ lang, numbers, state, onState, onOpenMessage, onOpenCustomer, onBack, queryRef }: SearchPageProps) {
  const [text, setText] = useState(state.query);
  const [tags, setTags] = useState<string[]>([]);
  const [results, setResults] = useState<Results>({ kind: 'idle' });
  const [retry, setRetry] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  /** Counts searches: an answer for anything but the latest is dropped. */
  const gen = useRef(0);
  const moreBusy = useRef(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    inboxTags().then(setTags, () => setTags([]));
  }, []);

  // Typing settles for a moment before the archive is searched.
  useEffect(() => {
    if (text === stateRef.current.query) return;
    const timer = setTimeout(() => onState({ ...stateRef.current, query: text }), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, onState]);

  const query = state.query.trim();
  const filter = useMemo(() => toFilter(state.choices), [state.choices]);
  const filterKey = JSON.stringify(filter);

  // A new query, filter or order starts again from the first page.
  useEffect(() => {
    const my = ++gen.current;
    moreBusy.current = false;
    if (!query) {
      setResults({ kind: 'idle' });
      return;
    }
    setResults({ kind: 'loading' });
    if (listRef.current) listRef.current.scrollTop = 0;
    searchArchive(query, JSON.parse(filterKey) as SearchFilter, state.order, null, SEARCH_PAGE).then(
      (r) => {
        if (gen.current !== my) return;
        setResults({ kind: 'ready', hits: r.hits, customers: r.customers, next: r.next, more: 'idle', moreError: null });
      },
      (e: unknown) => {
        if (gen.current !== my) return;
        setResults({ kind: 'error', message: toAppError(e).message });
      },
    );
  }, [query, filterKey, state.order, retry]);

  const loadMore = useCallback(() => {
    if (results.kind !== 'ready' || !results.next || moreBusy.current) return;
    const my = gen.current;
    const after = results.next;
    moreBusy.current = true;
    setResults({ ...results, more: 'loading', moreError: null });
    searchArchive(query, filter, state.order, after, SEARCH_PAGE).then(
      (r) => {
        if (gen.current !== my) return;
        moreBusy.current = false;
        setResults((prev) => {
          if (prev.kind !== 'ready') return prev;
          const have = new Set(prev.hits.map((h) => h.messageId));
          return { ...prev, hits: [...prev.hits, ...r.hits.filter((h) => !have.has(h.messageId))], next: r.next, more: 'idle' };
        });
      },
      (e: unknown) => {
        if (gen.current !== my) return;
        moreBusy.current = false;
        setResults((prev) => (prev.kind === 'ready' ? { ...prev, more: 'error', moreError: toAppError(e).message } : prev));
      },
    );
  }, [results, query, filter, state.order]);

  const onScroll = () => {
    const el = listRef.current;
    if (!el || results.kind !== 'ready' || !results.next || results.more !== 'idle') return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_END) loadMore();
  };

  const setChoices = (choices: SearchChoices) => onState({ ...stateRef.current, choices });
  const pick = <K extends keyof SearchChoices>(key: K, value: SearchChoices[K] | '' | undefined) => setChoices(choose(state.choices, key, value));

  // Arrow keys walk the results (and back up to the search box); Enter opens the one focused.
  const focusResult = (to: number) => {
    const all = [...(listRef.current?.querySelectorAll<HTMLElement>(RESULT) ?? [])];
    if (to < 0) {
      const input = document.getElementById('search-query');
      input?.focus();
      return;
    }
    all[Math.min(to, all.length - 1)]?.focus();
  };
  const onResultsKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    if (!target.matches(RESULT)) return;
    const all = [...(listRef.current?.querySelectorAll<HTMLElement>(RESULT) ?? [])];
    const at = all.indexOf(target);
    if (e.key === 'ArrowDown') focusResult(at + 1);
    else if (e.key === 'ArrowUp') focusResult(at - 1);
    else if (e.key === 'Enter') target.click();
    else return;
    e.preventDefault();
  };
  const onQueryKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      focusResult(0);
      e.preventDefault();
    } else if (e.key === 'Enter') {
      // Search now, without waiting for the pause.
      if (text !== state.query) onState({ ...state, query: text });
      e.preventDefault();
    }
  };

  const c = state.choices;
  const customerChip = c.customer && (
    <span className="search-chip" id="search-customer-chip">
      {tParts(lang, 'searchCustomerChip', {
        name: (
          <bdi key="name" dir="auto">
            {c.customer.label}
          </bdi>
        ),
      })}
      <button type="button" className="search-chip-remove" aria-label={t(lang, 'searchRemoveCustomer')} title={t(lang, 'searchRemoveCustomer')} onClick={() => pick('customer', undefined)}>
        ×
      </button>
    </span>
  );

  let body;
  if (results.kind === 'idle') {
    body = (
      <div className="search-empty" id="search-hint">
        <h2>{t(lang, 'searchHintTitle')}</h2>
        <p className="muted">{t(lang, 'searchHint')}</p>
      </div>
    );
  } else if (results.kind === 'loading') {
    body = (
      <p className="search-empty muted" role="status">
        {t(lang, 'searchSearching')}
      </p>
    );
  } else if (results.kind === 'error') {
    body = (
      <div className="search-empty">
        <p className="search-error" role="alert" dir="auto" id="search-error">
          {results.message}
        </p>
        <button type="button" className="secondary small" onClick={() => setRetry((r) => r + 1)}>
          {t(lang, 'cvTryAgain')}
        </button>
      </div>
    );
  } else if (results.hits.length === 0 && results.customers.length === 0) {
    body = (
      <p className="search-empty muted" id="search-none" role="status">
        {t(lang, 'searchNoResults')}
      </p>
    );
  } else {
    body = (
      <>
        {results.customers.length > 0 && (
          <section className="search-group" aria-labelledby="search-customers-title">
            <h2 id="search-customers-title" className="search-group-title">
              {t(lang, 'searchCustomers')}
            </h2>
            <ul className="search-list">
              {results.customers.map((cu) => (
                <CustomerResult
                  key={cu.customerId}
                  lang={lang}
                  hit={cu}
                  onOpen={onOpenCustomer}
                  onOnly={() =>
                    pick('customer', {
                      id: cu.customerId,
                      label: cu.name.map((s) => s.text).join('') || `+${cu.phone}`,
                    })
                  }
                />
              ))}
            </ul>
          </section>
        )}
        {results.hits.length > 0 && (
          <section className="search-group" aria-labelledby="search-messages-title">
            <h2 id="search-messages-title" className="search-group-title">
              {t(lang, 'searchMessages')}
            </h2>
            <ul className="search-list">
              {results.hits.map((h) => (
                <li key={h.messageId}>
                  <MessageResult lang={lang} hit={h} showNumber={numbers.length > 1} onOpen={onOpenMessage} />
                </li>
              ))}
            </ul>
          </section>
        )}
        {results.more === 'error' && (
          <p className="search-error" role="alert" dir="auto">
            {results.moreError}
          </p>
        )}
        {results.next && (
          <div className="search-more-row">
            <button type="button" id="search-more" className="secondary" onClick={loadMore} disabled={results.more === 'loading'}>
              {results.more === 'loading' ? t(lang, 'searchLoadingMore') : t(lang, 'searchMore')}
            </button>
          </div>
        )}
      </>
    );
  }

  return (
    <section className="search-page" id="search-page" aria-labelledby="search-title">
      <header className="search-head">
        <button type="button" id="search-back" className="icon-button search-back" onClick={onBack} aria-label={t(lang, 'searchBack')} title={t(lang, 'searchBack')}>
          <span aria-hidden="true" className="search-back-arrow">
            ←
          </span>
        </button>
        <h1 id="search-title" className="search-title">
          {t(lang, 'searchTitle')}
        </h1>
        {state.query.trim() && (
          <ExportButton
            lang={lang}
            scope={{ kind: 'search', query: state.query, filter }}
            defaultName={`cubedesk-search-${new Date().toISOString().slice(0, 10)}`}
          />
        )}
      </header>
      <div className="search-bar" role="search">
        <input
          ref={queryRef}
          id="search-query"
          type="search"
          className="search-input"
          dir="auto"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          value={text}
          placeholder={t(lang, 'searchPlaceholder')}
          aria-label={t(lang, 'searchQueryLabel')}
          aria-controls="search-results"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onQueryKey}
        />
        <select
          id="search-order"
          className="chip-select search-order"
          aria-label={t(lang, 'searchOrder')}
          value={state.order}
          onChange={(e) => onState({ ...state, order: e.target.value === 'relevance' ? 'relevance' : 'newest' })}
        >
          <option value="newest">{t(lang, 'searchOrderNewest')}</option>
          <option value="relevance">{t(lang, 'searchOrderRelevance')}</option>
        </select>
      </div>
      <div className="search-filters" role="group" aria-label={t(lang, 'searchFilters')}>
        {customerChip}
        {numbers.length > 1 && (
          <select
            id="search-number"
            className="chip-select"
            aria-label={t(lang, 'filterNumber')}
            value={c.numberId ?? ''}
            onChange={(e) => pick('numberId', e.target.value ? Number(e.target.value) : undefined)}
          >
            <option value="">{t(lang, 'filterNumberAny')}</option>
            {numbers.map((n) => (
              <option key={n.id} value={n.id}>
                {n.displayName}
              </option>
            ))}
          </select>
        )}
        <label className="search-date">
          <span>{t(lang, 'searchFrom')}</span>
          <input id="search-from" type="date" value={c.from ?? ''} max={c.to} onChange={(e) => pick('from', e.target.value)} />
        </label>
        <label className="search-date">
          <span>{t(lang, 'searchTo')}</span>
          <input id="search-to" type="date" value={c.to ?? ''} min={c.from} onChange={(e) => pick('to', e.target.value)} />
        </label>
        <select
          id="search-direction"
          className="chip-select"
          aria-label={t(lang, 'searchDirection')}
          value={c.direction ?? ''}
          onChange={(e) => pick('direction', e.target.value as SearchChoices['direction'] | '')}
        >
          <option value="">{t(lang, 'searchDirectionAny')}</option>
          <option value="inbound">{t(lang, 'searchInbound')}</option>
          <option value="outbound">{t(lang, 'searchOutbound')}</option>
        </select>
        <select id="search-type" className="chip-select" aria-label={t(lang, 'searchType')} value={c.type ?? ''} onChange={(e) => pick('type', e.target.value as MessageType | '')}>
          <option value="">{t(lang, 'searchTypeAny')}</option>
          {MESSAGE_TYPES.map((ty) => (
            <option key={ty} value={ty}>
              {t(lang, TYPE_KEY[ty])}
            </option>
          ))}
        </select>
        <select
          id="search-status"
          className="chip-select"
          aria-label={t(lang, 'searchStatus')}
          value={c.status ?? ''}
          onChange={(e) => pick('status', e.target.value as MessageStatus | '')}
        >
          <option value="">{t(lang, 'searchStatusAny')}</option>
          {MESSAGE_STATUSES.map((st) => (
            <option key={st} value={st}>
              {t(lang, STATUS_KEY[st])}
            </option>
          ))}
        </select>
        <select
          id="search-category"
          className="chip-select"
          aria-label={t(lang, 'searchCategory')}
          value={c.category ?? ''}
          onChange={(e) => pick('category', e.target.value as SearchChoices['category'] | '')}
        >
          <option value="">{t(lang, 'searchCategoryAny')}</option>
          {CATEGORIES.map((ca) => (
            <option key={ca} value={ca}>
              {t(lang, CATEGORY_KEY[ca])}
            </option>
          ))}
        </select>
        {tags.length > 0 && (
          <select id="search-tag" className="chip-select" aria-label={t(lang, 'filterTag')} value={c.tag ?? ''} onChange={(e) => pick('tag', e.target.value)}>
            <option value="">{t(lang, 'filterTagAny')}</option>
            {tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        )}
        {hasChoices(c) && (
          <button type="button" id="search-clear" className="link-button search-clear" onClick={() => setChoices({})}>
            {t(lang, 'searchClearFilters')}
          </button>
        )}
      </div>
      <div
        id="search-results"
        className="search-results"
        ref={listRef}
        onScroll={onScroll}
        onKeyDown={onResultsKey}
        role="region"
        aria-label={t(lang, 'searchResultsLabel')}
        aria-busy={results.kind === 'loading' || (results.kind === 'ready' && results.more === 'loading')}
        data-state={results.kind}
      >
        {body}
      </div>
    </section>
  );
}

function CustomerResult({ lang, hit, onOpen, onOnly }: { lang: Lang; hit: CustomerHit; onOpen: (conversationId: number) => void; onOnly: () => void }) {
  const phone = `+${hit.phone}`;
  const conversationId = hit.conversationId;
  return (
    <li className="search-customer" data-customer-id={hit.customerId} data-conversation-id={conversationId ?? undefined}>
      <button
        type="button"
        className="search-result search-customer-open"
        data-result=""
        disabled={conversationId === null}
        onClick={() => conversationId !== null && onOpen(conversationId)}
      >
        <span className="search-line">
          <bdi dir="auto" className="search-name">
            {hit.name.length > 0 ? <Highlighted segments={hit.name} /> : phone}
          </bdi>
          {hit.name.length > 0 && (
            <span className="search-phone" dir="ltr">
              {phone}
            </span>
          )}
        </span>
        {(hit.tags.length > 0 || conversationId === null) && (
          <span className="search-line search-meta">
            {hit.tags.map((tag) => (
              <span key={tag} className="search-tag" dir="auto">
                {tag}
              </span>
            ))}
            {conversationId === null && <span className="muted">{t(lang, 'searchNoConversation')}</span>}
          </span>
        )}
      </button>
      <button type="button" className="chip search-only-customer" onClick={onOnly}>
        {t(lang, 'searchOnlyCustomer')}
      </button>
    </li>
  );
}

function MessageResult({ lang, hit, showNumber, onOpen }: { lang: Lang; hit: SearchHit; showNumber: boolean; onOpen: (hit: SearchHit) => void }) {
  const phone = `+${hit.phone}`;
  const inbound = hit.direction === 'inbound';
  return (
    <button
      type="button"
      className={`search-result search-hit ${inbound ? 'inbound' : 'outbound'}`}
      data-result=""
      data-message-id={hit.messageId}
      data-conversation-id={hit.conversationId}
      onClick={() => onOpen(hit)}
    >
      <span className="search-line">
        <bdi dir="auto" className="search-name">
          {hit.customerName ?? <span dir="ltr">{phone}</span>}
        </bdi>
        {showNumber && (
          <bdi dir="auto" className="search-number muted">
            {hit.numberName}
          </bdi>
        )}
        <time className="search-when" dateTime={hit.createdAt}>
          {when(lang, hit.createdAt)}
        </time>
      </span>
      <span className="search-snippet" dir="auto">
        <Highlighted segments={hit.snippet} />
      </span>
      <span className="search-line search-meta">
        <span className="search-direction">{t(lang, inbound ? 'searchInbound' : 'searchOutbound')}</span>
        {hit.status && !inbound && <span className={`search-status status-${hit.status}`}>{t(lang, STATUS_KEY[hit.status])}</span>}
        {hit.type !== 'text' && <span className="search-type">{t(lang, TYPE_KEY[hit.type])}</span>}
        {hit.imported && <span className="search-imported">{t(lang, 'searchImported')}</span>}
      </span>
    </button>
  );
}
