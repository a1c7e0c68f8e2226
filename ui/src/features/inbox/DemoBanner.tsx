import { t, type Lang } from '../../i18n';

/** Always on screen while the demo runs, so demo data is never mistaken for real customers. */
export function DemoBanner({ lang, onLeave, busy }: { lang: Lang; onLeave: () => void; busy: boolean }) {
  return (
    <div className="demo-banner" id="demo-banner" role="note">
      <span className="demo-tag">DEMO</span>
      <span>{t(lang, 'demoBanner')}</span>
      <button type="button" className="banner-button" onClick={onLeave} disabled={busy} id="leave-demo">
        {t(lang, 'leaveDemo')}
      </button>
    </div>
  );
}
