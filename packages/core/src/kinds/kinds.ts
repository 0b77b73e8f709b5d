import { csvLine } from '../csv-export.js';
import type { ColumnSpec } from './column-spec.js';

export type PatientKind = 'patients' | 'patient_balances' | 'patient_credits';
export type ImportKind = 'aging' | PatientKind;
export const IMPORT_KINDS: readonly ImportKind[] = ['aging', 'patients', 'patient_balances', 'patient_credits'];

export interface KindSpec {
  kind: ImportKind;
  label: string;
  description: string;
  /** patient kinds stop for review by default; nightly aging files apply at once */
  defaultMode: 'commit' | 'preview';
  needsLocation: boolean;
  columns: ColumnSpec[];
}

const account: ColumnSpec = {
  field: 'account',
  header: 'Account Number',
  aliases: ['accountNumber', 'TPSID', 'Patient Account', 'Account #', 'Acct', 'Acct #', 'Chart Number', 'Patient ID', '3rd Party Software Account Number', 'External Account'],
  type: 'account',
  required: true,
  format: "the old system's account number, kept as text (leading zeros stay)",
  example: '005000',
};

export const PATIENTS: KindSpec = {
  kind: 'patients',
  label: 'Patients',
  description: 'One row per patient. Inactive patients are skipped unless you choose otherwise.',
  defaultMode: 'preview',
  needsLocation: false,
  columns: [
    account,
    { field: 'firstName', header: 'First Name', aliases: ['FirstName', 'First', 'Given Name'], type: 'text', required: true, format: 'text', example: 'Ana' },
    { field: 'lastName', header: 'Last Name', aliases: ['LastName', 'Last', 'Surname', 'Family Name'], type: 'text', required: true, format: 'text', example: 'Rivera' },
    { field: 'dateOfBirth', header: 'Date of Birth', aliases: ['DOB', 'Birth Date', 'Birthdate'], type: 'date', required: false, format: 'MM/DD/YYYY', example: '03/14/1962' },
    { field: 'sex', header: 'Sex', aliases: ['Gender'], type: 'sex', required: false, format: 'M, F, O or U', example: 'F' },
    { field: 'phone', header: 'Phone', aliases: ['Home Phone', 'Phone Number', 'Cell', 'Mobile'], type: 'phone', required: false, format: 'any phone format', example: '(555) 010-7322' },
    { field: 'email', header: 'Email', aliases: ['E-mail', 'Email Address'], type: 'email', required: false, format: 'name@example.com', example: 'ana.rivera@example.com' },
    { field: 'address', header: 'Address', aliases: ['Street', 'Address 1', 'Address1', 'Street Address'], type: 'text', required: false, format: 'text', example: '360 Elm St' },
    { field: 'city', header: 'City', aliases: ['Town'], type: 'text', required: false, format: 'text', example: 'Springfield' },
    { field: 'state', header: 'State', aliases: ['ST', 'Province'], type: 'text', required: false, format: 'two letters', example: 'IL' },
    { field: 'zip', header: 'Zip', aliases: ['ZIP Code', 'Zipcode', 'Postal Code'], type: 'zip', required: false, format: '5 or 9 digits, kept as text', example: '02134' },
    { field: 'active', header: 'Active', aliases: ['Status', 'Is Active'], type: 'boolean', required: false, format: 'Y or N (blank = Y)', example: 'Y' },
  ],
};

export const PATIENT_BALANCES: KindSpec = {
  kind: 'patient_balances',
  label: 'Patient balances',
  description: "Each patient's opening balance; each becomes a Balance Forward claim dated the day of the import.",
  defaultMode: 'preview',
  needsLocation: false,
  columns: [
    account,
    { field: 'patientName', header: 'Patient Name', aliases: ['patientName', 'Name'], type: 'text', required: false, format: 'Last, First (for your reference)', example: 'Rivera, Ana' },
    { field: 'balance', header: 'Balance', aliases: ['paymentBalance', 'Balance Due', 'Opening Balance', 'Amount', 'Patient Balance'], type: 'money', required: true, format: '$1,234.56; a credit balance as -12.00 or (12.00)', example: '$147.12' },
  ],
};

export const PATIENT_CREDITS: KindSpec = {
  kind: 'patient_credits',
  label: 'Patient credits',
  description: 'Credit each patient has available, to apply later to a claim or invoice.',
  defaultMode: 'preview',
  needsLocation: false,
  columns: [
    account,
    { field: 'patientName', header: 'Patient Name', aliases: ['patientName', 'Name'], type: 'text', required: false, format: 'Last, First (for your reference)', example: 'Rivera, Ana' },
    { field: 'amount', header: 'Credit', aliases: ['paymentCredit', 'Credit Amount', 'Amount', 'Available Credit'], type: 'money', required: true, positive: true, format: 'more than zero, e.g. 6.74', example: '6.74', },
    { field: 'reference', header: 'Reference', aliases: ['Ref', 'Reference Number', 'Source Reference'], type: 'text', required: false, format: 'text; keeps a re-import from adding the credit twice (without it, the amount, date and description do)', example: 'REF-5000' },
    { field: 'description', header: 'Description', aliases: ['Memo', 'Note', 'Notes'], type: 'text', required: false, format: 'text', example: 'Credit carried from previous software' },
    { field: 'date', header: 'Credit Date', aliases: ['Date', 'Date Received', 'Posted', 'Posting Date'], type: 'date', required: false, format: 'MM/DD/YYYY', example: '10/14/2026' },
  ],
};

export const AGING_TEMPLATE_COLUMNS: ColumnSpec[] = [
  { field: 'claimNumber', header: 'Claim Number', aliases: [], type: 'text', required: false, format: "text; without it a claim is keyed by patient, payer, date and amount", example: 'C-100001' },
  { field: 'patientAccount', header: 'Patient Account', aliases: [], type: 'account', required: false, format: 'text', example: 'A1001' },
  { field: 'patientName', header: 'Patient Name', aliases: [], type: 'text', required: true, format: 'Last, First', example: 'Rivera, Ana' },
  { field: 'dateOfBirth', header: 'Date of Birth', aliases: [], type: 'date', required: false, format: 'MM/DD/YYYY', example: '03/14/1962' },
  { field: 'payer', header: 'Payer', aliases: [], type: 'text', required: true, format: 'insurance name; new payers are created', example: 'Blue Cross Blue Shield' },
  { field: 'dateOfService', header: 'Date of Service', aliases: [], type: 'date', required: true, format: 'MM/DD/YYYY', example: '09/02/2026' },
  { field: 'billed', header: 'Billed Amount', aliases: [], type: 'money', required: false, format: '$1,234.56', example: '245.00' },
  { field: 'balance', header: 'Balance', aliases: [], type: 'money', required: true, format: '$1,234.56; credit as (12.00)', example: '245.00' },
];

export const AGING: KindSpec = {
  kind: 'aging',
  label: 'Insurance aging',
  description: "A location's open insurance claims as your practice-management system exports them.",
  defaultMode: 'commit',
  needsLocation: true,
  columns: AGING_TEMPLATE_COLUMNS,
};

export const KIND_SPECS: Record<ImportKind, KindSpec> = {
  aging: AGING,
  patients: PATIENTS,
  patient_balances: PATIENT_BALANCES,
  patient_credits: PATIENT_CREDITS,
};

export function isImportKind(s: string): s is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(s);
}

/** The downloadable template: the header and one example row. */
export function templateCsv(spec: KindSpec): string {
  return csvLine(spec.columns.map((c) => c.header)) + csvLine(spec.columns.map((c) => c.example));
}
