import { birthDateWarning, parseDate, type DateOrder } from '../dates.js';
import { parseMoney } from '../money.js';
import { cleanText, normalizeHeader } from '../normalize.js';
import { err, ok, type Result } from '../result.js';
import type { RowError } from '../aging/validate-row.js';

export type ColumnType = 'text' | 'account' | 'money' | 'date' | 'boolean' | 'sex' | 'email' | 'phone' | 'zip';

/** One column of an import kind: what the template shows, how a header is recognised, how a cell is read. */
export interface ColumnSpec {
  field: string;
  header: string;
  aliases: string[];
  type: ColumnType;
  required: boolean;
  format: string;
  example: string;
  /** money only: refuse zero and negative amounts */
  positive?: boolean;
}

export type CellValue = string | number | boolean | null;
export type RowValues = Record<string, CellValue>;

export interface KindMapping {
  /** field → column index in the file */
  columns: Record<string, number>;
  unmatched: string[];
}

/** Maps a file's header to the kind's fields, ignoring case, spaces and punctuation. */
export function mapKindHeader(header: readonly string[], columns: readonly ColumnSpec[]): Result<KindMapping> {
  const normalized = header.map((h) => normalizeHeader(h));
  const mapping: Record<string, number> = {};
  const used = new Set<number>();
  for (const c of columns) {
    const names = new Set([c.header, c.field, ...c.aliases].map((n) => normalizeHeader(n)));
    const idx = normalized.findIndex((h, i) => !used.has(i) && h !== '' && names.has(h));
    if (idx >= 0) {
      mapping[c.field] = idx;
      used.add(idx);
    }
  }
  const missing = columns.filter((c) => c.required && mapping[c.field] === undefined).map((c) => c.header);
  if (missing.length) {
    const present = header.filter((h) => h.trim()).join(', ') || '(none)';
    return err(`The file's header is missing these columns: ${missing.join(', ')}. Its columns are: ${present}.`);
  }
  return ok({ columns: mapping, unmatched: header.filter((h, i) => h.trim() && !used.has(i)) });
}

const TRUE = new Set(['y', 'yes', 'true', 't', '1', 'active', 'a', 'x']);
const FALSE = new Set(['n', 'no', 'false', 'f', '0', 'inactive', 'i']);
const SEX: Record<string, string> = { m: 'M', male: 'M', f: 'F', female: 'F', u: 'U', unknown: 'U', o: 'O', other: 'O', x: 'X' };

function readCell(c: ColumnSpec, raw: string, opts: ReadKindRowOptions): Result<CellValue> {
  const text = cleanText(raw);
  if (text === '') return c.required ? err(`${c.header} is required`) : ok(null);
  switch (c.type) {
    case 'money': {
      const m = parseMoney(text);
      if (!m.ok) return m;
      if (m.value === null) return c.required ? err(`${c.header} is required`) : ok(null);
      if (c.positive && m.value <= 0) return err(`${c.header} must be more than zero`);
      return ok(m.value);
    }
    case 'date':
      return parseDate(text, { role: 'birth', today: opts.today, ...(opts.order ? { order: opts.order } : {}) });
    case 'boolean':
      if (TRUE.has(text.toLowerCase())) return ok(true);
      if (FALSE.has(text.toLowerCase())) return ok(false);
      return err(`"${text}" is not Y or N`);
    case 'sex': {
      const s = SEX[text.toLowerCase()];
      return s ? ok(s) : err(`"${text}" is not M, F, O or U`);
    }
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) ? ok(text) : err(`"${text}" is not an email address`);
    case 'phone': {
      const digits = text.replace(/\D/g, '');
      return digits.length >= 7 && digits.length <= 15 ? ok(text) : err(`"${text}" is not a phone number`);
    }
    case 'zip':
      return /^\d{5}(-?\d{4})?$|^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/.test(text) ? ok(text) : err(`"${text}" is not a ZIP code`);
    case 'account':
    case 'text':
      return ok(text);
  }
}

export interface ReadKindRowOptions {
  /** ISO date of the import: two-digit years are resolved against it, and a birth date after it is warned of. */
  today: string;
  /** The file's day/month order when the uploader named it; month first otherwise. */
  order?: DateOrder;
}

/**
 * Reads one row by the kind's columns; every bad cell is reported, not just the first. A value that
 * reads but is implausible (a date of birth in the future or over 120 years ago) is kept with a warning.
 */
export function readKindRow(
  cells: readonly string[],
  header: readonly string[],
  mapping: KindMapping,
  columns: readonly ColumnSpec[],
  opts: ReadKindRowOptions,
): { ok: true; values: RowValues; warnings: RowError[] } | { ok: false; errors: RowError[] } {
  const values: RowValues = {};
  const errors: RowError[] = [];
  const warnings: RowError[] = [];
  for (const c of columns) {
    const idx = mapping.columns[c.field];
    const raw = idx === undefined ? '' : (cells[idx] ?? '');
    const column = idx === undefined ? c.header : (header[idx] ?? c.header);
    const r = readCell(c, raw, opts);
    if (!r.ok) {
      errors.push({ column, value: raw, message: r.error });
      continue;
    }
    values[c.field] = r.value;
    if (c.field === 'dateOfBirth' && typeof r.value === 'string') {
      const warning = birthDateWarning(r.value, opts.today);
      if (warning !== null) warnings.push({ column, value: cleanText(raw), message: warning });
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, values, warnings };
}
