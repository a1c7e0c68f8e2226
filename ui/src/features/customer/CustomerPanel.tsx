import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { customerDetails, toAppError, type AppError, type CustomerDetails, type FlowSession } from '../../ipc';
import { t, type Lang, type StringKey } from '../../i18n';
import './customer.css';

export type CustomerPanelProps = {
  lang: Lang;
  customerId: number;
  /** Bumped when something may have changed: the panel loads the customer again. */
  tick: number;
  /** Shows a close button when given. */
  onClose?: () => void;
};

/** `966501234567` → `+966501234567`. */
export function displayPhone(phone: string): string {
  const digits = phone.replace(/[^\d]/g, '');
  return digits ? `+${digits}` : phone;
}

/** A date and time in the window's language; anything unreadable shown as it came. */
export function formatDate(lang: Lang, value: string | null): string | null {
  if (value === null || value === '') return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** A JSON value as key/value pairs: an object's entries, or the value as one row. Never HTML. */
export function entriesOf(value: unknown): Array<[string, string]> | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, valueText(v)]);
  }
  return [['', valueText(value)]];
}

function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return 'null';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function sessionStateKey(s: FlowSession): StringKey | null {
  if (s.endedAs === 'cancelled') return 'customerSessionCancelled';
  if (s.endedAs === 'completed' || s.completed === true) return 'customerSessionCompleted';
  if (s.completed === false) return 'customerSessionInProgress';
  return null;
}

type Load = { state: 'loading' } | { state: 'failed'; error: AppError } | { state: 'ready'; details: CustomerDetails };

/** Everything CubeConnect knows about the customer, read-only. */
export function CustomerPanel({ lang, customerId, tick, onClose }: CustomerPanelProps) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'unavailable' | 'failed'>('idle');
  const shownFor = useRef<number | null>(null);
  const copyTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const id = useId();

  useEffect(() => {
    let live = true;
    // A refresh of the same customer keeps the old details on screen until the new ones arrive.
    if (shownFor.current !== customerId) setLoad({ state: 'loading' });
    customerDetails(customerId).then(
      (details) => {
        if (!live) return;
        shownFor.current = customerId;
        setLoad({ state: 'ready', details });
      },
      (e) => {
        if (!live) return;
        shownFor.current = null;
        setLoad({ state: 'failed', error: toAppError(e) });
      },
    );
    return () => {
      live = false;
    };
  }, [customerId, tick, attempt]);

  useEffect(() => {
    setCopy('idle');
  }, [customerId]);

  useEffect(
    () => () => {
      if (copyTimer.current) clearTimeout(copyTimer.current);
    },
    [],
  );

  const copyPhone = async (phone: string) => {
    if (copyTimer.current) clearTimeout(copyTimer.current);
    const clipboard = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
    if (!clipboard || typeof clipboard.writeText !== 'function') {
      setCopy('unavailable');
      return;
    }
    try {
      await clipboard.writeText(phone);
      setCopy('copied');
      copyTimer.current = setTimeout(() => setCopy('idle'), 2000);
    } catch {
      setCopy('failed');
    }
  };

  const unknown = <span className="customer-unknown">{t(lang, 'customerUnknown')}</span>;
  const none = <span className="customer-unknown">{t(lang, 'customerNone')}</span>;
  const text = (v: string | null | undefined, empty: ReactNode = unknown) =>
    v === null || v === undefined || v === '' ? empty : <span dir="auto">{v}</span>;
  const date = (v: string | null) => {
    const s = formatDate(lang, v);
    return s === null ? unknown : <time dateTime={v ?? undefined}>{s}</time>;
  };
  const row = (key: StringKey, value: ReactNode, rowId?: string) => (
    <div className="customer-row" id={rowId}>
      <dt>{t(lang, key)}</dt>
      <dd>{value}</dd>
    </div>
  );
  const pairs = (value: unknown, listId: string) => {
    const entries = entriesOf(value);
    if (entries === null) return unknown;
    if (entries.length === 0) return none;
    return (
      <dl className="customer-pairs" id={listId}>
        {entries.map(([k, v], i) => (
          <div className="customer-pair" key={`${i}-${k}`}>
            {k !== '' && (
              <dt dir="auto" className="customer-key">
                {k}
              </dt>
            )}
            <dd dir="auto">{v}</dd>
          </div>
        ))}
      </dl>
    );
  };

  const optOut = (d: CustomerDetails) => {
    if (d.optedOut === null) return t(lang, 'customerOptNever');
    if (!d.optedOut) return t(lang, 'customerOptIn');
    const since = formatDate(lang, d.optedOutAt) ?? t(lang, 'customerUnknown');
    const key: StringKey =
      d.optOutScope === 'marketing' ? 'customerOptOutMarketing' : d.optOutScope === 'all' ? 'customerOptOutAll' : 'customerOptOutUnknownScope';
    return t(lang, key, { date: since });
  };

  let body: ReactNode;
  if (load.state === 'loading') {
    body = (
      <p className="muted customer-loading" role="status">
        {t(lang, 'customerLoading')}
      </p>
    );
  } else if (load.state === 'failed') {
    body = (
      <div className="form-failure" role="alert" id="customer-failure">
        <p dir="auto">{load.error.message}</p>
        <button type="button" className="link-button" onClick={() => setAttempt((n) => n + 1)}>
          {t(lang, 'customerRetry')}
        </button>
      </div>
    );
  } else {
    const d = load.details;
    const phone = displayPhone(d.phone);
    const responses = [...d.responses].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    const s = d.session;
    const state = s ? sessionStateKey(s) : null;
    body = (
      <>
        <dl className="customer-facts">
          {row('customerName', <span className="customer-name">{text(d.name)}</span>, 'customer-name')}
          {row(
            'customerPhone',
            <span className="customer-phone-line">
              <span dir="auto" className="customer-phone" id="customer-phone">
                {phone}
              </span>
              <button type="button" className="secondary customer-copy" id="customer-copy" aria-label={t(lang, 'customerCopyPhone')} onClick={() => void copyPhone(phone)}>
                {t(lang, 'customerCopy')}
              </button>
              <span className="customer-copy-status" role="status" id="customer-copy-status">
                {copy === 'copied' && <span className="customer-copied">{t(lang, 'customerCopied')}</span>}
                {copy === 'unavailable' && <span className="field-problem">{t(lang, 'customerCopyUnavailable')}</span>}
                {copy === 'failed' && <span className="field-problem">{t(lang, 'customerCopyFailed')}</span>}
              </span>
            </span>,
          )}
          {row('customerEmail', text(d.email), 'customer-email')}
          {row(
            'customerTags',
            d.tags.length === 0 ? (
              none
            ) : (
              <ul className="customer-tags" id="customer-tags">
                {d.tags.map((tag, i) => (
                  <li key={`${i}-${tag}`} className="customer-tag" dir="auto">
                    {tag}
                  </li>
                ))}
              </ul>
            ),
          )}
          {row(
            'customerStatus',
            d.blocked ? (
              <span className="customer-blocked">{t(lang, 'customerStatusBlocked')}</span>
            ) : (
              <span>{t(lang, 'customerStatusActive')}</span>
            ),
            'customer-status',
          )}
          {row('customerOptOut', <span className={d.optedOut ? 'customer-opted-out' : undefined}>{optOut(d)}</span>, 'customer-opt-out')}
        </dl>

        <section className="customer-section" aria-labelledby={`${id}-meta`}>
          <h3 id={`${id}-meta`}>{t(lang, 'customerMetadata')}</h3>
          {pairs(d.metadata, 'customer-metadata')}
        </section>

        <section className="customer-section" aria-labelledby={`${id}-responses`}>
          <h3 id={`${id}-responses`}>{t(lang, 'customerResponses')}</h3>
          {responses.length === 0 ? (
            <p className="customer-empty">{none}</p>
          ) : (
            <dl className="customer-pairs" id="customer-responses">
              {responses.map((r, i) => (
                <div className="customer-pair" key={`${i}-${r.questionKey}-${r.createdAt}`}>
                  <dt dir="auto" className="customer-key">
                    {r.questionText && r.questionText !== '' ? r.questionText : r.questionKey}
                  </dt>
                  <dd>
                    {text(r.value)}
                    <span className="customer-when">{date(r.createdAt)}</span>
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </section>

        <section className="customer-section" aria-labelledby={`${id}-session`} id="customer-session">
          <h3 id={`${id}-session`}>{t(lang, 'customerSession')}</h3>
          {s === null ? (
            <p className="customer-empty muted">{t(lang, 'customerNoSession')}</p>
          ) : (
            <dl className="customer-facts">
              {row('customerFlow', s.flowId === null ? unknown : <span dir="auto">{String(s.flowId)}</span>, 'customer-flow')}
              {row('customerStep', s.currentStepId === null ? unknown : <span dir="auto">{String(s.currentStepId)}</span>, 'customer-step')}
              {row('customerSessionState', state === null ? unknown : t(lang, state), 'customer-session-state')}
              {row('customerStarted', date(s.startedAt))}
              {row('customerLastInteraction', date(s.lastInteractionAt))}
              {row('customerExpires', date(s.expiresAt))}
              {row('customerSessionData', pairs(s.sessionData, 'customer-session-data'))}
            </dl>
          )}
        </section>

        <section className="customer-section" aria-labelledby={`${id}-history`}>
          <h3 id={`${id}-history`}>{t(lang, 'customerHistory')}</h3>
          <dl className="customer-facts">
            {row('customerFirstConversation', date(d.firstConversationAt), 'customer-first')}
            {row('customerLastConversation', date(d.lastConversationAt), 'customer-last')}
            {row('customerTotalConversations', new Intl.NumberFormat(lang).format(d.totalConversations), 'customer-total')}
          </dl>
        </section>
      </>
    );
  }

  return (
    <aside className="customer-panel" id="customer-panel" aria-labelledby={`${id}-title`} aria-busy={load.state === 'loading'}>
      <header className="customer-head">
        <h2 id={`${id}-title`}>{t(lang, 'customerTitle')}</h2>
        {onClose && (
          <button type="button" className="icon-button" aria-label={t(lang, 'customerClose')} title={t(lang, 'customerClose')} onClick={onClose}>
            ×
          </button>
        )}
      </header>
      <div className="customer-body">{body}</div>
    </aside>
  );
}
