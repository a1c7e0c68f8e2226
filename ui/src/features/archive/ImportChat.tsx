import { useId, useState } from 'react';
import {
  importChat,
  previewImport,
  toAppError,
  type DateOrder,
  type ImportInput,
  type ImportPreview,
  type ImportResult,
  type NumberSummary,
} from '../../ipc';
import { t, type Lang } from '../../i18n';
import { Busy, Failure } from './Busy';
import { askOpenPath, counted, fileName, formatCount } from './files';

type Step = 'idle' | 'picking' | 'previewing' | 'importing';
/** Who "you" are in the file: an author's name, nobody (null), or not chosen yet (undefined). */
type Me = string | null | undefined;

/** Import a chat exported from WhatsApp on a phone: check the file first, then import it. */
export function ImportChat({ lang, numbers }: { lang: Lang; numbers: NumberSummary[] }) {
  const id = useId();
  const [path, setPath] = useState<string | null>(null);
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [numberId, setNumberId] = useState<number | null>(numbers.length > 1 ? numbers[0].id : null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [me, setMe] = useState<Me>(undefined);
  const [step, setStep] = useState<Step>('idle');
  const [result, setResult] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const busy = step !== 'idle';

  /** Anything that changes what the file means makes the last check stale. */
  const stale = () => {
    setPreview(null);
    setResult(null);
  };

  const input = (dateOrder: DateOrder | null): ImportInput => ({
    path: path ?? '',
    phone: phone.trim(),
    customerName: name.trim() || null,
    numberId,
    dateOrder,
  });

  const choose = async () => {
    setFailure(null);
    setStep('picking');
    try {
      const picked = await askOpenPath(t(lang, 'impTxtFilter'), ['txt']);
      if (picked) {
        setPath(picked);
        stale();
      }
    } catch (e) {
      setFailure(toAppError(e).message);
    } finally {
      setStep('idle');
    }
  };

  const check = async (dateOrder: DateOrder | null) => {
    if (!path) return;
    setFailure(null);
    setResult(null);
    setStep('previewing');
    try {
      const p = await previewImport(input(dateOrder));
      setPreview(p);
      // Keep the owner's choice when the author is still there; otherwise the core's guess.
      const keep = preview !== null && me !== undefined && (me === null || p.authors.some((a) => a.name === me));
      setMe(keep ? me : (p.suggestedMe ?? undefined));
    } catch (e) {
      setFailure(toAppError(e).message);
    } finally {
      setStep('idle');
    }
  };

  const run = async () => {
    if (!preview || me === undefined) return;
    setFailure(null);
    setStep('importing');
    try {
      // An empty name tells the core that none of the authors is you (all messages are the customer's).
      const r = await importChat({ ...input(preview.dateOrder), me: me ?? '' });
      setResult(r);
      setPreview(null);
    } catch (e) {
      setFailure(toAppError(e).message);
    } finally {
      setStep('idle');
    }
  };

  const fresh = preview ? Math.max(0, preview.messages - preview.alreadyImported) : 0;
  const day = (iso: string) => new Date(iso).toLocaleDateString(lang, { day: 'numeric', month: 'long', year: 'numeric' });

  return (
    <div className="import-chat">
      <p className="muted">{t(lang, 'impHowTo')}</p>

      <div className="field">
        <span className="field-label">{t(lang, 'impFile')}</span>
        <div className="archive-row">
          <button type="button" className="secondary" id="import-file" onClick={() => void choose()} disabled={busy}>
            {step === 'picking' ? <Busy lang={lang} /> : t(lang, 'impChooseFile')}
          </button>
          <span className={path ? 'import-path' : 'muted'} dir="auto" title={path ?? undefined}>
            {path ? fileName(path) : t(lang, 'impNoFile')}
          </span>
        </div>
      </div>

      <div className="field">
        <label htmlFor="import-phone">{t(lang, 'impPhone')}</label>
        <input
          id="import-phone"
          type="tel"
          dir="ltr"
          autoComplete="off"
          value={phone}
          onChange={(e) => {
            setPhone(e.target.value);
            stale();
          }}
          aria-describedby={`${id}-phone-hint`}
        />
        <p className="hint" id={`${id}-phone-hint`}>
          {t(lang, 'impPhoneHint')}
        </p>
      </div>

      <div className="field">
        <label htmlFor="import-name">{t(lang, 'impName')}</label>
        <input id="import-name" dir="auto" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
      </div>

      {numbers.length > 1 && (
        <label className="field-inline">
          <span>{t(lang, 'impNumber')}</span>
          <select
            id="import-number"
            value={numberId ?? ''}
            onChange={(e) => {
              setNumberId(Number(e.target.value));
              stale();
            }}
          >
            {numbers.map((n) => (
              <option key={n.id} value={n.id}>
                {n.displayName}
              </option>
            ))}
          </select>
        </label>
      )}

      <div className="actions start">
        <button type="button" className="secondary" id="import-preview" onClick={() => void check(null)} disabled={busy || !path || !phone.trim()}>
          {step === 'previewing' ? <Busy lang={lang} /> : t(lang, 'impCheck')}
        </button>
      </div>

      {preview && (
        <section className="import-preview" aria-live="polite">
          <dl className="archive-facts">
            <dt>{t(lang, 'impFound')}</dt>
            <dd id="import-found">{formatCount(lang, preview.messages)}</dd>
            {preview.firstAt && preview.lastAt && (
              <>
                <dt>{t(lang, 'impRange')}</dt>
                <dd>{t(lang, 'impRangeValue', { from: day(preview.firstAt), to: day(preview.lastAt) })}</dd>
              </>
            )}
            <dt>{t(lang, 'impAlready')}</dt>
            <dd id="import-already">{formatCount(lang, preview.alreadyImported)}</dd>
          </dl>

          {preview.authors.length > 0 && (
            <fieldset className="import-choice">
              <legend>{t(lang, 'impWhoIsMe')}</legend>
              {preview.authors.map((a) => (
                <label className="check" key={a.name}>
                  <input type="radio" name={`${id}-me`} value={a.name} checked={me === a.name} onChange={() => setMe(a.name)} />
                  <bdi>{a.name}</bdi> <span className="muted">({formatCount(lang, a.count)})</span>
                </label>
              ))}
              <label className="check">
                <input type="radio" name={`${id}-me`} value="" checked={me === null} onChange={() => setMe(null)} />
                {t(lang, 'impNotMe')}
              </label>
            </fieldset>
          )}

          <fieldset className="import-choice">
            <legend>{t(lang, 'impDateOrder')}</legend>
            {(['dayFirst', 'monthFirst'] as const).map((o) => (
              <label className="check" key={o}>
                <input
                  type="radio"
                  name={`${id}-order`}
                  id={`import-order-${o}`}
                  value={o}
                  checked={preview.dateOrder === o}
                  disabled={busy}
                  onChange={() => void check(o)}
                />
                {t(lang, o === 'dayFirst' ? 'impDayFirst' : 'impMonthFirst')}
              </label>
            ))}
          </fieldset>

          {preview.problems.length > 0 && (
            <div className="import-problems">
              <h3>{t(lang, 'impProblems', { count: formatCount(lang, preview.problems.length) })}</h3>
              <p className="hint">{t(lang, 'impProblemsHint')}</p>
              <ol className="problem-list" tabIndex={0} aria-label={t(lang, 'impProblems', { count: formatCount(lang, preview.problems.length) })}>
                {preview.problems.map((p) => (
                  <li key={`${p.line}-${p.reason}`}>
                    <span className="problem-line">{t(lang, 'impLine', { line: formatCount(lang, p.line) })}</span>{' '}
                    <code dir="auto">{p.text}</code> <span className="problem-reason">{p.reason}</span>
                  </li>
                ))}
              </ol>
            </div>
          )}

          {fresh === 0 ? (
            <p className="notice">{t(lang, 'impNothingNew')}</p>
          ) : (
            <>
              {me === undefined && <p className="hint">{t(lang, 'impPickMe')}</p>}
              <div className="actions start">
                <button type="button" className="primary" id="import-confirm" onClick={() => void run()} disabled={busy || me === undefined}>
                  {step === 'importing' ? <Busy lang={lang} /> : counted(lang, 'impConfirm', fresh)}
                </button>
              </div>
            </>
          )}
        </section>
      )}

      {result && (
        <p className="archive-done" role="status" id="import-done">
          {t(lang, 'impDone', { imported: formatCount(lang, result.imported), duplicates: formatCount(lang, result.duplicates) })}
        </p>
      )}
      <Failure message={failure} />
    </div>
  );
}
