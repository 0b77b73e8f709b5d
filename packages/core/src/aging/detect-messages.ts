import { cleanText, normalizeHeader } from '../normalize.js';
import type { AgingField } from './fields.js';
import { AGING_FIELD_LABELS } from './fields.js';
import type { HeaderMapping } from './header-map.js';
import type { AgingFileType, FormatProfile } from './profile.js';
import { PROFILES } from './profiles/index.js';

/** One profile's best reading of one row as the header, as detection weighs it. */
export interface Candidate {
  profile: FormatProfile;
  index: number;
  mapping: HeaderMapping;
  missing: AgingField[];
  /** How many of the profile's distinctive columns the row has. */
  hits: number;
  fields: number;
}

// How many near misses a message names: more than that reads as noise to billing staff.
const MAX_CANDIDATES = 3;

const FILE_TYPE_NAMES: Record<AgingFileType, string> = {
  csv: 'a CSV',
  xls: 'an Excel 97-2000 (.xls) file',
  xlsx: 'an Excel (.xlsx) file',
};

function listWords(items: string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1] ?? ''}`;
}

function exportsAs(types: AgingFileType[]): string {
  if (types.every((t) => t === 'csv')) return 'a CSV file';
  if (types.includes('csv')) return 'a CSV or Excel file';
  if (types.length === 1 && types[0] === 'xls') return FILE_TYPE_NAMES.xls;
  return 'an Excel (.xls or .xlsx) file';
}

/** `Claim Number ("Invoice #")`: the field in our words, then in the system's own. */
function missingNames(missing: AgingField[], profile: FormatProfile, conjunction: 'and' | 'or'): string {
  const names = missing.map((f) => {
    const theirs = profile.aliases[f]?.[0];
    return theirs === undefined || theirs === AGING_FIELD_LABELS[f]
      ? AGING_FIELD_LABELS[f]
      : `${AGING_FIELD_LABELS[f]} ("${theirs}")`;
  });
  return listWords(names, conjunction);
}

function columnsOf(row: string[]): string {
  const present = row.map(cleanText).filter((c) => c !== '');
  return present.length === 0 ? 'Its header row is empty.' : `Its columns are: ${present.join(', ')}.`;
}

function alternative(looksLike: FormatProfile | null): string {
  return looksLike === null
    ? ''
    : ` It looks like ${looksLike.label} instead: choose ${looksLike.system} or let us detect the layout.`;
}

const MAPPING_HINT =
  'Check that you exported the report named for your system, choose your system when uploading, ' +
  'or map the columns yourself for this header.';

export function emptyFileMessage(): string {
  return 'The file is empty: it has no header row and no claims.';
}

export function unknownHintMessage(hint: string): string {
  const ids = PROFILES.map((p) => `${p.id} (${p.system})`);
  return `"${hint}" is not a system we know. Choose one of ${listWords(ids, 'or')}, or "detect" to let us tell from the file.`;
}

export function hintTypeMessage(
  profile: FormatProfile,
  fileType: AgingFileType,
  looksLike: FormatProfile | null,
): string {
  return (
    `${profile.system} exports its aging report as ${exportsAs(profile.fileTypes)}, but this file is ` +
    `${FILE_TYPE_NAMES[fileType]}. ${profile.exportHint}${alternative(looksLike)}`
  );
}

export function hintHeaderMessage(c: Candidate, row: string[], looksLike: FormatProfile | null): string {
  return (
    `This file's header does not look like ${c.profile.label}: it has no column for ` +
    `${missingNames(c.missing, c.profile, 'or')}. ${columnsOf(row)}${alternative(looksLike)}`
  );
}

export function hintOtherSystemMessage(hinted: FormatProfile, other: FormatProfile, row: string[]): string {
  const signature = new Set(other.signature.map(normalizeHeader));
  const theirs = row.map(cleanText).filter((c) => signature.has(normalizeHeader(c)));
  return (
    `You chose ${hinted.system}, but this file's header looks like ${other.label}: ` +
    `${listWords(
      theirs.map((c) => `"${c}"`),
      'and',
    )} are ${other.system} columns. ` +
    `Choose ${other.system}, or let us detect the layout.`
  );
}

function nearMisses(closest: Candidate[]): string {
  const seen = new Set<string>();
  const near: string[] = [];
  for (const c of closest) {
    if (seen.has(c.profile.id) || near.length >= MAX_CANDIDATES) continue;
    seen.add(c.profile.id);
    near.push(`${c.profile.label}, which needs ${missingNames(c.missing, c.profile, 'and')}`);
  }
  return near.join('; ');
}

function unrecognized(c: Candidate): string {
  const unknown = c.mapping.unmatched;
  return unknown.length === 0 ? '' : ` Columns we did not recognize: ${unknown.map((u) => `"${u}"`).join(', ')}.`;
}

/** Nothing fits: the closest layouts and what each would need, and the columns nobody knows. */
export function noMatchMessage(closest: Candidate[]): string {
  const best = closest[0];
  if (best === undefined || best.fields === 0) {
    return (
      'We could not find the header row of this aging report: none of its first lines names columns such as ' +
      'Patient Name, Payer, Date of Service and Balance. Check that you uploaded the aging report itself.'
    );
  }
  return (
    `This file's header does not match any aging report layout we know. Closest: ${nearMisses(closest)}.` +
    `${unrecognized(best)} ${MAPPING_HINT}`
  );
}

/** The header has a system's own columns but not all it needs (the report was set up differently). */
export function lacksColumnsMessage(closest: Candidate[]): string {
  const best = closest[0];
  if (best === undefined) return noMatchMessage(closest);
  return (
    `This file looks like ${best.profile.label}, but its header has no column for ` +
    `${missingNames(best.missing, best.profile, 'or')}.` +
    (closest.length > 1 ? ` Other near matches: ${nearMisses(closest.slice(1))}.` : '') +
    `${unrecognized(best)} ${MAPPING_HINT}`
  );
}

export function ambiguousMessage(a: Candidate, b: Candidate): string {
  return (
    `This file's header fits ${a.profile.label} and ${b.profile.label} equally well. ` +
    'Choose the system that produced it when you upload.'
  );
}

export function badSavedMappingMessage(missing: AgingField[]): string {
  const names = listWords(
    missing.map((f) => AGING_FIELD_LABELS[f]),
    'or',
  );
  return `The column mapping saved for this header has no column for ${names}. Update the mapping and upload the file again.`;
}
