import type { Result } from '../result.js';
import { err, ok } from '../result.js';
import { cleanText, normalizeHeader } from '../normalize.js';
import type { AgingField } from './fields.js';
import { AGING_FIELD_LABELS } from './fields.js';
import type { HeaderMapping } from './header-map.js';
import { UNAMBIGUOUS_FIELDS, matchColumns, missingFields } from './header-map.js';
import type { AgingFileType, FormatProfile } from './profile.js';
import { PROFILES, genericProfile, getProfile } from './profiles/index.js';
import { findReportDate } from './report-date.js';
import type { Candidate } from './detect-messages.js';
import {
  ambiguousMessage,
  badSavedMappingMessage,
  emptyFileMessage,
  hintHeaderMessage,
  hintOtherSystemMessage,
  hintTypeMessage,
  lacksColumnsMessage,
  noMatchMessage,
  unknownHintMessage,
} from './detect-messages.js';

/**
 * A practice's own mapping of a header no profile knows, saved after a failed import: each field
 * names its column by the column's header text, so a later export with its columns in another order,
 * or with a column more, still reads. (A number is a position in `header`, as mappings were first saved.)
 */
export interface SavedColumnMapping {
  id: string;
  header: string[];
  columns: Partial<Record<AgingField, string | number>>;
}

export interface DetectLayoutOptions {
  /** What the file's leading bytes say it is, not its name. */
  fileType: AgingFileType;
  /** A profile id the uploader chose, or 'detect' (the same as none). */
  formatHint?: string;
  savedMappings?: SavedColumnMapping[];
  /** ISO date of the upload; two-digit years and the report date are judged against it. */
  today: string;
}

export interface LayoutDetection {
  profile: FormatProfile;
  /** Index in the rows passed in of the header row; the rows above it are title lines. */
  headerIndex: number;
  mapping: HeaderMapping;
  /** From the title lines; null when they name no date (the caller then uses the upload date). */
  reportDate: string | null;
  savedMappingId?: string;
}

// One distinctive header could be a coincidence in a hand-made file; two make the system likely.
const MIN_SIGNATURE_HITS = 2;

function isBlank(row: string[]): boolean {
  return row.every((c) => normalizeHeader(c) === '');
}

function signatureHits(row: string[], profile: FormatProfile): number {
  const signature = new Set(profile.signature.map(normalizeHeader));
  return new Set(row.map(normalizeHeader).filter((c) => signature.has(c))).size;
}

/** The header row a profile reads best among the rows it allows title lines above. */
function bestCandidate(profile: FormatProfile, rows: string[][]): Candidate | null {
  let best: Candidate | null = null;
  let titleLines = 0;
  for (const [index, row] of rows.entries()) {
    if (titleLines > profile.titleLinesMax) break;
    if (isBlank(row)) continue;
    const mapping = matchColumns(row, profile);
    const candidate: Candidate = {
      profile,
      index,
      mapping,
      missing: missingFields(mapping.columns, profile),
      hits: signatureHits(row, profile),
      fields: Object.keys(mapping.columns).length,
    };
    if (best === null || compareRows(candidate, best) < 0) best = candidate;
    titleLines += 1;
  }
  return best;
}

// Negative when `a` is the better header row: usable first, then more distinctive, then fuller.
function compareRows(a: Candidate, b: Candidate): number {
  const usable = Number(b.missing.length === 0) - Number(a.missing.length === 0);
  return usable || b.hits - a.hits || b.fields - a.fields;
}

function isSpecific(profile: FormatProfile): boolean {
  return profile.id !== genericProfile.id;
}

/** Column letters as a spreadsheet shows them: 0 → A, 27 → AB. */
function columnLetter(i: number): string {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/**
 * A header where two columns carry one field the file is stored or counted by is refused: whichever
 * one we chose, the other's money or dates would be silently ignored.
 */
function ambiguousColumns(c: Candidate, rows: string[][]): string | null {
  const dup = c.mapping.duplicates?.[0];
  if (dup === undefined) return null;
  const header = rows[c.index] ?? [];
  const name = (i: number) => `"${cleanText(header[i] ?? '')}" (column ${columnLetter(i)})`;
  return (
    `Two columns of this file both read as ${AGING_FIELD_LABELS[dup.field]}: ${name(dup.first)} and ${name(dup.second)}. ` +
    'Ledgerport cannot tell which one to use. Remove or rename one of them in the file, then upload it again.'
  );
}

function detected(c: Candidate, rows: string[][], today: string, savedMappingId?: string): LayoutDetection {
  const detection: LayoutDetection = {
    profile: c.profile,
    headerIndex: c.index,
    mapping: c.mapping,
    reportDate: findReportDate(rows.slice(0, c.index), today),
  };
  if (savedMappingId !== undefined) detection.savedMappingId = savedMappingId;
  return detection;
}

/**
 * Picks the layout from the header alone. A system's profile needs its distinctive columns: the
 * generic profile reads almost any header, so it is only chosen when no system's columns are
 * there, and a file that looks like a system's report but lacks a column it needs is refused
 * rather than read generically (which would mis-read its group and total rows).
 */
function detectAuto(rows: string[][], fileType: AgingFileType): Result<Candidate> {
  const candidates = PROFILES.map((p) => bestCandidate(p, rows)).filter((c): c is Candidate => c !== null);
  if (candidates.length === 0) return err(emptyFileMessage());
  const usable = (cs: Candidate[]): Candidate[] => cs.filter((c) => c.missing.length === 0);

  const distinctive = candidates.filter((c) => isSpecific(c.profile) && c.hits >= MIN_SIGNATURE_HITS);
  if (distinctive.length > 0) {
    const fits = usable(distinctive);
    return fits.length > 0 ? pickClearWinner(fits, fileType) : err(lacksColumnsMessage(byCloseness(distinctive)));
  }
  const generic = usable(candidates.filter((c) => !isSpecific(c.profile)));
  if (generic[0] !== undefined) return ok(generic[0]);
  // A system's own column names can carry a header the generic names do not.
  const fits = usable(candidates);
  if (fits.length > 0) return pickClearWinner(fits, fileType);
  // A system none of whose own columns are there is no candidate worth naming to staff.
  return err(noMatchMessage(byCloseness(candidates.filter((c) => !isSpecific(c.profile) || c.hits > 0))));
}

function byCloseness(cs: Candidate[]): Candidate[] {
  const rank = (c: Candidate): number[] => [c.hits, c.fields, -c.missing.length];
  return [...cs].sort((a, b) => compareRanks(rank(b), rank(a)));
}

function pickClearWinner(fits: Candidate[], fileType: AgingFileType): Result<Candidate> {
  // A re-saved export (a Compulink .xls saved as CSV) still reads best with its system's profile,
  // but when two systems fit, the one that exports this file type is the likelier.
  const rank = (c: Candidate): number[] => [Number(c.profile.fileTypes.includes(fileType)), c.hits, c.fields];
  const [first, second] = [...fits].sort((a, b) => compareRanks(rank(b), rank(a)));
  if (first === undefined) return err(emptyFileMessage());
  if (second !== undefined && compareRanks(rank(first), rank(second)) === 0)
    return err(ambiguousMessage(first, second));
  return ok(first);
}

function compareRanks(a: number[], b: number[]): number {
  for (const [i, x] of a.entries()) {
    const d = x - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The header names a saved mapping reads, by field (a position saved by an older version is its name). */
function mappedNames(m: SavedColumnMapping): Array<[AgingField, string]> {
  const out: Array<[AgingField, string]> = [];
  for (const [field, col] of Object.entries(m.columns) as Array<[AgingField, string | number | undefined]>) {
    const name = typeof col === 'number' ? m.header[col] : col;
    if (name !== undefined && normalizeHeader(name) !== '') out.push([field, normalizeHeader(name)]);
  }
  return out;
}

/**
 * A saved mapping applies to a row that has every column it names, wherever they stand and whatever
 * else the row has. Of two mappings that fit, the one naming more columns is the closer.
 */
function fromSavedMapping(
  rows: string[][],
  saved: SavedColumnMapping[],
  profile: FormatProfile,
  today: string,
): Result<LayoutDetection> | null {
  const candidates = saved
    .map((m) => ({ m, names: mappedNames(m) }))
    .filter((c) => c.names.length > 0)
    .sort((a, b) => b.names.length - a.names.length);
  for (const [index, row] of rows.entries()) {
    const keys = row.map(normalizeHeader);
    const match = candidates.find((c) => c.names.every(([, name]) => keys.includes(name)));
    if (match === undefined) continue;
    const columns: Partial<Record<AgingField, number>> = {};
    for (const [field, name] of match.names) {
      const first = keys.indexOf(name);
      // Two columns of one name: which holds the money cannot be told, so the file is refused.
      if (keys.indexOf(name, first + 1) >= 0 && UNAMBIGUOUS_FIELDS.includes(field))
        return err(
          `Two columns of this file are both called "${cleanText(row[first] ?? '')}", which your saved column mapping reads as ${AGING_FIELD_LABELS[field]}. ` +
            'Ledgerport cannot tell which one to use. Remove or rename one of them in the file, then upload it again.',
        );
      columns[field] = first;
    }
    const missing = missingFields(columns, profile);
    if (missing.length > 0) return err(badSavedMappingMessage(missing));
    const used = new Set(Object.values(columns));
    const unmatched = row.map(cleanText).filter((c, i) => !used.has(i) && c !== '');
    const mapping: HeaderMapping = { profileId: profile.id, columns, unmatched };
    return ok(detected({ profile, index, mapping, missing, hits: 0, fields: used.size }, rows, today, match.m.id));
  }
  return null;
}

/**
 * Finds the header row of an aging file among its first rows (about 50) and the layout it is in:
 * a saved mapping whose columns the header has, the system the uploader named, or the profile whose
 * columns fit best. Every failure is a message for billing staff naming what did not fit.
 */
export function detectLayout(rows: string[][], opts: DetectLayoutOptions): Result<LayoutDetection> {
  const hint = opts.formatHint === undefined || opts.formatHint === 'detect' ? undefined : opts.formatHint;
  const hinted = hint === undefined ? undefined : getProfile(hint);
  if (hint !== undefined && hinted === undefined) return err(unknownHintMessage(hint));

  // What the file looks like, to say so when it is not what the uploader named.
  const looksLike = (): FormatProfile | null => {
    const auto = detectAuto(rows, opts.fileType);
    return auto.ok && auto.value.profile !== hinted ? auto.value.profile : null;
  };
  if (hinted !== undefined && !hinted.fileTypes.includes(opts.fileType)) {
    return err(hintTypeMessage(hinted, opts.fileType, looksLike()));
  }

  const saved = fromSavedMapping(rows, opts.savedMappings ?? [], hinted ?? genericProfile, opts.today);
  if (saved !== null) return saved;

  if (hinted !== undefined) {
    const c = bestCandidate(hinted, rows);
    if (c === null) return err(emptyFileMessage());
    if (c.missing.length > 0) return err(hintHeaderMessage(c, rows[c.index] ?? [], looksLike()));
    // Every profile reads generic column names, so the named system only loses to another one
    // when the header carries that other system's own columns and not the named one's. Naming
    // "generic" is a deliberate choice to read the file as a plain report, and always stands.
    const other = looksLike();
    if (other !== null && isSpecific(hinted) && isSpecific(other) && c.hits < MIN_SIGNATURE_HITS) {
      return err(hintOtherSystemMessage(hinted, other, rows[c.index] ?? []));
    }
    const ambiguous = ambiguousColumns(c, rows);
    return ambiguous === null ? ok(detected(c, rows, opts.today)) : err(ambiguous);
  }

  const auto = detectAuto(rows, opts.fileType);
  if (!auto.ok) return auto;
  const ambiguous = ambiguousColumns(auto.value, rows);
  return ambiguous === null ? ok(detected(auto.value, rows, opts.today)) : err(ambiguous);
}
