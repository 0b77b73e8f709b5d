import type { FormatProfile } from '../profile.js';
import { withGenericAliases } from './generic-aliases.js';
import { aliases, TOTAL_ROW_PATTERNS } from './shared.js';

/**
 * Crystal PM, Reports › Financials › Insurance Receivable (Days Past = All) saved as CSV: report
 * name, "Printed:" and "Location:" lines above the header, one claim per row, a Total line.
 */
export const crystalPmProfile: FormatProfile = {
  id: 'crystalpm',
  label: 'Crystal PM — Insurance Receivable (CSV)',
  system: 'Crystal PM',
  exportHint:
    'In Crystal PM, open Reports › Financials › Insurance Receivable with Days Past set to All and save it as CSV.',
  fileTypes: ['csv'],
  signature: aliases('Amount Due | Days Past | Days Past Due | Billed Date | Policy # | Insurance Due'),
  dateOrder: 'MDY',
  decimalComma: false,
  // Every receivable line carries its claim number; a row without one is not a claim.
  hasClaimNumber: true,
  titleLinesMax: 6,
  totalRowPatterns: TOTAL_ROW_PATTERNS,
  aliases: withGenericAliases({
    patientName: aliases('Patient Name | Patient | Pt Name'),
    patientAccount: aliases('Patient ID | Patient # | Account # | Acct #'),
    dateOfBirth: aliases('DOB | Birth Date'),
    payer: aliases('Insurance | Insurance Company | Ins Company | Carrier'),
    plan: aliases('Plan | Insurance Plan'),
    subscriberId: aliases('Policy # | Policy Number | Insured ID | Subscriber ID'),
    claimNumber: aliases('Claim # | Claim Number | Claim ID'),
    dateOfService: aliases('Service Date | Date of Service | DOS'),
    billed: aliases('Amount Billed | Billed Amount | Billed'),
    paid: aliases('Insurance Paid | Ins Paid | Amount Paid'),
    adjustments: aliases('Adjustments | Adjustment | Write Off'),
    balance: aliases('Amount Due | Insurance Due | Ins Due | Balance Due | Balance'),
    daysOutstanding: aliases('Days Past | Days Past Due | Days'),
    location: aliases('Location | Office'),
    provider: aliases('Provider | Doctor'),
  }),
};
