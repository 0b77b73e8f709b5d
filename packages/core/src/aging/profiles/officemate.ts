import type { FormatProfile } from '../profile.js';
import { withGenericAliases } from './generic-aliases.js';
import { aliases, PAYER_GROUPS, TOTAL_ROW_PATTERNS } from './shared.js';

/**
 * OfficeMate, Insurance Aging by Patient Detail grouped by Insurance, exported as CSV: an "As of"
 * line, one fee slip per row with aging buckets, an "<Insurance> Total" line after each group
 * and "Report Totals" at the end.
 */
export const officeMateProfile: FormatProfile = {
  id: 'officemate',
  label: 'OfficeMate — Insurance Aging by Patient Detail (CSV)',
  system: 'OfficeMate',
  exportHint: 'In OfficeMate, run Insurance Aging by Patient Detail grouped by Insurance and export it as CSV.',
  fileTypes: ['csv'],
  signature: aliases('Fee Slip # | Fee Slip | Fee Slip Balance | Fee Slip Date | Fee Slip Total | 121+'),
  dateOrder: 'MDY',
  decimalComma: false,
  // The fee slip is OfficeMate's claim; every detail line has one.
  hasClaimNumber: true,
  titleLinesMax: 6,
  totalRowPatterns: TOTAL_ROW_PATTERNS,
  // The sample repeats the insurance on every line, but the report is grouped by it and may print
  // the insurance once as a heading instead.
  groupRows: PAYER_GROUPS,
  aliases: withGenericAliases({
    payer: aliases('Insurance | Insurance Company | Insurance Carrier | Carrier'),
    patientName: aliases('Patient | Patient Name'),
    patientAccount: aliases('Patient # | Patient Number | Patient ID | Account #'),
    claimNumber: aliases('Fee Slip # | Fee Slip | Fee Slip No | Claim #'),
    dateOfService: aliases('Date of Service | DOS | Service Date | Fee Slip Date'),
    billed: aliases('Fee Slip Total | Fee Slip Amount | Charges'),
    balance: aliases('Fee Slip Balance | Insurance Balance | Ins Balance | Balance'),
    bucketCurrent: aliases('0-30 | Current'),
    bucket30: aliases('31-60'),
    bucket60: aliases('61-90'),
    bucket90: aliases('91-120'),
    bucket120: aliases('121+ | 120+ | Over 120'),
    dateOfBirth: aliases('Birth Date | DOB'),
    subscriberId: aliases('Insured ID | Subscriber ID | Policy #'),
    provider: aliases('Provider | Doctor'),
    location: aliases('Location | Office'),
  }),
};
