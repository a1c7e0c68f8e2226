import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { sendMessage, templatePreview, toAppError, type AppError, type Template, type TemplatePreview } from '../../ipc';
import { t, type Lang, type StringKey } from '../../i18n';
import { categoryKey, fillLocally, htmlLang, isHttpsLink, mediaHeader, type MediaHeader } from './templateText';
import './composer.css';

export type TemplateFormProps = {
  lang: Lang;
  conversationId: number;
  template: Template;
  /** Called after the core accepted the message. */
  onSent?: () => void;
  /** Shows a "Back to the templates" button when given. */
  onBack?: () => void;
};

/** How long typing pauses before the core is asked to render the preview. */
export const PREVIEW_DELAY_MS = 150;

const linkLabel: Record<MediaHeader, StringKey> = {
  image: 'templateHeaderLinkImage',
  video: 'templateHeaderLinkVideo',
  document: 'templateHeaderLinkDocument',
};
const mediaPlaceholder: Record<MediaHeader, StringKey> = {
  image: 'templateHeaderImage',
  video: 'templateHeaderVideo',
  document: 'templateHeaderDocument',
};

const blankParams = (n: number) => Array.from({ length: Math.max(0, n) }, () => '');

/** One template's parameters, its header link when it has a media header, and a live preview. */
export function TemplateForm({ lang, conversationId, template, onSent, onBack }: TemplateFormProps) {
  const [params, setParams] = useState<string[]>(() => blankParams(template.paramsCount));
  const [headerLink, setHeaderLink] = useState('');
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<AppError | null>(null);
  // The core's rendering and the parameters it was made for.
  const [preview, setPreview] = useState<{ key: string; result: TemplatePreview } | null>(null);
  const id = useId();
  const firstField = useRef<HTMLInputElement | null>(null);

  // A different template starts over.
  const templateKey = `${template.name}\u0000${template.language}\u0000${template.paramsCount}`;
  const [shownKey, setShownKey] = useState(templateKey);
  if (shownKey !== templateKey) {
    setShownKey(templateKey);
    setParams(blankParams(template.paramsCount));
    setHeaderLink('');
    setFailure(null);
    setPreview(null);
  }

  useEffect(() => {
    firstField.current?.focus();
  }, [templateKey]);

  const paramsKey = JSON.stringify(params);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      templatePreview(conversationId, template.name, template.language, params).then(
        (result) => {
          if (live) setPreview({ key: paramsKey, result });
        },
        () => {
          // The local substitution stays on screen; sending reports any real problem.
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // paramsKey stands for params.
  }, [conversationId, template.name, template.language, paramsKey]);

  const media = mediaHeader(template);
  const linkOk = media === null || isHttpsLink(headerLink);
  const allFilled = params.every((p) => p.trim() !== '');
  const canSend = allFilled && linkOk && !sending;

  // The core's rendering once it answered for these parameters; until then (or if it failed) a local one.
  const body = preview && preview.key === paramsKey ? preview.result.rendered : fillLocally(template.body, params);
  const problem = preview?.result.problem ?? null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!canSend) return;
    setFailure(null);
    setSending(true);
    try {
      await sendMessage(conversationId, {
        kind: 'template',
        name: template.name,
        language: template.language,
        params,
        headerLink: media ? headerLink.trim() : null,
      });
      setParams(blankParams(template.paramsCount));
      setHeaderLink('');
      setPreview(null);
      onSent?.();
    } catch (err) {
      setFailure(toAppError(err));
    } finally {
      setSending(false);
    }
  };

  const linkId = `${id}-link`;
  const linkTouched = headerLink.trim() !== '';

  return (
    <form className="template-form" onSubmit={submit} noValidate aria-busy={sending} aria-labelledby={`${id}-title`}>
      <div className="template-form-head">
        {onBack && (
          <button type="button" className="link-button template-back" onClick={onBack}>
            {t(lang, 'templateBack')}
          </button>
        )}
        <h3 id={`${id}-title`} className="template-form-title">
          <span dir="auto">{template.name}</span>
          <span className="template-meta">
            <span>{template.language}</span>
            <span>{t(lang, categoryKey(template.category))}</span>
          </span>
        </h3>
      </div>

      <div className="template-form-grid">
        <div className="template-fields">
          {template.paramsCount === 0 && <p className="hint">{t(lang, 'templateNoParams')}</p>}
          {params.map((value, i) => {
            const inputId = `${id}-p${i + 1}`;
            const label = t(lang, 'templateParam', { n: i + 1 });
            return (
              <div className="field" key={i}>
                <label htmlFor={inputId}>{label}</label>
                <input
                  id={inputId}
                  ref={i === 0 ? firstField : undefined}
                  className="template-param"
                  aria-label={label}
                  dir="auto"
                  value={value}
                  autoComplete="off"
                  onChange={(e) => {
                    const v = e.target.value;
                    setParams((ps) => ps.map((p, j) => (j === i ? v : p)));
                  }}
                />
              </div>
            );
          })}
          {media && (
            <div className="field">
              <label htmlFor="template-header-link">{t(lang, linkLabel[media])}</label>
              <input
                id="template-header-link"
                ref={template.paramsCount === 0 ? firstField : undefined}
                type="url"
                dir="ltr"
                inputMode="url"
                placeholder="https://"
                value={headerLink}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={linkTouched && !linkOk ? true : undefined}
                aria-describedby={`${linkId}-hint`}
                onChange={(e) => setHeaderLink(e.target.value)}
              />
              <p className={linkTouched && !linkOk ? 'field-problem' : 'hint'} id={`${linkId}-hint`}>
                {t(lang, linkTouched && !linkOk ? 'templateHeaderLinkInvalid' : 'templateHeaderLinkHint')}
              </p>
            </div>
          )}
        </div>

        <section className="template-preview-wrap" aria-label={t(lang, 'templatePreviewTitle')}>
          <h4 className="template-preview-title">{t(lang, 'templatePreviewTitle')}</h4>
          <div id="template-preview" className="template-preview" dir={template.dir} lang={htmlLang(template.language)} aria-live="polite">
            {template.headerType === 'text' && template.headerText && <p className="template-preview-header">{template.headerText}</p>}
            {media && <p className="template-preview-header media">{t(lang, mediaPlaceholder[media])}</p>}
            <p className="template-preview-body">{body}</p>
            {template.footer && <p className="template-preview-footer">{template.footer}</p>}
          </div>
        </section>
      </div>

      <div className="template-form-status" aria-live="polite">
        {problem ? (
          <p className="field-problem" id="template-problem" dir="auto">
            {problem.message}
          </p>
        ) : (
          !allFilled && <p className="hint">{t(lang, 'templateFillAll')}</p>
        )}
      </div>

      {failure && (
        <div className="form-failure" role="alert" id="template-failure">
          <p dir="auto">{failure.message}</p>
        </div>
      )}

      <div className="actions start">
        <button type="submit" className="primary" id="template-send" disabled={!canSend}>
          {t(lang, sending ? 'composerSending' : 'templateSend')}
        </button>
      </div>
    </form>
  );
}
