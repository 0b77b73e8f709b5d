import type { FormatProfile } from '../profile.js';
import { withGenericAliases } from './generic-aliases.js';
import { aliases, TOTAL_ROW_PATTERNS } from './shared.js';

/**
 * Eyefinity Encompass, Claims Worklist › AR Detail Table with credit balances, exported to Excel:
 * no title lines, real Excel dates and numbers, the patient as "First Last", an aging bucket label.
 */
export const eyefinityProfile: FormatProfile = {
  id: 'eyefinity',
  label: 'Eyefinity Encompass — AR Detail Table (Excel)',
  system: 'Eyefinity Encompass',
  exportHint:
    'In Eyefinity Encompass, open Claims Worklist › AR Detail Table with credit balances included and export it to Excel.',
  fileTypes: ['xls', 'xlsx'],
  signature: aliases('Carrier Name | Aging Bucket | Claim ID | Plan Name | Claim Status | Carrier Paid | Claim Age'),
  dateOrder: 'MDY',
  decimalComma: false,
  // The worklist lists claims by their claim ID.
  hasClaimNumber: true,
  titleLinesMax: 4,
  totalRowPatterns: TOTAL_ROW_PATTERNS,
  aliases: withGenericAliases({
    claimNumber: aliases('Claim ID | Claim # | Claim Number'),
    patientName: aliases('Patient | Patient Name | Patient Full Name'),
    patientAccount: aliases('Patient ID | Patient Account | Account #'),
    dateOfBirth: aliases('Patient DOB | DOB'),
    payer: aliases('Carrier Name | Carrier | Insurance Carrier | Payer'),
    plan: aliases('Plan Name | Plan | Benefit Plan'),
    subscriberId: aliases('Member ID | Subscriber ID'),
    dateOfService: aliases('Service Date | DOS | Date of Service'),
    status: aliases('Claim Status | Status'),
    location: aliases('Location | Office | Office Name'),
    provider: aliases('Provider | Rendering Provider | Doctor'),
    billed: aliases('Billed Amount | Billed | Total Billed | Claim Amount'),
    paid: aliases('Paid Amount | Carrier Paid'),
    balance: aliases('Balance | Claim Balance | Outstanding Balance | Open Balance'),
    daysOutstanding: aliases('Claim Age | Days | Age | Days Outstanding'),
  }),
};
