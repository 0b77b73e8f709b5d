import { memoByText } from './memo.js';
// Characters that render as nothing but make two equal-looking cells differ.
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;
// Non-breaking and other fixed-width spaces that \s in a trim does not always catch in exports.
const ODD_SPACES = /[\u00A0\u2007\u202F]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

// Anything cleanText would change: a cell without any of these (nearly every cell) is returned as is,
// which matters at a million rows times a dozen cells.
const NEEDS_CLEANING = /[\u200B-\u200D\u2060]|[^\S ]|  |^ | $/;

export function cleanText(s: string): string {
  if (!needsCleaning(s)) return s;
  return s.replace(ZERO_WIDTH, '').replace(ODD_SPACES, ' ').replace(/\s+/g, ' ').trim();
}

const SPACE = 0x20;

/**
 * NEEDS_CLEANING.test(s), read character by character for ASCII: the regex's five alternatives were
 * tried at every position of every cell, about a second of a 1,000,000-row file (cleanText runs twenty
 * times a row). A cell with any character past ASCII is asked of the regex itself.
 */
export function needsCleaning(s: string): boolean {
  const last = s.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = s.charCodeAt(i);
    if (c > SPACE) {
      if (c < 0x7f) continue;
      if (c === 0x7f) continue;
      return NEEDS_CLEANING.test(s);
    }
    if (c === SPACE) {
      if (i === 0 || i === last || s.charCodeAt(i + 1) === SPACE) return true;
    } else if (c >= 0x09 && c <= 0x0d) return true; // tab, line feed, vertical tab, form feed, carriage return
  }
  return false;
}

// Plain ASCII has nothing to decompose or fold, and every row's first cell is compared as a header.
const NON_ASCII = /[^\x00-\x7f]/;

function foldAccents(s: string): string {
  if (!NON_ASCII.test(s)) return s;
  return s.normalize('NFKD').replace(COMBINING_MARKS, '');
}

/**
 * Key for comparing a header cell with a profile alias. `#` becomes "number" because layouts
 * carry both "Patient" (a name) and "Patient #" (an account), and "Claim #" means "Claim Number".
 */
export function normalizeHeader(s: string): string {
  return foldAccents(s)
    .toLowerCase()
    .replace(/#/g, 'number')
    .replace(/[^a-z0-9]/g, '');
}

const NUMBER = 'number';

/**
 * normalizeHeader(cell) === key, compared as it is read and given up at the first difference: every
 * row's cells are compared with the header (a header a multi-page export repeats), and a data row
 * differs within a character or two. A cell with any character past ASCII is normalized in full.
 */
export function headerKeyIs(cell: string, key: string): boolean {
  let k = 0;
  for (let i = 0; i < cell.length; i++) {
    let c = cell.charCodeAt(i);
    if (c > 0x7f) return normalizeHeader(cell) === key;
    if (c >= 0x41 && c <= 0x5a) c += 0x20; // A-Z
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
      if (key.charCodeAt(k) !== c) return false;
      k++;
    } else if (c === 0x23) {
      // '#' reads as "number" ("Claim #" is "Claim Number")
      if (!key.startsWith(NUMBER, k)) return false;
      k += NUMBER.length;
    }
  }
  return k === key.length;
}

/**
 * Key under which payers are de-duplicated. Exports spell one payer with different case, spacing,
 * hyphens and `&`/`and` ("Blue Cross & Blue Shield", "BLUE CROSS BLUE-SHIELD", "UnitedHealthcare"
 * vs "United Healthcare"); those differences are dropped. Words are not otherwise rewritten
 * ("BCBS" stays apart from "Blue Cross Blue Shield") because merging two real payers is worse
 * than showing one payer twice.
 */
export function normalizePayerName(s: string): string {
  return payerKeys(s);
}

// A file names a handful of payers a million times.
const payerKeys = memoByText(payerKeyOf, 10_000);

function payerKeyOf(s: string): string {
  const words = foldAccents(cleanText(s))
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '' && w !== 'and');
  return words.join('');
}
