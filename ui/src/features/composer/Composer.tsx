import { useEffect, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { sendMessage, toAppError, type AppError, type ConversationInfo } from '../../ipc';
import { t, type Lang } from '../../i18n';
import { TemplatePicker } from './TemplatePicker';
import './composer.css';

export type ComposerProps = {
  lang: Lang;
  info: ConversationInfo;
  /** Called after the core accepted a message (text or template). */
  onSent?: () => void;
  /** The free-form text box, for focusing it from elsewhere. */
  textareaRef?: Ref<HTMLTextAreaElement>;
  /** Each new non-zero value opens the template picker (a keyboard shortcut elsewhere bumps it). */
  pickerRequest?: number;
};

/** WhatsApp's limit for a text message, in characters (Unicode code points). */
export const TEXT_LIMIT = 4096;
/** The counter appears past this many characters. */
export const COUNTER_FROM = 3500;

/** Unsent text per conversation, kept while the window is open. */
const drafts = new Map<number, string>();

/** Code points in `text`; cheap when it is clearly short (UTF-16 length ≥ code points). */
export function countChars(text: string): number {
  return text.length <= COUNTER_FROM ? text.length : [...text].length;
}

function setRef<T>(ref: Ref<T> | undefined, value: T | null) {
  if (typeof ref === 'function') ref(value);
  else if (ref) (ref as { current: T | null }).current = value;
}

/** Writing to the customer: free text while the 24-hour window is open, approved templates always. */
export function Composer({ lang, info, onSent, textareaRef, pickerRequest }: ComposerProps) {
  const conversationId = info.conversationId;
  const [text, setText] = useState(() => drafts.get(conversationId) ?? '');
  const [shownFor, setShownFor] = useState(conversationId);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<AppError | null>(null);
  const [pickerOpen, setPickerOpen] = useState(false);
  const boxRef = useRef<HTMLTextAreaElement | null>(null);
  const templateButtonRef = useRef<HTMLButtonElement | null>(null);
  const seenRequest = useRef(pickerRequest ?? 0);

  // Another conversation: its own draft, no leftover error or picker.
  if (shownFor !== conversationId) {
    setShownFor(conversationId);
    setText(drafts.get(conversationId) ?? '');
    setFailure(null);
    setPickerOpen(false);
  }

  useEffect(() => {
    const request = pickerRequest ?? 0;
    if (request !== 0 && request !== seenRequest.current) {
      setPickerOpen(true);
      // Already open (or always open outside the window): take the keyboard to its search box.
      requestAnimationFrame(() => document.querySelector<HTMLInputElement>('#composer #template-search')?.focus());
    }
    seenRequest.current = request;
  }, [pickerRequest]);

  const textSendable = info.sendable.includes('text');
  const templateSendable = info.sendable.includes('template');

  const count = countChars(text);
  const tooLong = count > TEXT_LIMIT;
  const blank = text.trim() === '';
  const canSend = !blank && !tooLong && !sending;
  const fmt = (n: number, grouping = true) => new Intl.NumberFormat(lang, { useGrouping: grouping }).format(n);

  const change = (value: string) => {
    setText(value);
    if (value === '') drafts.delete(conversationId);
    else drafts.set(conversationId, value);
    if (failure) setFailure(null);
  };

  const send = async () => {
    if (!canSend) return;
    const sentText = text;
    setFailure(null);
    setSending(true);
    try {
      await sendMessage(conversationId, { kind: 'text', text: sentText });
      // Only what was sent goes; anything typed meanwhile stays.
      setText((now) => {
        const rest = now === sentText ? '' : now;
        if (rest === '') drafts.delete(conversationId);
        return rest;
      });
      onSent?.();
    } catch (err) {
      setFailure(toAppError(err));
    } finally {
      setSending(false);
      boxRef.current?.focus();
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Escape' && pickerOpen) {
      e.preventDefault();
      setPickerOpen(false);
      return;
    }
    if (e.key !== 'Enter' || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
    // An input method (Arabic, Chinese…) uses Enter to confirm what it composes.
    if (e.nativeEvent.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    void send();
  };

  const closePicker = () => {
    setPickerOpen(false);
    requestAnimationFrame(() => templateButtonRef.current?.focus());
  };

  const templateSent = () => {
    setPickerOpen(false);
    onSent?.();
    requestAnimationFrame(() => boxRef.current?.focus());
  };

  if (info.customerBlocked) {
    return (
      <div className="composer" id="composer">
        <p className="composer-notice blocked" role="note" id="composer-blocked">
          {t(lang, 'composerBlocked')}
        </p>
      </div>
    );
  }

  if (!textSendable) {
    return (
      <div className="composer templates-only" id="composer">
        <p className="composer-notice" role="note" id="composer-window-closed">
          {templateSendable
            ? t(lang, info.window.phase === 'neverOpened' ? 'composerNeverOpened' : 'composerWindowClosed')
            : t(lang, 'composerNothingSendable')}
        </p>
        {templateSendable && (
          <TemplatePicker lang={lang} conversationId={conversationId} onSent={onSent} />
        )}
      </div>
    );
  }

  const counterId = 'composer-counter';
  const problemId = 'composer-too-long';
  return (
    <div className="composer" id="composer">
      {pickerOpen && templateSendable && (
        <div className="composer-picker">
          <TemplatePicker lang={lang} conversationId={conversationId} onClose={closePicker} onSent={templateSent} autoFocus />
        </div>
      )}
      <div className="composer-row">
        {templateSendable && (
          <button
            type="button"
            className="secondary composer-template-button"
            id="open-templates"
            ref={templateButtonRef}
            aria-label={t(lang, 'composerTemplateButtonLabel')}
            title={t(lang, 'composerTemplateButtonLabel')}
            aria-expanded={pickerOpen}
            aria-controls={pickerOpen ? 'template-picker' : undefined}
            onClick={() => {
              if (pickerOpen) closePicker();
              else setPickerOpen(true);
            }}
          >
            {t(lang, 'composerTemplateButton')}
          </button>
        )}
        <textarea
          id="composer-text"
          ref={(el) => {
            boxRef.current = el;
            setRef(textareaRef, el);
          }}
          className="composer-text"
          aria-label={t(lang, 'composerLabel')}
          placeholder={t(lang, 'composerPlaceholder')}
          dir="auto"
          rows={2}
          value={text}
          aria-invalid={tooLong ? true : undefined}
          aria-describedby={tooLong ? problemId : count > COUNTER_FROM ? counterId : 'composer-keys'}
          onChange={(e) => change(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="button" className="primary composer-send" id="composer-send" disabled={!canSend} onClick={() => void send()}>
          {t(lang, sending ? 'composerSending' : 'composerSend')}
        </button>
      </div>
      <div className="composer-foot">
        <span className="hint" id="composer-keys">
          {t(lang, 'composerKeysHint')}
        </span>
        {count > COUNTER_FROM && (
          <span className={tooLong ? 'composer-counter over' : 'composer-counter'} id={counterId} dir="ltr">
            {t(lang, 'composerCounter', { count: fmt(count, false), limit: fmt(TEXT_LIMIT, false) })}
          </span>
        )}
      </div>
      {tooLong && (
        <p className="field-problem composer-too-long" id={problemId}>
          {t(lang, 'composerTooLong', { count: fmt(count), limit: fmt(TEXT_LIMIT) })}
        </p>
      )}
      {failure && (
        <div className="form-failure" role="alert" id="composer-failure">
          <p dir="auto">{failure.message}</p>
        </div>
      )}
    </div>
  );
}
