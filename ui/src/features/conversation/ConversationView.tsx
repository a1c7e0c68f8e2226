import { Fragment, type ReactNode } from 'react';
import { ExportButton } from '../archive/ExportButton';
import { t, tParts, type Lang } from '../../i18n';
import type { ConversationInfo } from '../../ipc';
import { Thread } from './Thread';
import { WindowBanner } from './WindowBanner';
import './conversation.css';

export interface ConversationViewProps {
  lang: Lang;
  info: ConversationInfo;
  /** Changes when the core announced changes. */
  tick: number;
  /** The composer, drawn at the bottom. */
  composer: ReactNode;
  /** Opens or closes the customer panel; the button is hidden without it. */
  onShowCustomer?: () => void;
  /** Whether the customer panel is open (for the toggle's aria-pressed). */
  customerShown?: boolean;
  /** The window reached zero on screen: the parent may fetch `conversationInfo` again. */
  onWindowExpired?: () => void;
  /** Open the thread at this message (found by search), highlighted. */
  anchorMessageId?: number | null;
  /** Changes to open at the same message again. */
  anchorSeq?: number;
}

/** The right-hand pane of an open conversation: who, the 24-hour window, the thread, the composer. */
export function ConversationView({
  lang,
  info,
  tick,
  composer,
  onShowCustomer,
  customerShown,
  onWindowExpired,
  anchorMessageId = null,
  anchorSeq = 0,
}: ConversationViewProps) {
  const phone = `+${info.customerPhone}`;
  return (
    <section id="conversation-view" className="conversation-view" data-conversation={info.conversationId} aria-labelledby="conversation-title">
      <header className="conversation-header">
        <div className="conversation-who">
          <h2 id="conversation-title" className="conversation-title">
            <bdi dir="auto">{info.customerName ?? phone}</bdi>
          </h2>
          <p className="conversation-sub">
            {info.customerName && (
              <span className="conversation-phone" dir="ltr">
                {phone}
              </span>
            )}
            <span className="conversation-number">
              {tParts(lang, 'cvOnNumber', {
                number: (
                  <bdi key="number" dir="auto">
                    {info.numberName}
                  </bdi>
                ),
              }).map((part, i) => (typeof part === 'string' ? <Fragment key={i}>{part}</Fragment> : part))}
            </span>
            {info.customerBlocked && <span className="blocked-badge">{t(lang, 'cvBlocked')}</span>}
          </p>
        </div>
        <ExportButton
          lang={lang}
          scope={{ kind: 'conversation', conversationId: info.conversationId }}
          defaultName={exportName(info.customerName ?? info.customerPhone)}
        />
        {onShowCustomer && (
          <button
            type="button"
            className="secondary small customer-toggle"
            onClick={onShowCustomer}
            aria-pressed={customerShown === undefined ? undefined : customerShown}
          >
            {t(lang, 'cvCustomerDetails')}
          </button>
        )}
      </header>
      <WindowBanner lang={lang} window={info.window} onExpired={onWindowExpired} />
      <Thread lang={lang} conversationId={info.conversationId} tick={tick} anchorMessageId={anchorMessageId} anchorSeq={anchorSeq} />
      <div className="conversation-composer">{composer}</div>
    </section>
  );
}

/** A file name for a conversation's export: the customer and today's date, safe on every system. */
function exportName(who: string): string {
  const safe = who.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim().replace(/\s+/g, '-') || 'conversation';
  return `cubedesk-${safe}-${new Date().toISOString().slice(0, 10)}`;
}
