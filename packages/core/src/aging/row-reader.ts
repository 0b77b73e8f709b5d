import { birthDateWarning } from '../dates.js';
import { formatCents, parseMoney } from '../money.js';
import { memoByText } from '../memo.js';
import { cleanText, headerKeyIs, normalizeHeader } from '../normalize.js';
import type { LayoutDetection } from './detect-layout.js';
import type { AgingField } from './fields.js';
import { AGING_FIELD_LABELS } from './fields.js';
import { PrintedTotals, type PrintedTotalsResult } from './printed-totals.js';
import type { AgingRow, RejectedRowFacts, RowContext, RowError } from './validate-row.js';
import { validateAgingRow } from './validate-row.js';

export type RowReading =
  | { kind: 'skip'; reason: 'blank' | 'total' | 'group' | 'title' }
  | { kind: 'row'; row: AgingRow; warnings: RowError[] }
  | ({ kind: 'error'; errors: RowError[] } & RejectedRowFacts)
  /** The row names another location than the one the file was uploaded for: the file is refused whole. */
  | { kind: 'wrong_location'; message: string };

export interface RowReader {
  /** `line` is the row's line in the file, for the printed totals it checks. */
  (cells: string[], line?: number): RowReading;
  /** What the report's own total lines said, against the rows read so far. */
  totals(): PrintedTotalsResult;
}

export interface RowReaderContext {
  /** The header row as written in the file; errors name its columns. */
  header: string[];
  /** ISO date the report is as of (from the title lines, else the upload date). */
  reportDate: string;
  /** ISO date of the import. */
  today: string;
  /** Judges a row's Location cell (see locationChecker): null when it is the chosen location. */
  checkLocation?: (named: string) => string | null;
}

/**
 * Lines a multi-page export repeats between claims: page numbers, the report name, "Printed:".
 * Only tested on rows with one filled cell, which no claim is.
 */
const TITLE_PATTERNS: RegExp[] = [
  /\bpage\s+\d+/i,
  /\b(?:as\s+of|printed|run\s+date|report\s+date)\b/i,
  /\b(?:receivables?|aging|report)\b/i,
  // Report filters: "LOCATION GROUP (Svc Loc): MAIN", "Location: All Locations", "Sorted by: Payor".
  // Named, not any "label: value", so a payer group row like "BCBS: FEP" is never taken for one.
  /^(?:location(?:\s+group)?|svc\s+date|service\s+date|date\s+range|provider|practice|office|sort(?:ed)?\s+by|filters?|criteria|days\s+past|printed\s+by|run\s+by)\b[^:]{0,30}:/i,
];

/** Distinct birth dates whose warning is remembered; past it the memo starts over. */
const BIRTH_WARNINGS_KEPT = 20_000;

// A total line's label is at its start, in the first cell or the second ("Okafor, Claire", "Total").
const TOTAL_LABEL_CELLS = 2;

function usDate(iso: string): string {
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
}

/**
 * Reads the data rows of an aging file one at a time, in file order. It is stateful: a payer
 * group row (Compulink's "AETNA" row, "Payor: Aetna") gives its payer to the detail rows below it
 * that leave the payer blank, until the group's total line. Rows that disagree with themselves
 * are kept with warnings, because the PM system is the source of truth for what is open.
 */
export function createRowReader(det: LayoutDetection, ctx: RowReaderContext): RowReader {
  const { profile, mapping } = det;
  const { columns } = mapping;
  const rowContext: RowContext = { profile, mapping, header: ctx.header, reportDate: ctx.reportDate, today: ctx.today };
  const headerKeys = trimmedKeys(ctx.header);
  let groupPayer: string | null = null;
  const printed = new PrintedTotals();
  const moneyOptions = { decimalComma: profile.decimalComma };
  // A file names a few thousand birth dates a million times: each judged once.
  const birthWarning = memoByText((iso) => birthDateWarning(iso, ctx.today), BIRTH_WARNINGS_KEPT);

  const cellOf = (cells: string[], field: AgingField): string => {
    const i = columns[field];
    return i === undefined ? '' : (cells[i] ?? '');
  };

  const read = (rawCells: string[], line = 0): RowReading => {
    // Cleaned once here; everything below reads the cleaned cells.
    const cells = cleanedCells(rawCells);
    // How many cells are filled, and the first two of them: what tells a total, group or title line
    // from a claim. Counted without a list, which would be a dozen objects a row for nothing.
    let filledCount = 0;
    let first = -1;
    let second = -1;
    for (let i = 0; i < cells.length; i++) {
      if ((cells[i] ?? '') === '') continue;
      if (filledCount === 0) first = i;
      else if (filledCount === 1) second = i;
      filledCount++;
    }
    if (filledCount === 0) return { kind: 'skip', reason: 'blank' };
    const filledText = (k: number) => cells[k] ?? '';
    // Only a row that may be a total, group or title line needs them: not built for every claim.
    const firstTwo = () => (second === -1 ? [filledText(first)] : [filledText(first), filledText(second)]);
    if (repeatsHeader(cells, headerKeys)) return { kind: 'skip', reason: 'title' };

    if (cellOf(cells, 'dateOfService') === '') {
      const labels = firstTwo().slice(0, TOTAL_LABEL_CELLS);
      const label = labels.find((l) => profile.totalRowPatterns.some((p) => p.test(l)));
      if (label !== undefined) {
        // A detail row after a group's total without a new group row has no payer we can trust.
        groupPayer = null;
        const amount = parseMoney(cellOf(cells, 'balance'), moneyOptions);
        printed.total(line, label, amount.ok ? amount.value : null);
        return { kind: 'skip', reason: 'total' };
      }
    }

    const rule = profile.groupRows;
    if (rule !== undefined && filledCount <= 2) {
      const joined = firstTwo().join(' ');
      const labelled = rule.labelPatterns.map((p) => p.exec(joined)).find((m) => m !== null);
      const payer = labelled?.[1]?.trim();
      if (payer !== undefined && payer !== '') {
        groupPayer = payer;
        return { kind: 'skip', reason: 'group' };
      }
    }
    const only = filledCount === 1 ? { i: first, text: filledText(first) } : undefined;
    if (only !== undefined && TITLE_PATTERNS.some((p) => p.test(only.text))) return { kind: 'skip', reason: 'title' };
    if (rule?.payerCellOnly === true && only !== undefined && only.i === columns.payer) {
      groupPayer = only.text;
      return { kind: 'skip', reason: 'group' };
    }

    const payerIndex = columns.payer;
    let effective = cells;
    if (groupPayer !== null && payerIndex !== undefined && cellOf(cells, 'payer') === '') {
      effective = [...cells];
      while (effective.length <= payerIndex) effective.push('');
      effective[payerIndex] = groupPayer;
    }

    if (ctx.checkLocation !== undefined && columns.location !== undefined) {
      const wrong = ctx.checkLocation(cellOf(cells, 'location'));
      if (wrong !== null) return { kind: 'wrong_location', message: wrong };
    }
    const v = validateAgingRow(effective, rowContext);
    if (!v.ok) {
      printed.row(v.balanceCents);
      return { kind: 'error', errors: v.errors, claimKey: v.claimKey, balanceCents: v.balanceCents };
    }
    printed.row(v.row.balanceCents);
    return { kind: 'row', row: v.row, warnings: disagreements(v.row, effective, rowContext, birthWarning) };
  };
  return Object.assign(read, { totals: () => printed.result() });
}

const NO_BUCKETS: readonly number[] = [];

/** Where a row contradicts itself: staged and counted, so staff can check it in their PM system. */
function disagreements(
  row: AgingRow,
  cells: string[],
  ctx: RowContext,
  birthWarning: (iso: string) => string | null,
): RowError[] {
  const warnings: RowError[] = [];
  const at = (field: AgingField, message: string): void => {
    const i = ctx.mapping.columns[field];
    const header = i === undefined ? '' : cleanText(ctx.header[i] ?? '');
    warnings.push({
      column: header === '' ? AGING_FIELD_LABELS[field] : header,
      value: i === undefined ? '' : cleanText(cells[i] ?? ''),
      message,
    });
  };

  const buckets = row.buckets ? Object.values(row.buckets) : NO_BUCKETS;
  if (buckets.length > 0) {
    const sum = buckets.reduce((a, b) => a + b, 0);
    if (sum !== row.balanceCents) {
      at(
        'balance',
        `The aging columns add up to ${formatCents(sum)}, but the balance is ${formatCents(row.balanceCents)}`,
      );
    }
  }
  if (row.billedCents !== null && row.balanceCents > row.billedCents) {
    at(
      'balance',
      `The balance ${formatCents(row.balanceCents)} is more than the billed amount ${formatCents(row.billedCents)}`,
    );
  }
  const birth = row.dateOfBirth === null ? null : birthWarning(row.dateOfBirth);
  if (birth !== null) at('dateOfBirth', birth);
  if (row.dateOfService > ctx.reportDate) {
    at(
      'dateOfService',
      `The date of service ${usDate(row.dateOfService)} is after the report date ${usDate(ctx.reportDate)}`,
    );
  }
  return warnings;
}

/** The cells cleaned (cleanText), in the same array when none changes: nearly every row of a file. */
function cleanedCells(raw: string[]): string[] {
  for (let i = 0; i < raw.length; i++) {
    const cell = raw[i] ?? '';
    const clean = cleanText(cell);
    if (clean === cell) continue;
    const out = raw.slice();
    out[i] = clean;
    for (let j = i + 1; j < raw.length; j++) out[j] = cleanText(raw[j] ?? '');
    return out;
  }
  return raw;
}

function trimmedKeys(cells: string[]): string[] {
  const keys = cells.map(normalizeHeader);
  while (keys.length > 0 && keys[keys.length - 1] === '') keys.pop();
  return keys;
}

/**
 * A header line repeated on every page of a multi-page export. Compared cell by cell and given up at
 * the first difference, because it runs on every row and a data row differs in its first cell.
 */
function repeatsHeader(cells: string[], headerKeys: string[]): boolean {
  if (headerKeys.length === 0 || cells.length < headerKeys.length) return false;
  for (let i = 0; i < cells.length; i++) {
    if (!headerKeyIs(cells[i] ?? '', i < headerKeys.length ? (headerKeys[i] ?? '') : '')) return false;
  }
  return true;
}
