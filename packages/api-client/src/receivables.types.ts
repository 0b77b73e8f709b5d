// What the API sends about a practice's running: its settings, and the receivables its imports
// built (a location's claims, their history, the payers, a patient's account). Checked by the API
// with `satisfies`, read by the page.

import type { Page } from './types.js';

export type AgingBucket = '0-30' | '31-60' | '61-90' | '91-120' | '120+';
export const AGING_BUCKETS: readonly AgingBucket[] = ['0-30', '31-60', '61-90', '91-120', '120+'];
export type ClaimStatusFilter = 'open' | 'resolved' | 'all';
export type PayerStatus = 'Active' | 'Inactive';

export interface PracticeSettings {
  /** the practice's "today": report dates, Balance Forward dates of service, expiry */
  timeZone: string;
  /** per import kind: commit or preview */
  defaultModes: Record<string, 'commit' | 'preview'>;
  /** an aging file closing more than this share of the location's open claims waits for an administrator… */
  massResolvePercent: number;
  /** …when it closes at least this many */
  massResolveMinClaims: number;
  retentionDays: number;
  /** credits, payments and refunds above it only an administrator may enter */
  approvalThresholdCents: number;
  /** none may be above it */
  maxManualAmountCents: number;
  /** set by the operator (the subscription); read-only to the practice */
  patientQuota: number;
  patients: number;
}

export interface ClaimFilter {
  status?: ClaimStatusFilter | undefined;
  payerId?: number | undefined;
  bucket?: AgingBucket | undefined;
  /** dates of service, inclusive */
  from?: string | undefined;
  to?: string | undefined;
  /** part of the patient's name or account, or of the claim number */
  search?: string | undefined;
}

export interface ClaimListItem {
  id: number;
  claimNumber: string | null;
  patientName: string;
  patientAccount: string | null;
  dateOfBirth: string | null;
  payerId: number | null;
  payer: string | null;
  dateOfService: string;
  billedCents: number | null;
  balanceCents: number;
  agingBucket: string | null;
  resolvedAt: string | null;
}

export interface ClaimsPage extends Page<ClaimListItem> {
  location: { id: string; name: string };
  /** of every claim matching the filter, not only this page */
  balanceCents: number;
}

export interface ClaimTotals {
  location: { id: string; name: string };
  claims: number;
  balanceCents: number;
  byBucket: Array<{ bucket: string | null; claims: number; balanceCents: number }>;
  byPayer: Array<{ payerId: number; payer: string; kind: string; claims: number; balanceCents: number }>;
}

/** A claim's figures at one moment of its history. */
export interface ClaimState {
  balanceCents: number;
  billedCents: number | null;
  dateOfService: string;
  payer: string | null;
  resolvedAt: string | null;
}

export type ClaimEventKind = 'created' | 'changed' | 'resolved' | 'reopened';

export interface ClaimEvent {
  event: ClaimEventKind;
  importId: string;
  fileName: string;
  at: string | null;
  /** null for `created` */
  before: ClaimState | null;
  after: ClaimState;
}

export interface ClaimDetail {
  claim: ClaimListItem & { locationId: string | null; location: string | null; type: string };
  /** oldest first */
  history: ClaimEvent[];
}

export interface Payer {
  id: number;
  name: string;
  status: PayerStatus;
  /** insurance or self_pay */
  kind: string;
  createdAt: string;
  claims: number;
  openClaims: number;
  openBalanceCents: number;
}

export interface PayerMerged {
  mergedInto: number;
  claimsMoved: number;
}

export interface PatientSummary {
  id: string;
  externalAccount: string;
  firstName: string;
  lastName: string;
}

export interface PatientClaim {
  id: number;
  /** insurance or balance_forward */
  type: string;
  claimNumber: string | null;
  dateOfService: string;
  billedCents: number | null;
  balanceCents: number;
  payer: string | null;
  location: string | null;
  resolvedAt: string | null;
}

export interface PatientCredit {
  id: string;
  amountCents: number;
  remainingCents: number;
  /** import, manual or refund */
  source: string;
  reference: string | null;
  description: string | null;
  createdAt: string;
}

/** A credit applied to a claim (a payment), or a claim's credit balance refunded. */
export interface PatientPayment {
  id: string;
  kind: 'applied_credit' | 'refund';
  claimId: number;
  claimNumber: string | null;
  creditId: string | null;
  amountCents: number;
  /** a refund kept as a patient credit */
  asCredit: boolean;
  by: string | null;
  at: string;
}

/** A patient's page: claims, credits (used ones too), applied credits and refunds, with totals. */
export interface PatientAccount {
  patient: PatientSummary;
  claims: PatientClaim[];
  openBalanceCents: number;
  credits: PatientCredit[];
  creditAvailableCents: number;
  payments: PatientPayment[];
  appliedCents: number;
}

export interface PatientListItem extends PatientSummary {
  /** YYYY-MM-DD */
  dateOfBirth: string | null;
  sex: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  active: boolean;
}

export interface LocationRequest {
  name?: string;
  aliases?: string[];
  pmSystem?: string | null;
  archived?: boolean;
}

export type PracticeSettingsChange = Partial<
  Pick<
    PracticeSettings,
    'timeZone' | 'defaultModes' | 'massResolvePercent' | 'massResolveMinClaims' | 'retentionDays' | 'approvalThresholdCents' | 'maxManualAmountCents'
  >
>;
