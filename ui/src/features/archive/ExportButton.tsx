import { useEffect, useId, useRef, useState } from 'react';
import { exportArchive, toAppError, type ExportFormat, type ExportResult, type ExportScope } from '../../ipc';
import { t, type Lang } from '../../i18n';
import { Busy, Failure } from './Busy';
import { askExportPath, counted, FORMAT_LABEL, FORMATS } from './files';

/** Saves `scope` in `format`: asks where, then exports. Null when the person cancelled the dialog. */
export async function exportTo(lang: Lang, scope: ExportScope, format: ExportFormat, defaultName: string): Promise<ExportResult | null> {
  const path = await askExportPath(lang, defaultName, format);
  if (!path) return null;
  return exportArchive(scope, format, path);
}

/** "Saved 12,345 messages to …" */
export function exportDoneText(lang: Lang, r: ExportResult): string {
  return counted(lang, 'arcExportDone', r.messages, { path: r.path });
}

/**
 * A small "Export" button with a menu of the three formats, for any part of the archive (a
 * conversation, a customer, search results, everything). `defaultName` is the suggested file name
 * without extension (e.g. `cubedesk-sara-2026-11-30`); the chosen format's extension is added.
 */
export function ExportButton({ lang, scope, defaultName }: { lang: Lang; scope: ExportScope; defaultName: string }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ExportResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', away);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('keydown', esc);
    };
  }, [open]);

  const choose = async (format: ExportFormat) => {
    setOpen(false);
    setFailure(null);
    setDone(null);
    setBusy(true);
    try {
      const r = await exportTo(lang, scope, format, defaultName);
      if (r) setDone(r);
    } catch (e) {
      setFailure(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export-button" ref={root}>
      <button
        type="button"
        className="secondary"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={busy}
        onClick={() => setOpen((o) => !o)}
      >
        {busy ? <Busy lang={lang} /> : t(lang, 'arcExportAll')}
      </button>
      {open && (
        <div className="export-menu" id={menuId} role="group" aria-label={t(lang, 'arcExportMenu')}>
          {FORMATS.map((f) => (
            <button key={f} type="button" className="export-menu-item" data-format={f} onClick={() => void choose(f)}>
              {t(lang, FORMAT_LABEL[f])}
            </button>
          ))}
        </div>
      )}
      {done && (
        <p className="export-done" role="status" dir="auto">
          {exportDoneText(lang, done)}
        </p>
      )}
      <Failure message={failure} />
    </div>
  );
}
