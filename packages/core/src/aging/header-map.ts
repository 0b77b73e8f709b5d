import type { Result } from '../result.js';
import { err, ok } from '../result.js';
import { cleanText, normalizeHeader } from '../normalize.js';
import type { AgingField } from './fields.js';
import { AGING_FIELDS, AGING_FIELD_LABELS } from './fields.js';
import type { FormatProfile } from './profile.js';

export interface HeaderMapping {
  profileId: string;
  /** Field → index of the header cell (and of the row cell) that carries it. */
  columns: Partial<Record<AgingField, number>>;
  /** Header cells, as written, that mapped to nothing. */
  unmatched: string[];
  /**
   * A field two cells name, where the second found no other field to carry: which of the two a row's
   * value should come from cannot be told (two "Balance" columns).
   */
  duplicates?: Array<{ field: AgingField; first: number; second: number }>;
}

/** Fields a claim is stored, keyed or counted by: two columns for one of them make a file ambiguous. */
export const UNAMBIGUOUS_FIELDS: readonly AgingField[] = [
  'claimNumber',
  'patientAccount',
  'patientName',
  'patientFirstName',
  'patientLastName',
  'dateOfBirth',
  'payer',
  'dateOfService',
  'billed',
  'balance',
];

function aliasIndex(profile: FormatProfile): Map<string, AgingField[]> {
  const index = new Map<string, AgingField[]>();
  for (const field of AGING_FIELDS) {
    for (const alias of profile.aliases[field] ?? []) {
      const key = normalizeHeader(alias);
      const fields = index.get(key) ?? [];
      if (!fields.includes(field)) fields.push(field);
      index.set(key, fields);
    }
  }
  return index;
}

/**
 * Assigns header cells to fields, left to right, without judging whether the result is usable.
 * When two cells carry the same field the first wins, and a cell is given to one field at most.
 */
export function matchColumns(cells: string[], profile: FormatProfile): HeaderMapping {
  const index = aliasIndex(profile);
  const columns: Partial<Record<AgingField, number>> = {};
  const unmatched: string[] = [];
  const duplicates: NonNullable<HeaderMapping['duplicates']> = [];
  cells.forEach((cell, i) => {
    const shown = cleanText(cell);
    if (shown === '') return;
    const fields = index.get(normalizeHeader(shown)) ?? [];
    const field = fields.find((f) => columns[f] === undefined);
    if (field !== undefined) {
      columns[field] = i;
      return;
    }
    unmatched.push(shown);
    const taken = fields.find((f) => UNAMBIGUOUS_FIELDS.includes(f));
    const first = taken === undefined ? undefined : columns[taken];
    if (taken !== undefined && first !== undefined) duplicates.push({ field: taken, first, second: i });
  });
  return duplicates.length > 0
    ? { profileId: profile.id, columns, unmatched, duplicates }
    : { profileId: profile.id, columns, unmatched };
}

/** The fields an aging import cannot do without that a mapping lacks, in the order staff fill them in. */
export function missingFields(columns: HeaderMapping['columns'], profile: FormatProfile): AgingField[] {
  const missing: AgingField[] = [];
  const has = (f: AgingField): boolean => columns[f] !== undefined;
  if (profile.hasClaimNumber && !has('claimNumber')) missing.push('claimNumber');
  if (!has('patientName')) {
    // A file with only half of a split name is missing the other half, not the whole name.
    if (has('patientFirstName') && !has('patientLastName')) missing.push('patientLastName');
    else if (has('patientLastName') && !has('patientFirstName')) missing.push('patientFirstName');
    else if (!has('patientFirstName')) missing.push('patientName');
  }
  for (const f of ['payer', 'dateOfService', 'balance'] as const) {
    if (!has(f)) missing.push(f);
  }
  return missing;
}

/**
 * Maps a header row through a format profile. Fails when a column an aging import cannot do
 * without is missing, with a message that names those columns and shows the file's own, so staff
 * can see whether they exported the wrong report or picked the wrong format.
 */
export function mapHeader(headerCells: string[], profile: FormatProfile): Result<HeaderMapping> {
  const mapping = matchColumns(headerCells, profile);
  const missing = missingFields(mapping.columns, profile);
  if (missing.length === 0) return ok(mapping);

  const names = missing.map((f) => AGING_FIELD_LABELS[f]).join(', ');
  const present = headerCells.map(cleanText).filter((c) => c !== '');
  const theirs = present.length === 0 ? 'Its header row is empty.' : `Its columns are: ${present.join(', ')}.`;
  return err(`The file's header is missing these columns: ${names}. ${theirs}`);
}

/** How many fields a header row yields under a profile; the best-scoring profile is the file's layout. */
export function scoreHeader(cells: string[], profile: FormatProfile): number {
  return Object.keys(matchColumns(cells, profile).columns).length;
}
