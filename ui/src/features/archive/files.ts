// Small helpers shared by the archive tools and the insights page: file names, sizes, counted
// phrases and the system file dialogs.
import { open, save } from '@tauri-apps/plugin-dialog';
import { t, type Lang, type StringKey } from '../../i18n';
import type { ExportFormat } from '../../ipc';

/** A local calendar day as YYYY-MM-DD (what a file name should carry). */
export function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export const FORMATS: ExportFormat[] = ['csv', 'json', 'html'];

export const FORMAT_LABEL: Record<ExportFormat, StringKey> = {
  csv: 'arcFormatCsv',
  json: 'arcFormatJson',
  html: 'arcFormatHtml',
};

const FORMAT_FILTER: Record<ExportFormat, StringKey> = {
  csv: 'arcCsvFilter',
  json: 'arcJsonFilter',
  html: 'arcHtmlFilter',
};

/** `name` with the format's extension in place of any it had. */
export function withExtension(name: string, format: ExportFormat): string {
  return `${name.replace(/\.(csv|json|html?)$/i, '')}.${format}`;
}

/** The save dialog for an export; null when the person cancelled. */
export async function askExportPath(lang: Lang, defaultName: string, format: ExportFormat): Promise<string | null> {
  return save({
    defaultPath: withExtension(defaultName, format),
    filters: [{ name: t(lang, FORMAT_FILTER[format]), extensions: [format] }],
  });
}

/** The save dialog with one filter; null when cancelled. */
export async function askSavePath(defaultName: string, filterName: string, extension: string): Promise<string | null> {
  return save({ defaultPath: defaultName, filters: [{ name: filterName, extensions: [extension] }] });
}

/** The open dialog for one file; null when cancelled. */
export async function askOpenPath(filterName: string, extensions: string[]): Promise<string | null> {
  const picked = await open({ multiple: false, directory: false, filters: [{ name: filterName, extensions }] });
  return typeof picked === 'string' ? picked : null;
}

/** The last part of a path, for showing which file was chosen. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** A whole number the language's way (12,345). */
export function formatCount(lang: Lang, n: number): string {
  return new Intl.NumberFormat(lang).format(n);
}

/** A file size the way file managers show it: "12.3 MB". */
export function formatBytes(lang: Lang, bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = Math.max(0, bytes);
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i += 1;
  }
  return new Intl.NumberFormat(lang, {
    style: 'unit',
    unit: units[i],
    // Arabic short units (م.ب) are obscure; the long ones read naturally.
    unitDisplay: i === 0 || lang === 'ar' ? 'long' : 'short',
    maximumFractionDigits: i === 0 ? 0 : 1,
  }).format(value);
}

/** A phrase with a count: `${base}One` for exactly one, `${base}Many` otherwise. */
export function counted(lang: Lang, base: 'arcExportDone' | 'impConfirm', count: number, vars: Record<string, string | number> = {}): string {
  const key = (count === 1 ? `${base}One` : `${base}Many`) as StringKey;
  return t(lang, key, { ...vars, count: formatCount(lang, count) });
}
