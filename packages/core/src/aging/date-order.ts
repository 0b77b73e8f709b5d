import type { DateOrder } from '../dates.js';
import { cleanText } from '../normalize.js';

/**
 * What one date cell says about the order of day and month: `02/25/2026` can only be month-first,
 * `25/02/2026` only day-first, `02/09/2026` either (no evidence), `2026-02-09` year-first.
 */
export type DateEvidence = 'MDY' | 'DMY' | 'YMD' | null;

// Two numbers of one or two digits, then a year: the only shape whose order is in doubt.
const SHORT_FIRST = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})(?:[ T].*)?$/;
const YEAR_FIRST = /^\d{4}[/.-]\d{1,2}[/.-]\d{1,2}(?:[ T].*)?$/;

export function dateEvidence(cell: string): DateEvidence {
  const text = cleanText(cell);
  if (text === '') return null;
  if (YEAR_FIRST.test(text)) return 'YMD';
  const m = SHORT_FIRST.exec(text);
  if (m === null) return null;
  const a = Number(m[1]);
  const b = Number(m[3]);
  if (a > 12 && b >= 1 && b <= 12) return 'DMY';
  if (b > 12 && a >= 1 && a <= 12) return 'MDY';
  return null;
}

/** A numeric date whose first two parts could each be the day or the month (`02/09/2026`). */
function isAmbiguous(text: string): { dotted: boolean } | null {
  const m = SHORT_FIRST.exec(text);
  if (m === null) return null;
  return Number(m[1]) <= 12 && Number(m[3]) <= 12 ? { dotted: m[2] === '.' } : null;
}

export interface DateOrderDecision {
  order: DateOrder;
  /**
   * false when no value told day from month: the order is an assumption, later values may still
   * contradict it (the import then reads the file again in the other order), and if the file has
   * dates that could be read either way the import declares it (`assumption`).
   */
  decided: boolean;
  /** what was assumed, in staff's words, for the import's notices */
  assumption: string;
}

export interface DateOrderInput {
  /** The date cells of the file seen so far (all date columns together). */
  values: Iterable<string>;
  /** The profile's order, used when nothing decides it. */
  profileOrder: DateOrder;
  /** A decimal-comma file is from a machine set to European conventions. */
  decimalComma: boolean;
  /** The order the uploader named, or one an earlier read of this file proved: it stands. */
  stated?: DateOrder;
}

const ORDER_WORDS: Record<DateOrder, string> = {
  MDY: 'month first (MM/DD/YYYY)',
  DMY: 'day first (DD/MM/YYYY)',
  YMD: 'year first (YYYY-MM-DD)',
};

export function describeDateOrder(order: DateOrder): string {
  return ORDER_WORDS[order];
}

/**
 * Decides a file's day/month order from its values, never from one cell: a first part above 12
 * proves day-first, a second part above 12 month-first; when values disagree the order most of them
 * prove wins and the others are rejected as dates that are not real. When nothing decides it, the
 * profile's order is assumed, except that dotted dates in a decimal-comma file lean day-first.
 */
export function decideDateOrder(input: DateOrderInput): DateOrderDecision {
  const assumption = (order: DateOrder, why: string) =>
    `No date in the file shows whether the day or the month comes first, so dates like 02/09 were read ${ORDER_WORDS[order]}${why}. ` +
    'If that is wrong, upload the file again and choose the date order.';
  if (input.stated !== undefined) return { order: input.stated, decided: true, assumption: '' };
  let mdy = 0;
  let dmy = 0;
  let dotted = 0;
  for (const v of input.values) {
    const e = dateEvidence(v);
    if (e === 'MDY') mdy++;
    else if (e === 'DMY') dmy++;
    else if (e === null && isAmbiguous(cleanText(v))?.dotted === true) dotted++;
  }
  if (mdy > 0 || dmy > 0) return { order: dmy > mdy ? 'DMY' : 'MDY', decided: true, assumption: '' };
  if (input.decimalComma && dotted > 0 && input.profileOrder !== 'YMD')
    return {
      order: 'DMY',
      decided: false,
      assumption: assumption('DMY', ' (the file uses decimal commas and dotted dates, as day-first systems do)'),
    };
  return { order: input.profileOrder, decided: false, assumption: assumption(input.profileOrder, '') };
}

/** Whether a cell could be read either way (`02/09/2026`): an assumed order is then declared. */
export function isAmbiguousDate(cell: string): boolean {
  return isAmbiguous(cleanText(cell)) !== null;
}

/** The other order a value proves when the assumed one cannot read it, or null. */
export function contradicts(assumed: DateOrder, cell: string): DateOrder | null {
  if (assumed === 'YMD') return null;
  const e = dateEvidence(cell);
  return e === null || e === 'YMD' || e === assumed ? null : e;
}
