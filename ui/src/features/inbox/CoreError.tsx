import type { AppError } from '../../ipc';
import { t, type Lang } from '../../i18n';

/**
 * The whole window when the core cannot open the archive: what happened (the core's own sentence,
 * which names the file), that nothing was lost, and the code for support. No retry: the fix is
 * outside the app, and the message says what it is.
 */
export function CoreError({ lang, error }: { lang: Lang; error: AppError }) {
  return (
    <main id="core-error" className="core-error" role="alert" aria-labelledby="core-error-title">
      <div className="core-error-card">
        <h1 id="core-error-title">{t(lang, 'coreErrorTitle')}</h1>
        <p id="core-error-message" dir="auto">
          {error.message}
        </p>
        <p className="muted">{t(lang, 'coreErrorNothingDeleted')}</p>
        <p className="error-code">
          {t(lang, 'errorCode')}:{' '}
          <code id="core-error-code" dir="ltr">
            {error.code}
          </code>
        </p>
      </div>
    </main>
  );
}
