import { t, type Lang } from '../../i18n';

/** What a new archive shows: the two ways in. */
export function EmptyState({
  lang,
  onConnect,
  onDemo,
  busy,
  notice,
}: {
  lang: Lang;
  onConnect: () => void;
  onDemo: () => void;
  busy: boolean;
  notice: string | null;
}) {
  return (
    <section className="empty-state" aria-labelledby="welcome-title">
      <div className="empty-icon" aria-hidden="true">
        <svg viewBox="0 0 64 64" width="64" height="64">
          <rect x="6" y="10" width="52" height="36" rx="10" fill="currentColor" />
          <path d="M18 44 L14 56 L30 45 Z" fill="currentColor" />
          <rect x="18" y="22" width="28" height="4" rx="2" fill="var(--surface)" />
          <rect x="18" y="31" width="20" height="4" rx="2" fill="var(--surface)" />
        </svg>
      </div>
      <h1 id="welcome-title">{t(lang, 'welcomeTitle')}</h1>
      <p className="lead">{t(lang, 'welcomeBody')}</p>
      <div className="actions">
        <button id="connect-account" className="primary" type="button" onClick={onConnect} disabled={busy}>
          {t(lang, 'connectAccount')}
        </button>
        <button id="explore-demo" className="secondary" type="button" onClick={onDemo} disabled={busy}>
          {t(lang, 'exploreDemo')}
        </button>
      </div>
      {/* The live region is always there, so screen readers announce the text when it appears. */}
      <div id="action-notice" role="status" className="notice-region">
        {notice && (
          <p className="notice" dir="auto">
            {notice}
          </p>
        )}
      </div>
    </section>
  );
}
