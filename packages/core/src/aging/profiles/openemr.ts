import type { FormatProfile } from '../profile.js';
import { withGenericAliases } from './generic-aliases.js';
import { aliases, TOTAL_ROW_PATTERNS } from './shared.js';

/**
 * OpenEMR, Reports › Financial › Collections, "Export Selected as CSV" (collections_report.php):
 * no title or total lines, one invoice (encounter) per row, every cell quoted, every line ending
 * in a comma. Always written: Insurance, Name, Invoice, DOS, Referrer, Provider, Charge, Adjust,
 * Paid, Balance; SSN, DOB, Pubpid, Policy, Group Number, Phone and City between Name and Invoice,
 * and Aging Days and Error after Balance, only when their boxes are ticked. Dates follow the site's
 * date display setting (Y-m-d, m/d/Y or d/m/Y), money has no currency sign. The header words pass
 * through OpenEMR's translation, so a site in another language writes other names.
 */
export const openEmrProfile: FormatProfile = {
  id: 'openemr',
  label: 'OpenEMR — Collections Report (CSV)',
  system: 'OpenEMR',
  exportHint:
    'In OpenEMR, open Reports › Financial › Collections, choose the facility and the Open category, press Submit, ' +
    'then Select All and Export Selected as CSV (not Export Selected to Collections, which flags the accounts as sent ' +
    'to a collection agency).',
  fileTypes: ['csv'],
  // "Adjust" and "Referrer" are on every export whatever is ticked; "Pubpid" (the ID box) is
  // OpenEMR's own word for the chart number.
  signature: aliases('Adjust | Referrer | Pubpid'),
  dateOrder: 'MDY',
  // The site's currency settings may ask for "1.234,56"; the default, and US practices, write "1,234.56".
  decimalComma: false,
  // Every row has an invoice: the encounter's invoice reference number, else "pid.encounter".
  hasClaimNumber: true,
  // The export prints nothing above its header, except PHP warnings on a site that shows errors.
  titleLinesMax: 4,
  // Totals are only on the screen, never in the CSV; kept for a file someone totalled by hand.
  totalRowPatterns: TOTAL_ROW_PATTERNS,
  // No group rows: every row prints its insurance, and an empty one is a patient with no primary
  // insurance on file (self-pay) that must never take the payer of the row above.
  aliases: withGenericAliases({
    // The patient's primary insurance as of the date of service, even once the balance is due from
    // the patient; empty when the patient has none.
    payer: aliases('Insurance'),
    // "Last, First M".
    patientName: aliases('Name'),
    patientAccount: aliases('Pubpid'),
    dateOfBirth: aliases('DOB'),
    // The policy of the insurance the invoice waits on: the secondary's once the primary has
    // closed it, so not always the Insurance column's.
    subscriberId: aliases('Policy'),
    claimNumber: aliases('Invoice'),
    dateOfService: aliases('DOS'),
    provider: aliases('Provider'),
    // The original fee: charges before adjustments.
    billed: aliases('Charge'),
    // Written without its minus sign (OpenEMR's CSV escaping drops a leading "-"), so positive.
    adjustments: aliases('Adjust'),
    paid: aliases('Paid'),
    balance: aliases('Balance'),
    // Days since the invoice's last activity (billing, payment or adjustment), not since the visit.
    daysOutstanding: aliases('Aging Days'),
  }),
};
