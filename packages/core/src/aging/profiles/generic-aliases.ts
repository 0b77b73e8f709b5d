import type { AgingField } from '../fields.js';
import { AGING_FIELDS } from '../fields.js';
import { aliases } from './shared.js';

/**
 * Header texts seen across aging exports, each belonging to one field only (or a column could be
 * read as the wrong thing). Compared through `normalizeHeader`: case, spacing and punctuation do
 * not matter and `#` reads as "Number", so "Claim #" is "Claim Number". The generic profile uses
 * these as they are; each PM system's profile puts its own names in front of them.
 */
export const GENERIC_ALIASES: Partial<Record<AgingField, string[]>> = {
  claimNumber: aliases(
    'Claim Number | Claim No | Claim ID | Claim | Claim Nbr | Invoice # | Invoice No | Invoice ID',
    'Invoice | Fee Slip # | Fee Slip | Encounter # | Encounter ID | Ticket # | Visit # | Visit ID',
    'Inv # | Inv No | Charge ID | Ticket',
  ),
  patientAccount: aliases(
    'Patient Account | Patient Account # | Patient Acct | Patient Acct # | Account # | Account',
    'Account No | Acct | Acct # | Acct No | Patient ID | Patient # | Patient No | Chart # | Chart',
    'Chart No | MRN | Medical Record Number | Guarantor Account | TPSID | Pt Account | Pt Acct',
    'Pt Acct # | Pt # | Pt ID | Patient Acct No | Chart ID | Guarantor # | Account ID | Med Rec #',
  ),
  patientName: aliases(
    'Patient Name | Patient | Name | Patient Full Name | Patient (Last, First) | Pt Name | Pt',
    'Patient Name (Last, First) | Last, First | Name (Last, First)',
  ),
  patientFirstName: aliases(
    'Patient First Name | First Name | First | Patient First | Given Name | Pt First Name | Pt First',
    'Patient FName | FName',
  ),
  patientLastName: aliases(
    'Patient Last Name | Last Name | Last | Patient Last | Surname | Family Name | Pt Last Name',
    'Pt Last | Patient LName | LName',
  ),
  dateOfBirth: aliases(
    'Date of Birth | DOB | Birth Date | Patient DOB | Patient Date of Birth | Birthday | Pt DOB',
    'Birth Dt | DOB Date | Date Of Birth (DOB)',
  ),
  payer: aliases(
    'Payer | Payer Name | Payor | Payor Name | Insurance | Insurance Name | Insurance Company',
    'Insurance Carrier | Carrier | Carrier Name | Primary Insurance | Primary Payer | Ins Company',
    'Ins Name | Insurance Carrier Name | Ins Carrier | Primary Carrier | Primary Ins',
    'Primary Insurance Name | Insurance Payer | Payer Description | Carrier Description',
    'Plan Carrier | Ins | Ins Co',
  ),
  plan: aliases(
    'Plan | Plan Name | Insurance Plan | Benefit Plan | Product | Plan Description',
    'Insurance Plan Name | Ins Plan',
  ),
  subscriberId: aliases(
    'Subscriber ID | Subscriber # | Member ID | Member # | Policy # | Policy ID | Policy No',
    'Insured ID | Insurance ID | Insured # | Ins ID | Insurance Member ID | Policy | Group/Policy #',
    'Sub ID | Cert #',
  ),
  dateOfService: aliases(
    'Date of Service | DOS | Service Date | Svc Date | Date of Svc | DOS From | From Date',
    'Service From | Visit Date | Encounter Date | Fee Slip Date | Svc Dt | Service Dt',
    'Service Date From | From DOS | First DOS | Svc From | Visit Dt',
  ),
  billed: aliases(
    'Billed Amount | Billed | Amount Billed | Charge | Charges | Charge Amount | Total Charge',
    'Total Charges | Total Billed | Claim Amount | Fee | Fees | Billed Amt | Charge Amt',
    'Charges Billed | Amount Charged | Total Fee | Gross Charges | Claim Total | Claim Charge',
  ),
  paid: aliases(
    'Paid | Paid Amount | Amount Paid | Insurance Paid | Ins Paid | Payments | Total Paid | Payment',
    'Paid Amt | Ins Pmt | Insurance Payment | Insurance Payments | Payer Paid | Carrier Paid',
  ),
  adjustments: aliases(
    'Adjustments | Adjustment | Adj | Adjustment Amount | Write Off | Write Offs | Adj Amt',
    'Adjustments Total | Contractual | Contractual Adj | Ins Adj | Insurance Adjustments',
  ),
  balance: aliases(
    'Balance | Insurance Balance | Ins Balance | Balance Due | Outstanding | Outstanding Balance',
    'Open Balance | Amount Due | Claim Balance | Current Balance | Remaining Balance',
    'Fee Slip Balance | Insurance AR | AR Balance | Insurance Bal | Ins Bal | Ins Balance Due',
    'Ins Due | Insurance Due | Balance Amt | Bal | Bal Due | Unpaid Balance | Unpaid | Net Balance',
    'Payer Balance | Total Balance | Ins AR | Open Amount | Outstanding Amount',
  ),
  bucketCurrent: aliases('Current | 0-30 | 0-30 Days | Current 0-30 | 0 to 30 | 1-30 | 1-30 Days | 0-29 | Under 30'),
  bucket30: aliases('31-60 | 31-60 Days | 30-60 | 30-60 Days | 31 to 60 | 30 Days | 31-60 Day'),
  bucket60: aliases('61-90 | 61-90 Days | 60-90 | 60-90 Days | 61 to 90 | 60 Days | 61-90 Day'),
  bucket90: aliases('91-120 | 91-120 Days | 90-120 | 90-120 Days | 91 to 120 | 90 Days | 91-120 Day'),
  bucket120: aliases(
    '120+ | 121+ | 120+ Days | 121+ Days | Over 120 | Over 120 Days | 120 Plus | 121-Plus',
    '120 and Over',
  ),
  daysOutstanding: aliases(
    'Days Outstanding | Days | Age | Age (Days) | Aging Days | Days Past | Days Old | Days in AR',
    'Days Aged | Days Past Due | Claim Age | Age in Days | Days Since DOS | Days Since Billed',
  ),
  location: aliases(
    'Location | Location Name | Office | Facility | Service Location | Practice Location | Clinic',
    'Loc | Svc Loc | Service Loc | Location Group | Store | Branch',
  ),
  provider: aliases(
    'Provider | Provider Name | Rendering Provider | Billing Provider | Doctor | Physician',
    'Treating Provider | Dr | Doctor Name | Provider Full Name | Rendering | Servicing Provider',
    'Optometrist',
  ),
  status: aliases('Status | Claim Status | Status Description | Invoice Status | Claim State | Current Status'),
};

/**
 * A system's own aliases first, then the generic ones: real exports differ from the samples (a
 * new version renames "Amount Due" to "Balance"), and a system's profile should read whatever the
 * generic profile reads.
 */
export function withGenericAliases(own: Partial<Record<AgingField, string[]>>): Partial<Record<AgingField, string[]>> {
  const merged: Partial<Record<AgingField, string[]>> = {};
  for (const field of AGING_FIELDS) {
    const all = [...(own[field] ?? []), ...(GENERIC_ALIASES[field] ?? [])];
    if (all.length > 0) merged[field] = [...new Set(all)];
  }
  return merged;
}
