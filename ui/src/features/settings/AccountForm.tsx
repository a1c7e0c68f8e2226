import { useId, useState, type FormEvent } from 'react';
import {
  checkAccountForm,
  connectAccount,
  toAppError,
  updateAccount,
  type AccountFormInput,
  type AccountSummary,
  type AppError,
} from '../../ipc';
import { t, type Lang, type StringKey } from '../../i18n';

export const DEFAULT_BASE_URL = 'https://cubeconnect.io';

export function emptyForm(): AccountFormInput {
  return { name: '', baseUrl: DEFAULT_BASE_URL, apiKey: '', tenantId: '', webhookSecret: '', numbers: [{ apiId: '', displayName: '' }] };
}

/** The saved account as a form; secrets are never sent back to the window, so they start empty. */
export function formFrom(a: AccountSummary): AccountFormInput {
  return {
    name: a.name,
    baseUrl: a.baseUrl,
    apiKey: '',
    tenantId: a.tenantId ?? '',
    webhookSecret: '',
    numbers: a.numbers.map((n) => ({ apiId: n.apiId, displayName: n.displayName })),
  };
}

/** Problems by field name as the core names them (`base_url`, `numbers.0.api_id`). */
export function problemsByField(problems: { field: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) if (!(p.field in out)) out[p.field] = p.message;
  return out;
}

type Props = {
  lang: Lang;
  editing: AccountSummary | null;
  onDone: (a: AccountSummary) => void;
  onCancel: () => void;
};

/** Connect (or change) the CubeConnect account. The core checks every field and the key itself. */
export function AccountForm({ lang, editing, onDone, onCancel }: Props) {
  const [form, setForm] = useState<AccountFormInput>(() => (editing ? formFrom(editing) : emptyForm()));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const set = (patch: Partial<AccountFormInput>) => setForm((f) => ({ ...f, ...patch }));
  const setNumber = (i: number, patch: Partial<AccountFormInput['numbers'][number]>) =>
    setForm((f) => ({ ...f, numbers: f.numbers.map((n, j) => (j === i ? { ...n, ...patch } : n)) }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    setBusy(true);
    try {
      const found = problemsByField(await checkAccountForm(form, editing !== null));
      setProblems(found);
      if (Object.keys(found).length > 0) {
        // Take the person to the first field that needs them.
        requestAnimationFrame(() => document.querySelector<HTMLElement>('#account-form [aria-invalid="true"]')?.focus());
        return;
      }
      const saved = editing ? await updateAccount(form) : await connectAccount(form);
      onDone(saved);
    } catch (err) {
      setFailure(toAppError(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: string, key: StringKey, value: string, onChange: (v: string) => void, opts: { type?: string; hint?: StringKey; autoComplete?: string } = {}) => {
    const inputId = `${id}-${name}`;
    const problem = problems[name];
    return (
      <div className="field">
        <label htmlFor={inputId}>{t(lang, key)}</label>
        <input
          id={inputId}
          name={name}
          type={opts.type ?? 'text'}
          value={value}
          dir="auto"
          autoComplete={opts.autoComplete ?? 'off'}
          spellCheck={false}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${inputId}-problem` : opts.hint ? `${inputId}-hint` : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        {problem ? (
          <p className="field-problem" id={`${inputId}-problem`}>
            {problem}
          </p>
        ) : (
          opts.hint && (
            <p className="hint" id={`${inputId}-hint`}>
              {t(lang, opts.hint)}
            </p>
          )
        )}
      </div>
    );
  };

  return (
    <form className="account-form" id="account-form" onSubmit={submit} noValidate aria-busy={busy}>
      <h1>{t(lang, editing ? 'accountTitle' : 'connectTitle')}</h1>
      <p className="lead">{t(lang, 'connectIntro')}</p>
      {field('name', 'fieldName', form.name, (v) => set({ name: v }), { hint: 'fieldNameHint' })}
      {field('base_url', 'fieldBaseUrl', form.baseUrl, (v) => set({ baseUrl: v }), { type: 'url' })}
      {field('api_key', 'fieldApiKey', form.apiKey, (v) => set({ apiKey: v }), {
        type: 'password',
        hint: editing ? 'fieldApiKeyKeep' : 'fieldApiKeyHint',
      })}
      {field('tenant_id', 'fieldTenant', form.tenantId, (v) => set({ tenantId: v }), { hint: 'fieldTenantHint' })}
      {field('webhook_secret', 'fieldSecret', form.webhookSecret, (v) => set({ webhookSecret: v }), {
        type: 'password',
        hint: 'fieldSecretHint',
      })}
      <fieldset className="numbers">
        <legend>{t(lang, 'numbersTitle')}</legend>
        {problems.numbers && <p className="field-problem">{problems.numbers}</p>}
        {form.numbers.map((n, i) => (
          <div className="number-row" key={i}>
            {field(`numbers.${i}.api_id`, 'numberApiId', n.apiId, (v) => setNumber(i, { apiId: v }))}
            {field(`numbers.${i}.display_name`, 'numberName', n.displayName, (v) => setNumber(i, { displayName: v }))}
            {form.numbers.length > 1 && (
              <button
                type="button"
                className="icon-button"
                aria-label={t(lang, 'removeNumber')}
                title={t(lang, 'removeNumber')}
                onClick={() => set({ numbers: form.numbers.filter((_, j) => j !== i) })}
              >
                ×
              </button>
            )}
          </div>
        ))}
        <button type="button" className="link-button" onClick={() => set({ numbers: [...form.numbers, { apiId: '', displayName: '' }] })}>
          {t(lang, 'addNumber')}
        </button>
      </fieldset>
      <div role="status" className="form-status">
        {busy && <p className="muted">{t(lang, 'checking')}</p>}
        {!busy && Object.keys(problems).length > 0 && <p className="field-problem">{t(lang, 'formHasProblems')}</p>}
      </div>
      {failure && (
        <div className="form-failure" role="alert" id="account-failure">
          <p dir="auto">{failure.message}</p>
        </div>
      )}
      <div className="actions start">
        <button type="submit" className="primary" disabled={busy} id="account-submit">
          {t(lang, editing ? 'checkAndSave' : 'checkAndConnect')}
        </button>
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
          {t(lang, 'cancel')}
        </button>
      </div>
    </form>
  );
}
