import type { GroupRowRule } from '../profile.js';

/**
 * Subtotal and total lines as PM systems label them. They are only tested on rows without a date
 * of service, so a payer named "Total Health Care" on a real claim is never skipped.
 */
export const TOTAL_ROW_PATTERNS: RegExp[] = [
  // "Total", "Totals:", "Grand Total", "Report Totals", "Subtotal", "Total for Aetna"
  /^(?:grand|report|sub|sub-|final|overall)?\s*totals?\b/i,
  // "Aetna Total", "Payor Total:", "Blue Cross Blue Shield Totals", "Location Subtotal"
  /\b(?:sub-?)?totals?\s*:?$/i,
];

/** "Payor: Aetna", "Insurance - Cigna": a payer group heading whatever the layout calls the payer. */
export const PAYER_LABEL_PATTERNS: RegExp[] = [
  /^(?:payor|payer|insurance|ins\.?|carrier|insurance company|insurance carrier|primary insurance)\s*[:-]\s*(.+)$/i,
];

export const PAYER_GROUPS: GroupRowRule = { payerCellOnly: true, labelPatterns: PAYER_LABEL_PATTERNS };

/** `'Claim Number | Claim #'` → `['Claim Number', 'Claim #']`: long alias lists stay readable. */
export function aliases(...lines: string[]): string[] {
  return lines.flatMap((line) => line.split('|').map((a) => a.trim())).filter((a) => a !== '');
}
