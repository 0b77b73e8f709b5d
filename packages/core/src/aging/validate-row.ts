import { parseDate } from '../dates.js';
import { parseMoney } from '../money.js';
import { memoByText } from '../memo.js';
import { cleanText, normalizePayerName } from '../normalize.js';
import { agingBucket } from './aging-bucket.js';
import { claimKey } from './claim-key.js';
import type { AgingField } from './fields.js';
import { AGING_FIELD_LABELS } from './fields.js';
import type { HeaderMapping } from './header-map.js';
import type { FormatProfile } from './profile.js';

export interface AgingRow {
  claimNumber: string | null;
  claimKey: string;
  patientName: string;
  patientAccount: string | null;
  dateOfBirth: string | null;
  payerName: string;
  payerKey: string;
  dateOfService: string;
  billedCents: number | null;
  balanceCents: number;
  agingBucket: string;
  /** The optional columns below are set only when the file has the column and the cell is filled. */
  plan?: string;
  subscriberId?: string;
  paidCents?: number;
  adjustmentsCents?: number;
  /** The amounts the file itself puts in each aging column. */
  buckets?: Partial<Record<BucketField, number>>;
  daysOutstanding?: number;
  location?: string;
  provider?: string;
  status?: string;
}

export const BUCKET_FIELDS = ['bucketCurrent', 'bucket30', 'bucket60', 'bucket90', 'bucket120'] as const;
export type BucketField = (typeof BUCKET_FIELDS)[number];

/**
 * The payer of a row that has a balance and no insurance: the patient's own responsibility, part of
 * the A/R like any claim. One per practice, found and created by its normalized name like any payer.
 */
export const SELF_PAY_PAYER = 'Self-pay';
export const SELF_PAY_KEY = 'selfpay';

/** What could still be read of a rejected row: its claim stays as it was, and its money is counted. */
export interface RejectedRowFacts {
  /** The claim's key when the row names it readably (its claim number, or every part of the hash). */
  claimKey: string | null;
  /** The balance when that cell itself was readable. */
  balanceCents: number | null;
}

export interface RowError {
  /** The column header as written in the file, or the field's label when the file has no such column. */
  column: string;
  value: string;
  message: string;
}

export interface RowContext {
  profile: FormatProfile;
  mapping: HeaderMapping;
  header: string[];
  /** ISO date the aging report is as of; buckets are counted to it. */
  reportDate: string;
  /** ISO date of the import; two-digit years are resolved against it. */
  today: string;
}

/** Distinct values a file's readings keep; past it a cache starts over (a file of odd values). */
const READINGS_CACHE_SIZE = 20_000;

interface Readings {
  date(text: string, role: 'birth' | 'service'): ReturnType<typeof parseDate>;
  /** the first string seen with this text: kept rows share it instead of each holding its own cell */
  payer(text: string): string;
  bucket(dateOfService: string): string;
}

const readingsByFile = new WeakMap<RowContext, Readings>();

/**
 * What a file's rows read the same way every time: a report names a few hundred dates of service, a
 * few thousand birth dates and a handful of payers a million times. Remembered per file (per
 * RowContext), so the parse is done once per distinct cell, and the rows a chunk keeps share one
 * string per date and payer rather than each holding its own until the chunk is written.
 */
function readingsOf(ctx: RowContext): Readings {
  const known = readingsByFile.get(ctx);
  if (known) return known;
  const order = ctx.profile.dateOrder;
  const birth = memoByText((t) => parseDate(t, { order, role: 'birth', today: ctx.today }), READINGS_CACHE_SIZE);
  const service = memoByText((t) => parseDate(t, { order, role: 'service', today: ctx.today }), READINGS_CACHE_SIZE);
  const readings: Readings = {
    date: (text, role) => (role === 'birth' ? birth(text) : service(text)),
    payer: memoByText((t) => t, READINGS_CACHE_SIZE),
    bucket: memoByText((d) => agingBucket(d, ctx.reportDate), READINGS_CACHE_SIZE),
  };
  readingsByFile.set(ctx, readings);
  return readings;
}

/** Lines with nothing in any cell (spacer lines, trailing commas) are skipped, not rejected. */
export function isBlankRow(cells: string[]): boolean {
  return cells.every((c) => cleanText(c) === '');
}

/**
 * Turns one data row into an aging claim, or into every problem it has so staff can fix a row in
 * one pass. Values are kept as text until parsed, so account numbers keep their leading zeros.
 */
export function validateAgingRow(
  cells: string[],
  ctx: RowContext,
): { ok: true; row: AgingRow } | ({ ok: false; errors: RowError[] } & RejectedRowFacts) {
  const errors: RowError[] = [];
  const { columns } = ctx.mapping;

  const value = (field: AgingField): string => {
    const i = columns[field];
    return i === undefined ? '' : cleanText(cells[i] ?? '');
  };
  const columnName = (field: AgingField): string => {
    const i = columns[field];
    const header = i === undefined ? '' : cleanText(ctx.header[i] ?? '');
    return header === '' ? AGING_FIELD_LABELS[field] : header;
  };
  const failed = new Set<AgingField>();
  const fail = (field: AgingField, message: string): void => {
    failed.add(field);
    errors.push({ column: columnName(field), value: value(field), message });
  };
  const required = (field: AgingField): string => {
    const v = value(field);
    if (v === '') fail(field, `${AGING_FIELD_LABELS[field]} is required`);
    return v;
  };
  const seen = readingsOf(ctx);
  const dateOf = (field: AgingField, role: 'birth' | 'service'): string | null => {
    const parsed = seen.date(value(field), role);
    if (parsed.ok) return parsed.value;
    fail(field, parsed.error);
    return null;
  };
  const moneyOf = (field: AgingField): number | null => {
    const parsed = parseMoney(value(field), { decimalComma: ctx.profile.decimalComma });
    if (parsed.ok) return parsed.value;
    fail(field, parsed.error);
    return null;
  };

  const daysOf = (): number | null => {
    // Reports print large ages with a thousands separator ("1,024").
    const days = value('daysOutstanding').replace(/,/g, '');
    if (days === '') return null;
    if (/^-?\d+$/.test(days)) return Number(days);
    fail('daysOutstanding', `"${value('daysOutstanding')}" is not a number of days`);
    return null;
  };

  // An empty cell and a "no date" sentinel both parse to null without an error of their own.
  const requiredValue = <T>(read: () => T | null, field: AgingField): T | null => {
    const before = errors.length;
    const v = read();
    if (v === null && errors.length === before) fail(field, `${AGING_FIELD_LABELS[field]} is required`);
    return v;
  };

  const claimNumber = ctx.profile.hasClaimNumber ? required('claimNumber') : value('claimNumber');
  const patientAccount = value('patientAccount');
  const patientName = readPatientName(value, (message) => {
    // Point at the column staff would fill in: the name column, or the last-name column of a split name.
    fail(
      columns.patientName === undefined && columns.patientLastName !== undefined ? 'patientLastName' : 'patientName',
      message,
    );
  });
  const dateOfBirth = dateOf('dateOfBirth', 'birth');

  // No payer: the balance is the patient's own (self-pay), not an error. Except in a layout that
  // prints each payer once above its claims: there a blank payer means "the group's", and a row
  // outside any group has no payer we can trust.
  const payerCell = ctx.profile.groupRows?.payerCellOnly === true ? required('payer') : value('payer');
  const payerName = payerCell === '' && !failed.has('payer') ? SELF_PAY_PAYER : seen.payer(payerCell);
  const payerKey = normalizePayerName(payerName);
  if (payerKey === '' && !failed.has('payer')) fail('payer', `"${payerName}" is not a payer name`);

  const dateOfService = requiredValue(() => dateOf('dateOfService', 'service'), 'dateOfService');
  const billedCents = moneyOf('billed');
  const balanceCents = requiredValue(() => moneyOf('balance'), 'balance');
  const details = hasDetailColumns(ctx) ? readDetails(value, moneyOf, daysOf) : null;

  if (errors.length > 0 || dateOfService === null || balanceCents === null) {
    const keyParts = HASH_KEY_FIELDS.every((f) => !failed.has(f)) && payerKey !== '';
    const claimKeyOf = (): string | null => {
      if (claimNumber !== '') return claimKey({ ...EMPTY_KEY, claimNumber });
      // A layout that keys every claim by its number: a row without one names no claim.
      if (ctx.profile.hasClaimNumber) return null;
      // Without a claim number the key is a hash of who, which payer, when and how much: every part
      // must have been read, or it names some other claim (or none).
      if (!keyParts || patientName === '' || dateOfService === null) return null;
      return claimKey({
        claimNumber: null,
        patientAccount: patientAccount === '' ? null : patientAccount,
        patientName,
        dateOfBirth,
        payerKey,
        dateOfService,
        billedCents,
      });
    };
    return { ok: false, errors, claimKey: claimKeyOf(), balanceCents };
  }

  // Built field by field: object spreads here cost more than the rest of the row's validation.
  const row: AgingRow = {
    claimNumber: claimNumber === '' ? null : claimNumber,
    claimKey: '',
    patientName,
    patientAccount: patientAccount === '' ? null : patientAccount,
    dateOfBirth,
    payerName,
    payerKey,
    dateOfService,
    billedCents,
    balanceCents,
    agingBucket: seen.bucket(dateOfService),
  };
  row.claimKey = claimKey(row);
  if (details !== null) Object.assign(row, details);
  return { ok: true, row };
}

/** The fields a claim without a number is keyed by (see claimKey). */
const HASH_KEY_FIELDS: readonly AgingField[] = [
  'patientAccount',
  'patientName',
  'patientLastName',
  'patientFirstName',
  'dateOfBirth',
  'payer',
  'dateOfService',
  'billed',
];

const EMPTY_KEY = {
  claimNumber: null,
  patientAccount: null,
  patientName: '',
  dateOfBirth: null,
  payerKey: '',
  dateOfService: '',
  billedCents: null,
};

type Details = Pick<
  AgingRow,
  | 'plan'
  | 'subscriberId'
  | 'paidCents'
  | 'adjustmentsCents'
  | 'buckets'
  | 'daysOutstanding'
  | 'location'
  | 'provider'
  | 'status'
>;

const DETAIL_FIELDS: readonly AgingField[] = [
  'plan',
  'subscriberId',
  'location',
  'provider',
  'status',
  'paid',
  'adjustments',
  ...BUCKET_FIELDS,
  'daysOutstanding',
];

const detailColumnsByFile = new WeakMap<RowContext, boolean>();

/**
 * Whether the file has any column readDetails reads. Many have none, and reading thirteen empty cells
 * (two objects and a result each) for every row of them was work for nothing.
 */
function hasDetailColumns(ctx: RowContext): boolean {
  let has = detailColumnsByFile.get(ctx);
  if (has === undefined) {
    has = DETAIL_FIELDS.some((f) => ctx.mapping.columns[f] !== undefined);
    detailColumnsByFile.set(ctx, has);
  }
  return has;
}

/** The columns an aging claim can do without, kept when the file has them so nothing it says is lost. */
function readDetails(
  value: (field: AgingField) => string,
  moneyOf: (field: AgingField) => number | null,
  daysOf: () => number | null,
): Details | null {
  const details: Details = {};
  for (const field of ['plan', 'subscriberId', 'location', 'provider', 'status'] as const) {
    const v = value(field);
    if (v !== '') details[field] = v;
  }
  const paid = moneyOf('paid');
  if (paid !== null) details.paidCents = paid;
  const adjustments = moneyOf('adjustments');
  if (adjustments !== null) details.adjustmentsCents = adjustments;
  const buckets: Partial<Record<BucketField, number>> = {};
  for (const field of BUCKET_FIELDS) {
    const cents = moneyOf(field);
    if (cents !== null) buckets[field] = cents;
  }
  if (Object.keys(buckets).length > 0) details.buckets = buckets;
  const days = daysOf();
  if (days !== null) details.daysOutstanding = days;
  return Object.keys(details).length > 0 ? details : null;
}

/** The patient's name from one column, or as `Last, First` from split columns. */
function readPatientName(value: (field: AgingField) => string, fail: (message: string) => void): string {
  const whole = value('patientName');
  if (whole !== '') return whole;
  const last = value('patientLastName');
  const first = value('patientFirstName');
  if (last !== '' && first !== '') return `${last}, ${first}`;
  if (last !== '' || first !== '') return last !== '' ? last : first;
  fail(`${AGING_FIELD_LABELS.patientName} is required`);
  return '';
}
