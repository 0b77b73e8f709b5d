import type { FormatProfile } from '../profile.js';
import { withGenericAliases } from './generic-aliases.js';
import { aliases, TOTAL_ROW_PATTERNS } from './shared.js';

/**
 * RevolutionEHR insurance aging by location, exported as CSV: no title lines, ISO dates, one
 * invoice per row, the patient's name split into last and first.
 */
export const revolutionEhrProfile: FormatProfile = {
  id: 'revolutionehr',
  label: 'RevolutionEHR — insurance aging by location (CSV)',
  system: 'RevolutionEHR',
  exportHint: 'In RevolutionEHR, run the insurance aging report by location and export it as CSV.',
  fileTypes: ['csv'],
  signature: aliases('Invoice ID | Invoice Date | Patient Balance | Aging Days | Insurance Balance | Payer Balance'),
  dateOrder: 'MDY',
  decimalComma: false,
  // The invoice is RevolutionEHR's claim; every line has one.
  hasClaimNumber: true,
  titleLinesMax: 4,
  totalRowPatterns: TOTAL_ROW_PATTERNS,
  aliases: withGenericAliases({
    claimNumber: aliases('Invoice ID | Invoice # | Invoice Number | Claim ID'),
    dateOfService: aliases('Service Date | DOS | Date of Service'),
    patientAccount: aliases('Patient ID | Patient # | MRN'),
    patientLastName: aliases('Patient Last Name | Last Name'),
    patientFirstName: aliases('Patient First Name | First Name'),
    patientName: aliases('Patient Name | Patient'),
    dateOfBirth: aliases('Patient DOB | DOB | Date of Birth'),
    payer: aliases('Payer Name | Payer | Insurance | Primary Payer'),
    plan: aliases('Plan | Plan Name'),
    location: aliases('Location | Location Name'),
    provider: aliases('Provider | Provider Name'),
    billed: aliases('Total Charges | Charges | Invoice Total | Invoice Amount'),
    paid: aliases('Insurance Paid | Payments'),
    adjustments: aliases('Adjustments'),
    // "Patient Balance" is the patient's share, not the claim's: it must never be read as Balance.
    balance: aliases('Insurance Balance | Ins Balance | Insurance Bal | Payer Balance'),
    daysOutstanding: aliases('Aging Days | Days | Age | Days Outstanding'),
    status: aliases('Invoice Status | Claim Status | Status'),
  }),
};
