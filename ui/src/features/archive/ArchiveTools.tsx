import { useState } from 'react';
import { toAppError, type ExportFormat, type ExportResult, type NumberSummary } from '../../ipc';
import { t, type Lang } from '../../i18n';
import { BackupRestore } from './BackupRestore';
import { Busy, Failure } from './Busy';
import { exportDoneText, exportTo } from './ExportButton';
import { FORMAT_LABEL, FORMATS, isoDay } from './files';
import { ImportChat } from './ImportChat';

/** The archive section of Settings: export everything, import a WhatsApp chat, back up and restore. */
export function ArchiveTools({ lang, numbers = [], demo = false }: { lang: Lang; numbers?: NumberSummary[]; demo?: boolean }) {
  return (
    <>
      <fieldset className="settings-group archive-tools" id="archive-export-group">
        <legend>{t(lang, 'arcExportTitle')}</legend>
        <ExportEverything lang={lang} />
      </fieldset>
      <fieldset className="settings-group archive-tools" id="archive-import-group">
        <legend>{t(lang, 'impTitle')}</legend>
        <ImportChat lang={lang} numbers={numbers} />
      </fieldset>
      <fieldset className="settings-group archive-tools" id="archive-backup-group">
        <legend>{t(lang, 'bakTitle')}</legend>
        {/* A backup is of the owner's own archive, not the demo's on screen. */}
        {demo ? (
          <p className="hint" id="backup-demo-note">
            {t(lang, 'bakDemoNote')}
          </p>
        ) : (
          <BackupRestore lang={lang} />
        )}
      </fieldset>
    </>
  );
}

function ExportEverything({ lang }: { lang: Lang }) {
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ExportResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const run = async () => {
    setFailure(null);
    setDone(null);
    setBusy(true);
    try {
      const r = await exportTo(lang, { kind: 'all' }, format, `cubedesk-archive-${isoDay(new Date())}`);
      if (r) setDone(r);
    } catch (e) {
      setFailure(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="muted">{t(lang, 'arcExportIntro')}</p>
      <div className="archive-row">
        <label className="field-inline">
          <span>{t(lang, 'arcFormat')}</span>
          <select id="archive-export-format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} disabled={busy}>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(lang, FORMAT_LABEL[f])}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" id="archive-export" onClick={() => void run()} disabled={busy}>
          {busy ? <Busy lang={lang} /> : t(lang, 'arcExportAll')}
        </button>
      </div>
      {done && (
        <p className="archive-done" role="status" id="archive-export-done" dir="auto">
          {exportDoneText(lang, done)}
        </p>
      )}
      <Failure message={failure} />
    </>
  );
}
