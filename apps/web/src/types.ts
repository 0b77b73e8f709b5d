// What the API sends, as the page reads it.

export type ImportStatus = 'queued' | 'running' | 'ready' | 'completed' | 'failed' | 'cancelled' | 'reverted';

export interface Me {
  user: { id: string; name: string; email: string; role: 'admin' | 'staff' };
  role: 'admin' | 'staff';
  practice: { id: string; name: string };
}

export interface Location {
  id: string;
  name: string;
  lastReportDate: string | null;
}

export interface KindColumn {
  name: string;
  type?: string;
  required?: boolean;
  format?: string;
  example?: string;
}

export interface KindInfo {
  kind: string;
  label: string;
  description?: string;
  templateUrl?: string;
  defaultMode: 'commit' | 'preview';
  modes: Array<'commit' | 'preview'>;
  needsLocation: boolean;
  columns: KindColumn[];
}

export interface FormatInfo {
  id: string;
  label: string;
  fileTypes?: string[];
}

/** Counters differ by kind (claims for aging, rows for the patient kinds); absent ones are left out. */
export type ImportSummary = Partial<Record<string, number | string | null>>;

/** rows and money in the file against what was applied, and against the totals the report prints */
export interface Reconciliation {
  rowsInFile: number;
  rowsApplied: number;
  rowsRejected?: number;
  rowsWarned?: number;
  /** null for kinds without money (patients) */
  amountCentsInFile: number | null;
  amountCentsApplied: number | null;
  amountCentsNotApplied?: number | null;
  rowsWithUnreadableAmount?: number | null;
  /** the report's own printed grand total; null when it prints none */
  printedTotalCents?: number | null;
  differenceFromPrintedTotalCents?: number | null;
  printedSubtotalsMismatched?: number;
  matches: boolean;
  /** The server's sentence, e.g. "All 12 rows and $5,145.25 in the file were applied." */
  message: string;
}

/** A `ready` aging import that waits for an administrator: what Save would close. */
export interface Review {
  reason: 'mass_resolve' | 'rejected_rows' | string;
  claimsToResolve: number;
  centsToResolve: number;
  openClaims: number;
  message: string;
}

/** Something about the file as a whole (an assumed date order, printed totals that differ). */
export interface FileNotice {
  code: string;
  message: string;
}

/** One open claim a held import would close (GET /imports/:id/review/claims). */
export interface ClaimToResolve {
  id: number;
  claimNumber: string | null;
  patientName: string;
  patientAccount: string | null;
  payer: string | null;
  dateOfService: string;
  balanceCents: number;
}

export interface ImportView {
  id: string;
  kind: string;
  status: ImportStatus;
  phase: string;
  fileName: string;
  sizeBytes: number;
  location: { id: string; name: string | null } | null;
  format: string | null;
  encoding: string | null;
  mode: 'commit' | 'preview';
  onInvalid: 'skip' | 'block';
  reportDate: string | null;
  createdBy: { id: string; name: string | null };
  createdAt: string;
  startedAt: string | null;
  /** Last progress; not every API version sends it. */
  updatedAt?: string | null;
  finishedAt: string | null;
  attempts: number;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsWarned: number;
  rowsCommitted: number;
  percent: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
  cancelRequested: boolean;
  error: { code: string | null; message: string } | null;
  summary: ImportSummary | null;
  reconciliation?: Reconciliation | null;
  /** set while a `ready` import waits for an administrator; older servers do not send it */
  review?: Review | null;
  notices?: FileNotice[];
  dateOrder?: 'MDY' | 'DMY' | 'YMD' | null;
  reverted?: { at: string; by: string | null } | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page?: number;
  pageSize?: number;
}

export interface RowError {
  rowNumber: number;
  column: string;
  value: string;
  message: string;
  severity?: 'error' | 'warning' | string;
}

export interface Notification {
  id: number;
  kind: string;
  message: string;
  link: string | null;
  read: boolean;
  createdAt: string;
}

export interface Preview {
  counts: Partial<Record<string, number | string>>;
  totals: Partial<Record<string, number | string>>;
  /** Patients only: the practice's quota and what Save would add to it. */
  quota?: { quota: number; current: number; adding: number; exceeded: boolean };
  rows: Array<Record<string, unknown>>;
}

export const ACTIVE: readonly ImportStatus[] = ['queued', 'running'];
