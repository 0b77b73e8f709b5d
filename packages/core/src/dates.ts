import type { Result } from './result.js';
import { err, ok } from './result.js';
import { cleanText } from './normalize.js';

export type DateOrder = 'MDY' | 'DMY' | 'YMD';

export interface ParseDateOptions {
  /** How a date with a two-digit first part is read; `MDY` (US) unless the format profile says otherwise. */
  order?: DateOrder;
  /** Decides the century of two-digit years: a birth date is never in the future. */
  role?: 'birth' | 'service' | 'report';
  /** ISO `YYYY-MM-DD`; two-digit years are resolved relative to it. */
  today: string;
  /** Workbooks saved by old Mac Excel count serial days from 1904-01-01. */
  excel1904?: boolean;
}

const DAY_MS = 86_400_000;
// The largest serial Excel shows as a date (9999-12-31).
const MAX_EXCEL_SERIAL = 2_958_465;
// Old systems write these for "no date" instead of leaving the cell empty.
const SENTINEL_DATES = new Set(['0001-01-01', '1900-01-01']);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ORDER_HINT: Record<DateOrder, string> = { MDY: 'MM/DD/YYYY', DMY: 'DD/MM/YYYY', YMD: 'YYYY-MM-DD' };

interface Parts {
  year: number;
  month: number;
  day: number;
  /** Two-digit year as written, before its century is chosen. */
  shortYear: boolean;
}

function pad(n: number, width: number): string {
  return n.toString().padStart(width, '0');
}

function utcMs(year: number, month: number, day: number): number {
  const d = new Date(0);
  // setUTCFullYear, because Date.UTC maps years 0-99 to 1900-1999.
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
}

/**
 * Days from 1970-01-01 in the proleptic Gregorian calendar, by arithmetic (H. Hinnant's
 * days_from_civil): counting the age of a million claims through Date objects is measurably slow.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isoFromMs(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

function isoParts(iso: string): { year: number; month: number; day: number } {
  if (iso.length === 10 && iso[4] === '-' && iso[7] === '-') {
    const year = Number(iso.slice(0, 4));
    const month = Number(iso.slice(5, 7));
    const day = Number(iso.slice(8, 10));
    if (Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day)) return { year, month, day };
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m === null) throw new TypeError(`Expected an ISO date (YYYY-MM-DD), got "${iso}"`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** Whole days from `fromIso` to `toIso`; negative when `toIso` is earlier. */
export function daysBetween(fromIso: string, toIso: string): number {
  const a = isoParts(fromIso);
  const b = isoParts(toIso);
  return daysFromCivil(b.year, b.month, b.day) - daysFromCivil(a.year, a.month, a.day);
}

// Older than any living patient: a birth date this far back is a typo or a placeholder.
const MAX_AGE_YEARS = 120;

function usDate(iso: string): string {
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
}

/**
 * What is wrong with a date of birth that parsed (a year typed 2090 for 1990, a 1890 placeholder): a
 * warning, not a rejection, because the row's other facts still hold. Null when it is plausible.
 */
export function birthDateWarning(iso: string, today: string): string | null {
  if (iso > today) return `The date of birth ${usDate(iso)} is in the future`;
  if (daysBetween(iso, today) > MAX_AGE_YEARS * 365.25)
    return `The date of birth ${usDate(iso)} is more than ${MAX_AGE_YEARS} years ago`;
  return null;
}

/**
 * Today's calendar date in a time zone (a practice's own), or in UTC without one: every worker agrees
 * on it whatever the machine's zone.
 */
export function todayIso(now: Date = new Date(), timeZone?: string): string {
  if (timeZone === undefined) return now.toISOString().slice(0, 10);
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Whether the runtime knows a time zone by this IANA name ("America/Chicago"). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Chooses the century of a two-digit year. A birth date takes the latest year that is not after
 * today. Other dates take the century that lands within 20 years ahead or 79 years behind today,
 * because service and report dates cluster around now.
 */
function fullYear(yy: number, month: number, day: number, role: ParseDateOptions['role'], today: string): number {
  const now = isoParts(today);
  let year = Math.floor(now.year / 100) * 100 + yy;
  if (role === 'birth') {
    const candidate = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
    if (candidate > today) year -= 100;
    return year;
  }
  if (year > now.year + 20) year -= 100;
  else if (year < now.year - 79) year += 100;
  return year;
}

function monthFromName(name: string): number | null {
  const index = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return index === -1 ? null : index + 1;
}

function yearOf(text: string): { year: number; shortYear: boolean } {
  return { year: Number(text), shortYear: text.length <= 2 };
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isSeparator = (c: number): boolean => c === 45 || c === 47 || c === 46; // - / .

/**
 * Digits, separator, digits, separator, digits: read by hand, because nearly every date cell looks
 * like this and regular expressions cost microseconds a cell. Gives the same answer as the patterns in
 * splitDate; undefined means "not this shape", for them to try.
 */
function splitNumericDate(text: string, order: DateOrder): Parts | null | undefined {
  const end = text.length;
  let i = 0;
  let a = 0;
  while (i < end && isDigit(text.charCodeAt(i))) a = a * 10 + text.charCodeAt(i++) - 48;
  const la = i;
  if (la === 0 || i >= end || !isSeparator(text.charCodeAt(i))) return undefined;
  const startB = ++i;
  let b = 0;
  while (i < end && isDigit(text.charCodeAt(i))) b = b * 10 + text.charCodeAt(i++) - 48;
  const lb = i - startB;
  if (lb === 0 || i >= end || !isSeparator(text.charCodeAt(i))) return undefined;
  const startC = ++i;
  let c = 0;
  while (i < end && isDigit(text.charCodeAt(i))) c = c * 10 + text.charCodeAt(i++) - 48;
  const lc = i - startC;
  if (lc === 0 || i !== end) return undefined;
  if (la === 4 && lb <= 2 && lc <= 2) return { year: a, month: b, day: c, shortYear: false };
  if (la > 2 || lb > 2 || (lc !== 2 && lc !== 4)) return undefined;
  if (order === 'YMD') return { year: a, shortYear: true, month: b, day: c };
  return order === 'DMY'
    ? { year: c, shortYear: lc === 2, month: b, day: a }
    : { year: c, shortYear: lc === 2, month: a, day: b };
}

/** Splits a date (with any time of day already removed) into its parts, or null when unreadable. */
function splitDate(text: string, order: DateOrder): Parts | null {
  const numeric = splitNumericDate(text, order);
  if (numeric !== undefined) return numeric;
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (m !== null) return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), shortYear: false };

  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(text);
  if (m !== null) {
    const [a, b, c] = [m[1] ?? '', m[2] ?? '', m[3] ?? ''];
    if (order === 'YMD') return { ...yearOf(a), month: Number(b), day: Number(c) };
    const y = yearOf(c);
    return order === 'DMY' ? { ...y, month: Number(b), day: Number(a) } : { ...y, month: Number(a), day: Number(b) };
  }

  // YYYYMMDD
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m !== null) return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), shortYear: false };

  // 20-Nov-2026, 20 Nov 26
  m = /^(\d{1,2})[- ]([a-z]{3,9})\.?[- ,]+(\d{2}|\d{4})$/i.exec(text);
  if (m !== null) {
    const month = monthFromName(m[2] ?? '');
    return month === null ? null : { ...yearOf(m[3] ?? ''), month, day: Number(m[1]) };
  }

  // Nov 20, 2026
  m = /^([a-z]{3,9})\.? (\d{1,2}),? (\d{4})$/i.exec(text);
  if (m !== null) {
    const month = monthFromName(m[1] ?? '');
    return month === null ? null : { ...yearOf(m[3] ?? ''), month, day: Number(m[2]) };
  }
  return null;
}

/**
 * Excel stores dates as days since its epoch. The 1900 system counts a 29 February 1900 that never
 * existed (kept from Lotus 1-2-3), so serials from 61 on are one day ahead of a plain count.
 */
function fromExcelSerial(shown: string, serial: number, excel1904: boolean): Result<string | null> {
  const days = Math.floor(serial);
  if (excel1904) {
    const ms = utcMs(1904, 1, 1) + days * DAY_MS;
    return ms > utcMs(9999, 12, 31) ? err(`"${shown}" is not a real date`) : ok(isoFromMs(ms));
  }
  if (days === 60) return err(`"${shown}" is not a real date`);
  const epoch = days < 60 ? utcMs(1899, 12, 31) : utcMs(1899, 12, 30);
  return ok(isoFromMs(epoch + days * DAY_MS));
}

/**
 * Parses a date cell into ISO `YYYY-MM-DD`. Empty cells and the "no date" sentinels old systems
 * write are `ok(null)`; the caller decides whether the date was required. A time of day is ignored.
 */
export function parseDate(text: string, opts: ParseDateOptions): Result<string | null> {
  const shown = cleanText(text);
  if (shown === '') return ok(null);
  const order = opts.order ?? 'MDY';

  // Eight bare digits are YYYYMMDD; the largest Excel serial has seven.
  if (/^\d+(\.\d+)?$/.test(shown) && !/^\d{8}$/.test(shown)) {
    const serial = Number(shown);
    // Excel shows serial 0 as the non-date 1900-01-00: an empty date cell.
    if (serial < 1) return ok(null);
    if (serial > MAX_EXCEL_SERIAL) return err(`"${shown}" is not a real date`);
    const parsed = fromExcelSerial(shown, serial, opts.excel1904 === true);
    return parsed.ok && parsed.value !== null && SENTINEL_DATES.has(parsed.value) ? ok(null) : parsed;
  }

  // Drop a time of day: "2026-11-20T00:00:00", "11/20/2026 3:15 PM", "2026-11-20 00:00:00.000".
  const datePart = !shown.includes(':')
    ? shown
    : shown.replace(
        /(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?$/i,
        '',
      );
  const parts = splitDate(datePart, order);
  if (parts === null) return err(`"${shown}" is not a date (expected ${ORDER_HINT[order]})`);
  if (parts.year === 0 && parts.month === 0 && parts.day === 0) return ok(null);

  const { month, day } = parts;
  if (month < 1 || month > 12 || day < 1) return err(`"${shown}" is not a real date`);
  const year = parts.shortYear ? fullYear(parts.year, month, day, opts.role, opts.today) : parts.year;
  if (year < 1 || day > daysInMonth(year, month)) return err(`"${shown}" is not a real date`);

  const iso = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  return SENTINEL_DATES.has(iso) ? ok(null) : ok(iso);
}
