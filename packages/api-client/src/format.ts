// Numbers, money, sizes and dates as a billing office reads them: the one place the page and the CLI
// format them, so "150000", ISO dates next to MM/DD/YYYY and "1 rows" cannot come back in one of them.
import type { ImportKind } from './types.js';

/** The practices Ledgerport serves are American: one date format, MM/DD/YYYY, and $1,234.56. */
export const DEFAULT_LOCALE = 'en-US';

export interface DateOptions {
  locale?: string;
  /** an IANA zone; the runtime's own zone when absent (the browser's, the terminal's) */
  timeZone?: string;
  now?: Date;
}

export function formatCount(n: number, locale = DEFAULT_LOCALE): string {
  return Math.round(n).toLocaleString(locale);
}

/** 1 → "1 row", 12000 → "12,000 rows", with the plural given when it is not the noun plus "s". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${Math.round(n) === 1 ? one : many}`;
}

export function formatRows(n: number): string {
  return plural(n, 'row');
}

export function formatRate(rowsPerSecond: number): string {
  return `${formatCount(rowsPerSecond)} rows/s`;
}

/** 7 → "7 s", 125 → "2 min 5 s", 3720 → "1 h 2 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest ? `${Math.floor(s / 60)} min ${rest} s` : `${s / 60} min`;
  }
  const minutes = Math.floor((s % 3600) / 60);
  return minutes ? `${Math.floor(s / 3600)} h ${minutes} min` : `${s / 3600} h`;
}

/** Cents as dollars; a credit with a minus sign. Whole cents only: money never passes through a float. */
export function formatMoney(cents: number): string {
  const whole = Math.round(cents);
  const abs = Math.abs(whole);
  const text = `$${formatCount(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
  return whole < 0 ? `-${text}` : text;
}

/** 1536 → "1.5 KB", 512 MiB → "512 MB" (binary units, as file managers on Windows show them). */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return plural(n, 'byte');
}

/** "12.3 of 27.1 MB": two sizes in the unit of the larger, so the numbers compare at a glance. */
export function formatBytesOf(done: number, total: number): string {
  const [unit, size] =
    total >= 1024 ** 3 ? ['GB', 1024 ** 3] : total >= 1024 ** 2 ? ['MB', 1024 ** 2] : total >= 1024 ? ['KB', 1024] : ['bytes', 1];
  const f = (n: number) => (size === 1 ? formatCount(n) : (n / size).toFixed(1));
  return `${f(done)} of ${f(total)} ${unit}`;
}

/** 0–100 with no decimals but never "100%" before the end, nor "0%" once something is done. */
export function formatPercent(percent: number): string {
  const p = Math.max(0, Math.min(100, percent));
  const shown = p > 0 && p < 1 ? 1 : p > 99 && p < 100 ? 99 : Math.round(p);
  return `${shown}%`;
}

export function formatFlag(value: unknown): string {
  if (value === true || value === 'true') return 'Yes';
  if (value === false || value === 'false') return 'No';
  if (value === null || value === undefined) return '';
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** A business date (`2026-11-23`) as the practice writes it: 11/23/2026. Never shifted by a time zone. */
export function formatDate(isoDate: string | null | undefined, locale = DEFAULT_LOCALE): string {
  if (!isoDate) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return isoDate;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' }).format(d);
}

function parts(d: Date, o: DateOptions): { date: string; time: string } {
  const locale = o.locale ?? DEFAULT_LOCALE;
  const zone = o.timeZone ? { timeZone: o.timeZone } : {};
  // Newer ICU puts a narrow no-break space before AM/PM; a plain one reads (and greps) the same.
  return {
    date: new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', ...zone }).format(d),
    time: new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', ...zone }).format(d).replace(/\u202f/g, ' '),
  };
}

/** A moment (an ISO timestamp) in local time: "today 9:05 AM", otherwise "11/02/2026 9:05 AM". */
export function formatDateTime(iso: string | Date | null | undefined, o: DateOptions = {}): string {
  if (!iso) return '';
  const d = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const at = parts(d, o);
  if (o.now && parts(o.now, o).date === at.date) return `today ${at.time}`;
  return `${at.date} ${at.time}`;
}

/** "2026-11-23 14:05:09": a sortable local stamp for log lines. */
export function logStamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** "patient_balances" → "Patient balances", "dateOfService" → "Date of service": names the server has not labelled. */
export function humanize(id: string): string {
  const s = id
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The kinds as staff call them (the same labels as GET /imports/kinds). */
export const KIND_LABELS: Record<ImportKind, string> = {
  aging: 'Insurance aging',
  patients: 'Patients',
  patient_balances: 'Patient balances',
  patient_credits: 'Patient credits',
};

export function kindLabel(kind: string): string {
  return (KIND_LABELS as Record<string, string>)[kind] ?? humanize(kind);
}

/** "aging-with-errors.csv" + "errors" → "aging-with-errors (errors).csv": a name that still opens in a spreadsheet. */
export function downloadName(fileName: string, what: string, extension = 'csv'): string {
  const base =
    fileName
      .replace(/\.[A-Za-z0-9]{1,5}$/, '')
      .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_')
      .trim() || 'import';
  return `${base} (${what}).${extension}`;
}
