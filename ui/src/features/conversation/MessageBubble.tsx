import { useId, useState, type ReactNode } from 'react';
import { t, type Lang, type StringKey } from '../../i18n';
import { deleteMessage, editMessage, retryMessage, toAppError, type Message } from '../../ipc';
import { readInteractive } from './interactive';
import { tickFor } from './ticks';
import './conversation.css';

export interface MessageBubbleProps {
  lang: Lang;
  message: Message;
  /**
   * What an action changed here, for the thread to show at once (the core's change event follows):
   * the message as it now is, or null when it was deleted.
   */
  onLocalChange?: (id: number, next: Message | null) => void;
}

const RTL_LANGS = new Set(['ar', 'he', 'iw', 'fa', 'ur', 'yi', 'ps', 'sd', 'ug', 'ckb', 'dv']);

/** The direction a template language code ("ar", "ar_SA", "en-US") is written in. */
export function dirOfLanguage(code: string | null): 'ltr' | 'rtl' | 'auto' {
  if (!code) return 'auto';
  return RTL_LANGS.has(code.toLowerCase().split(/[-_]/)[0]) ? 'rtl' : 'ltr';
}

/** The OpenStreetMap link for coordinates, only from real numbers in range; never from customer text. */
export function mapLink(lat: unknown, lng: unknown): string | null {
  if (typeof lat !== 'number' || typeof lng !== 'number') return null;
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}`;
}

/** A coordinate with at most 6 decimals ("24.7136"). */
const coord = (n: number) => String(Number(n.toFixed(6)));

const MEDIA: Record<string, { icon: string; key: StringKey }> = {
  image: { icon: '🖼', key: 'cvPhoto' },
  video: { icon: '🎬', key: 'cvVideo' },
  audio: { icon: '🎤', key: 'cvVoice' },
  document: { icon: '📄', key: 'cvDocument' },
  sticker: { icon: '🏷', key: 'cvSticker' },
};

const CATEGORY: Record<string, StringKey> = {
  MARKETING: 'cvCatMarketing',
  UTILITY: 'cvCatUtility',
  AUTHENTICATION: 'cvCatAuthentication',
  SERVICE: 'cvCatService',
};

function clock(lang: Lang, iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' }).format(d);
}

/** "Marketing · 0.0500 USD", or whichever half is known; null when neither is. */
export function costLine(lang: Lang, m: Pick<Message, 'category' | 'cost' | 'costCurrency'>): string | null {
  const parts: string[] = [];
  if (m.category) parts.push(CATEGORY[m.category] ? t(lang, CATEGORY[m.category]) : m.category);
  if (typeof m.cost === 'number' && Number.isFinite(m.cost)) {
    const n = new Intl.NumberFormat(lang, { minimumFractionDigits: 4, maximumFractionDigits: 4 }).format(m.cost);
    parts.push(m.costCurrency ? `${n} ${m.costCurrency}` : n);
  }
  return parts.length ? parts.join(' · ') : null;
}

/** Text a customer or the archive supplied: always React text, in its own direction. */
function Txt({ children, className }: { children: string; className?: string }) {
  return (
    <p className={className ?? 'message-text'} dir="auto">
      {children}
    </p>
  );
}

function Body({ lang, m }: { lang: Lang; m: Message }): ReactNode {
  const media = MEDIA[m.type];
  if (media) {
    const detail = m.mediaCaption ?? m.mediaFilename ?? m.mediaPlaceholder;
    const link = m.mediaLink && /^https:\/\//i.test(m.mediaLink) ? m.mediaLink : null;
    return (
      <>
        <div className="media-placeholder" data-media={m.type}>
          <span className="media-icon" aria-hidden="true">
            {media.icon}
          </span>
          <span className="media-kind">{t(lang, media.key)}</span>
          {m.mediaFilename && m.mediaCaption && (
            <span className="media-file" dir="auto">
              {m.mediaFilename}
            </span>
          )}
        </div>
        {detail && <Txt>{detail}</Txt>}
        {link && (
          <p className="media-link" dir="ltr" title={t(lang, 'cvMediaNotKept')}>
            {link}
          </p>
        )}
      </>
    );
  }

  switch (m.type) {
    case 'template': {
      const dir = dirOfLanguage(m.templateLanguage);
      return (
        <>
          <p className="message-text" dir={dir} lang={m.templateLanguage?.split(/[-_]/)[0] || undefined}>
            {m.renderedBody ?? m.text ?? ''}
          </p>
          <p className="message-template" dir="auto">
            {t(lang, 'cvTemplateLine', { name: m.templateName ?? '?', language: m.templateLanguage ?? '?' })}
          </p>
        </>
      );
    }
    case 'interactive': {
      const v = readInteractive(m.interactive);
      if (v.kind === 'buttonReply' || v.kind === 'listReply') {
        return (
          <>
            <p className="message-note">{t(lang, v.kind === 'buttonReply' ? 'cvButtonReply' : 'cvListReply')}</p>
            <Txt>{v.replyTitle ?? m.text ?? ''}</Txt>
          </>
        );
      }
      const body = v.body ?? m.text;
      return (
        <>
          {v.header && <Txt className="message-header">{v.header}</Txt>}
          {body && <Txt>{body}</Txt>}
          {v.footer && <Txt className="message-footer">{v.footer}</Txt>}
          {v.listButton && (
            <p className="message-note" dir="auto">
              {v.listButton}
            </p>
          )}
          {v.chips.length > 0 && (
            <ul className="chips" aria-label={t(lang, v.kind === 'list' ? 'cvListRows' : 'cvButtons')}>
              {v.chips.map((c, i) => (
                <li key={i} className="chip" dir="auto">
                  {c.title}
                  {c.description && (
                    <span className="chip-description" dir="auto">
                      {c.description}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      );
    }
    case 'location': {
      const href = mapLink(m.locationLat, m.locationLng);
      return (
        <div className="location">
          <p className="media-placeholder">
            <span className="media-icon" aria-hidden="true">
              📍
            </span>
            <span className="media-kind">{t(lang, 'cvLocation')}</span>
          </p>
          {m.locationName && <Txt className="location-name">{m.locationName}</Txt>}
          {m.locationAddress && <Txt className="location-address">{m.locationAddress}</Txt>}
          {href && (
            <>
              <p className="location-coords" dir="ltr">
                {`${coord(m.locationLat as number)}, ${coord(m.locationLng as number)}`}
              </p>
              <a className="location-link" dir="ltr" href={href} target="_blank" rel="noopener noreferrer" title={t(lang, 'cvOpenMap')}>
                {href}
              </a>
            </>
          )}
        </div>
      );
    }
    case 'reaction':
      return <p className="message-text">{t(lang, 'cvReacted', { emoji: m.reactionEmoji ?? '' })}</p>;
    case 'text':
      return <Txt>{m.text ?? ''}</Txt>;
    default:
      return m.text ? <Txt>{m.text}</Txt> : <p className="message-note">{t(lang, 'cvUnsupported')}</p>;
  }
}

function Reactions({ lang, m }: { lang: Lang; m: Message }) {
  if (!m.reactions?.length) return null;
  return (
    <ul className="reactions" aria-label={t(lang, 'cvReactions')}>
      {m.reactions.map((r, i) => {
        const label = t(lang, r.direction === 'inbound' ? 'cvReactionFromCustomer' : 'cvReactionFromYou', { emoji: r.emoji });
        return (
          <li key={i} className={`reaction ${r.direction}`} title={label} aria-label={label}>
            {r.emoji}
          </li>
        );
      })}
    </ul>
  );
}

type Mode = 'idle' | 'editing' | 'confirmDelete';

/** One message, drawn for what it is. Customer text is only ever React text. */
export function MessageBubble({ lang, message: m, onLocalChange }: MessageBubbleProps) {
  const [mode, setMode] = useState<Mode>('idle');
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showCost, setShowCost] = useState(false);
  const uid = useId();

  const outbound = m.direction === 'outbound';
  const tick = outbound && m.status ? tickFor(lang, m.status, m.failureReason ?? m.failureCode) : null;
  const failed = outbound && m.status === 'failed';
  const failure = failed ? (m.failureReason ?? m.failureCode) : null;
  const cost = costLine(lang, m);
  const time = clock(lang, m.createdAt);

  const run = async (what: () => Promise<void>, key: StringKey, after: () => void) => {
    setBusy(true);
    setError(null);
    try {
      await what();
      after();
    } catch (e) {
      setError(t(lang, key, { reason: toAppError(e).message }));
    } finally {
      setBusy(false);
    }
  };

  const retry = () =>
    run(() => retryMessage(m.id), 'cvRetryFailed', () =>
      onLocalChange?.(m.id, { ...m, status: 'pending', failureCode: null, failureReason: null, canRetry: false }),
    );
  const save = () => {
    const text = draft;
    return run(() => editMessage(m.id, text), 'cvEditFailed', () => {
      setMode('idle');
      onLocalChange?.(m.id, { ...m, text });
    });
  };
  const remove = () =>
    run(() => deleteMessage(m.id), 'cvDeleteFailed', () => {
      setMode('idle');
      onLocalChange?.(m.id, null);
    });

  const hasActions = m.canRetry || m.canEdit || m.canDelete;

  return (
    <article
      className={`message ${outbound ? 'outbound' : 'inbound'}${failed ? ' failed' : ''}`}
      data-id={m.id}
      data-status={m.status ?? undefined}
      data-type={m.type}
    >
      <div className="bubble" title={failure ?? undefined}>
        {mode === 'editing' ? (
          <div className="message-edit">
            <label className="visually-hidden" htmlFor={`${uid}-edit`}>
              {t(lang, 'cvEditLabel')}
            </label>
            <textarea
              id={`${uid}-edit`}
              dir="auto"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              rows={Math.min(8, Math.max(2, draft.split('\n').length))}
              disabled={busy}
            />
            <div className="message-actions">
              <button type="button" className="small primary" onClick={save} disabled={busy || draft.trim() === ''}>
                {t(lang, 'cvSave')}
              </button>
              <button type="button" className="small secondary" onClick={() => setMode('idle')} disabled={busy}>
                {t(lang, 'cancel')}
              </button>
            </div>
          </div>
        ) : (
          <Body lang={lang} m={m} />
        )}
        <div className="message-meta">
          {cost && (
            <button
              type="button"
              className="cost-toggle"
              aria-expanded={showCost}
              aria-controls={`${uid}-cost`}
              aria-label={t(lang, 'cvCostInfo')}
              title={t(lang, 'cvCostInfo')}
              onClick={() => setShowCost((s) => !s)}
            >
              <span aria-hidden="true">i</span>
            </button>
          )}
          {time && (
            <time className="message-time" dateTime={m.createdAt}>
              {time}
            </time>
          )}
          {tick &&
            (tick.glyph ? (
              <span className={`tick ${tick.tone}`} role="img" aria-label={tick.label} title={tick.label}>
                {tick.glyph}
              </span>
            ) : (
              <span className={`tick ${tick.tone}`}>{tick.label}</span>
            ))}
        </div>
        {cost && showCost && (
          <p className="message-cost" id={`${uid}-cost`}>
            {cost}
          </p>
        )}
        <Reactions lang={lang} m={m} />
      </div>
      {failure && (
        <p className="message-failure" dir="auto">
          {failure}
        </p>
      )}
      {mode === 'confirmDelete' && (
        <div className="message-confirm" role="group" aria-label={t(lang, 'cvDeleteConfirm')}>
          <p>{t(lang, 'cvDeleteConfirm')}</p>
          <div className="message-actions">
            <button type="button" className="small danger" onClick={remove} disabled={busy}>
              {t(lang, 'cvDelete')}
            </button>
            <button type="button" className="small secondary" onClick={() => setMode('idle')} disabled={busy}>
              {t(lang, 'cvKeep')}
            </button>
          </div>
        </div>
      )}
      {hasActions && mode === 'idle' && (
        <div className="message-actions">
          {m.canRetry && (
            <button type="button" className="small secondary" data-action="retry" onClick={retry} disabled={busy}>
              {t(lang, 'cvRetry')}
            </button>
          )}
          {m.canEdit && (
            <button
              type="button"
              className="small secondary"
              onClick={() => {
                setDraft(m.text ?? '');
                setError(null);
                setMode('editing');
              }}
              disabled={busy}
            >
              {t(lang, 'cvEdit')}
            </button>
          )}
          {m.canDelete && (
            <button
              type="button"
              className="small secondary"
              onClick={() => {
                setError(null);
                setMode('confirmDelete');
              }}
              disabled={busy}
            >
              {t(lang, 'cvDelete')}
            </button>
          )}
        </div>
      )}
      {error && (
        <p className="message-error" role="alert" dir="auto">
          {error}
        </p>
      )}
    </article>
  );
}
