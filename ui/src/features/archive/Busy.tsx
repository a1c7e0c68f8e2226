import { t, type Lang } from '../../i18n';

/** What a button says while its call runs: a spinner and "Working…". */
export function Busy({ lang }: { lang: Lang }) {
  return (
    <>
      <span className="spinner" aria-hidden="true" /> {t(lang, 'arcWorking')}
    </>
  );
}

/** The core's own words for a failure, in a live region. */
export function Failure({ message, id }: { message: string | null; id?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="field-problem form-failure" dir="auto" id={id}>
      {message}
    </p>
  );
}
