import type { FormatProfile } from '../profile.js';
import { withGenericAliases } from './generic-aliases.js';
import { aliases, PAYER_GROUPS, TOTAL_ROW_PATTERNS } from './shared.js';

/**
 * Compulink, Ins. Receivables by Payor saved as "Microsoft Excel 97-2000 – Data only": title rows
 * (report name, location group, "Svc Date: from - to"), a payor row above its claims whose detail
 * rows leave Payor blank, "Payor Total:" after each group and "Grand Total:" at the end.
 */
export const compulinkProfile: FormatProfile = {
  id: 'compulink',
  label: 'Compulink — Ins. Receivables by Payor (Excel 97-2000 .xls)',
  system: 'Compulink',
  exportHint: 'In Compulink, run Ins. Receivables by Payor and save it as "Microsoft Excel 97-2000 – Data only".',
  fileTypes: ['xls'],
  signature: aliases('Payor | Ins Balance | Ins Bal | Invoice # | Inv # | Over 120 | Svc Date | Svc Loc'),
  dateOrder: 'MDY',
  decimalComma: false,
  // The invoice is Compulink's claim; every detail row has one.
  hasClaimNumber: true,
  titleLinesMax: 6,
  totalRowPatterns: TOTAL_ROW_PATTERNS,
  groupRows: PAYER_GROUPS,
  aliases: withGenericAliases({
    payer: aliases('Payor | Payor Name | Insurance | Ins Company | Carrier'),
    patientAccount: aliases('Acct # | Account # | Acct | Account | Patient # | Chart #'),
    patientName: aliases('Patient | Patient Name | Name'),
    dateOfBirth: aliases('Birth Date | DOB | Birthdate'),
    claimNumber: aliases('Invoice # | Invoice | Inv # | Invoice No | Claim #'),
    dateOfService: aliases('Svc Date | Service Date | DOS | Svc Dt'),
    billed: aliases('Charges | Charge | Invoice Amount | Inv Amount | Fee'),
    paid: aliases('Ins Paid | Paid | Payments'),
    adjustments: aliases('Adj | Adjustments'),
    balance: aliases('Ins Balance | Ins Bal | Insurance Balance | Ins Due | Balance'),
    bucketCurrent: aliases('Current | 0-30'),
    bucket30: aliases('31-60'),
    bucket60: aliases('61-90'),
    bucket90: aliases('91-120'),
    bucket120: aliases('Over 120 | 120+ | 121+'),
    location: aliases('Svc Loc | Service Location | Location'),
    provider: aliases('Provider | Doctor | Dr'),
    subscriberId: aliases('Insured ID | Ins ID | Policy #'),
  }),
};
