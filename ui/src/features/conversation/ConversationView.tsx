import { Fragment, type ReactNode } from 'react';
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
}

/** The right-hand pane of an open conversation: who, the 24-hour window, the thread, the composer. */
export function ConversationView({ lang, info, tick, composer, onShowCustomer, customerShown, onWindowExpired }: ConversationViewProps) {
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
      <Thread lang={lang} conversationId={info.conversationId} tick={tick} />
      <div className="conversation-composer">{composer}</div>
    </section>
  );
}
