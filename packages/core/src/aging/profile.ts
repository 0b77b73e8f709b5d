import type { DateOrder } from '../dates.js';
import type { AgingField } from './fields.js';

/**
 * One PM system's aging export layout. Aliases are header texts as the system writes them; they
 * are compared through `normalizeHeader`, so case, spacing and punctuation do not matter.
 */
export interface FormatProfile {
  id: string;
  label: string;
  fileTypes: Array<'csv' | 'xls' | 'xlsx'>;
  aliases: Partial<Record<AgingField, string[]>>;
  dateOrder: DateOrder;
  decimalComma: boolean;
  /** The layout always carries a claim number, so a file without one is the wrong layout. */
  hasClaimNumber: boolean;
}
