import type { DateOrder } from '../dates.js';
import type { AgingField } from './fields.js';

export type AgingFileType = 'csv' | 'xls' | 'xlsx';

/**
 * How a layout marks the payer of the claims below it instead of repeating it on every row.
 * Detail rows that leave the payer blank inherit the last group's payer.
 */
export interface GroupRowRule {
  /** A row whose only filled cell is the payer column (Compulink's "AETNA" row) starts a group. */
  payerCellOnly: boolean;
  /**
   * A row whose only filled cell matches one of these ("Payor: Aetna") starts a group; capture
   * group 1 is the payer's name.
   */
  labelPatterns: RegExp[];
}

/**
 * One PM system's aging export layout. Aliases are header texts as the system writes them; they
 * are compared through `normalizeHeader`, so case, spacing and punctuation do not matter.
 */
export interface FormatProfile {
  id: string;
  label: string;
  /** The PM system as billing staff name it, for messages ("Compulink"). */
  system: string;
  /** How staff produce the file, said in messages when the file is not what the system exports. */
  exportHint: string;
  fileTypes: AgingFileType[];
  aliases: Partial<Record<AgingField, string[]>>;
  /**
   * Header cells only this system writes. Generic-looking headers map under every profile, so a
   * system's profile is only a detection candidate when the header carries at least two of these.
   */
  signature: string[];
  dateOrder: DateOrder;
  decimalComma: boolean;
  /** The layout always carries a claim number, so a file without one is the wrong layout. */
  hasClaimNumber: boolean;
  /** How many non-blank report title lines (name, "As of", filters) may sit above the header. */
  titleLinesMax: number;
  /**
   * Matched against the first two filled cells of a row with no date of service: subtotal and total
   * lines ("Payor Total:", "Aetna Total", "Grand Total", "Report Totals") are not claims.
   */
  totalRowPatterns: RegExp[];
  groupRows?: GroupRowRule;
}
