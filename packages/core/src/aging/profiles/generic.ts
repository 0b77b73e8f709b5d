import type { FormatProfile } from '../profile.js';
import { GENERIC_ALIASES } from './generic-aliases.js';
import { PAYER_LABEL_PATTERNS, TOTAL_ROW_PATTERNS } from './shared.js';

/**
 * Any aging report with a header row, including the CSV template we hand out. Aliases are generous
 * because this profile catches every layout without its own profile; each alias belongs to one
 * field only, or a column could be read as the wrong thing.
 */
export const genericProfile: FormatProfile = {
  id: 'generic',
  label: 'Generic aging report (CSV or Excel)',
  system: 'Generic aging report',
  exportHint: 'Save the report with one header row and one claim per row, as CSV or Excel.',
  fileTypes: ['csv', 'xls', 'xlsx'],
  // Generic is the fallback for every layout, so it needs no signature of its own.
  signature: [],
  dateOrder: 'MDY',
  decimalComma: false,
  // Many PM systems export no claim number; those rows get a hashed key instead.
  hasClaimNumber: false,
  // Hand-made and unknown exports: a few title lines at most ("Aging Report - 11/20/2026").
  titleLinesMax: 10,
  totalRowPatterns: TOTAL_ROW_PATTERNS,
  // Only the explicit "Payor: Aetna" form: in an unknown layout a row with just a payer filled in
  // is more likely a broken claim, which staff should see, than a group heading.
  groupRows: { payerCellOnly: false, labelPatterns: PAYER_LABEL_PATTERNS },
  aliases: GENERIC_ALIASES,
};
