// What the API sends. apps/api checks its answers against these types (`satisfies`), so the page and
// the CLI read exactly what is sent. Timestamps are ISO strings; dates of the business (a report
// date, a date of service) are `YYYY-MM-DD`; money is whole cents.

export type ImportKind = 'aging' | 'patients' | 'patient_balances' | 'patient_credits';
export type ImportStatus = 'queued' | 'running' | 'ready' | 'completed' | 'failed' | 'cancelled' | 'reverted';
export type ImportPhase = 'queued' | 'staging' | 'staged' | 'committing' | 'done';
export type ImportMode = 'commit' | 'preview';
export type DateOrder = 'MDY' | 'DMY' | 'YMD';
export type Role = 'admin' | 'staff';

/** `{"error": {"code", "message", …details}}`: every refusal the API sends. */
export interface ErrorEnvelope {
  error: { code: string; message: string } & Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Me {
  user: { id: string; name: string; email: string; role: Role };
  role: Role;
  practice: { id: string; name: string };
}

export interface Location {
  id: string;
  name: string;
  aliases: string[];
  pmSystem: string | null;
  archivedAt: string | null;
  lastReportDate: string | null;
}

export interface KindColumn {
  field: string;
  name: string;
  type: string;
  required: boolean;
  format?: string | undefined;
  example?: string | undefined;
  aliases?: readonly string[] | undefined;
}

export interface KindInfo {
  kind: ImportKind;
  label: string;
  description: string;
  templateUrl: string;
  defaultMode: ImportMode;
  modes: ImportMode[];
  needsLocation: boolean;
  columns: KindColumn[];
}

export interface FormatInfo {
  id: string;
  label: string;
  fileTypes: readonly string[];
}

export interface ServerConfig {
  maxUploadBytes: number;
}

/** What an import changed. Counters differ by kind: claims for aging, rows for the patient kinds. */
export interface ImportSummary {
  claimsNew: number;
  claimsUpdated: number;
  claimsUnchanged: number;
  claimsResolved: number;
  payersCreated: number;
  rowsRejected: number;
  duplicateRows: number;
  /** aging only */
  balanceCentsInFile?: number | undefined;
  balanceCentsApplied: number;
  rowsNew?: number | undefined;
  rowsUpdated?: number | undefined;
  rowsUnchanged?: number | undefined;
  skippedInactive?: number | undefined;
  amountCentsInFile: number;
  amountCentsApplied: number;
  creditBalances?: number | undefined;
  creditBalanceCents?: number | undefined;
  /** open claims named on rows that could not be read, left exactly as they were */
  claimsKeptOpen: number;
}

/** Rows and money in the file against what was applied, and against the totals the report prints. */
export interface Reconciliation {
  rowsInFile: number;
  rowsApplied: number;
  rowsRejected: number;
  rowsWarned: number;
  /** null for kinds without money (patients) */
  amountCentsInFile: number | null;
  amountCentsApplied: number | null;
  amountCentsNotApplied: number | null;
  rowsWithUnreadableAmount: number | null;
  /** the report's own printed grand total; null when it prints none */
  printedTotalCents: number | null;
  differenceFromPrintedTotalCents: number | null;
  printedSubtotalsMismatched: number;
  matches: boolean;
  /** The server's sentence, e.g. "All 12 rows and $5,145.25 in the file were applied." */
  message: string;
}

/** A `ready` aging import that waits for an administrator: what Save would close. */
export interface Review {
  reason: 'mass_resolve' | 'rejected_rows';
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

export interface ImportView {
  id: string;
  kind: ImportKind;
  status: ImportStatus;
  phase: ImportPhase;
  fileName: string;
  sizeBytes: number;
  location: { id: string; name: string | null } | null;
  format: string | null;
  encoding: string | null;
  /** the CSV's field separator as read (`,` `;` or a tab); null for workbooks and before it is read */
  delimiter: string | null;
  mode: ImportMode;
  onInvalid: 'skip' | 'block';
  reportDate: string | null;
  createdBy: { id: string; name: string | null };
  createdAt: string;
  startedAt: string | null;
  /** last progress written; a queued or running import with no news for minutes is stuck */
  updatedAt: string;
  finishedAt: string | null;
  /** when the stored file (and the rejected rows' cells) were deleted under the retention policy */
  fileDeletedAt: string | null;
  /** a failed import an administrator has looked at and set aside: it no longer needs attention */
  dismissed: { at: string; by: string | null } | null;
  reverted: { at: string; by: string | null } | null;
  attempts: number;
  rowsRead: number;
  /** the rows of the current step's total: exact once the file is read, estimated from its size before */
  rowsTotal: number | null;
  rowsTotalEstimated: boolean;
  rowsAccepted: number;
  rowsRejected: number;
  rowsWarned: number;
  rowsCommitted: number;
  /** paid claims the file no longer lists, resolved so far */
  claimsResolved: number;
  /** while an aging import closes its snapshot: the location's claims compared with the file so far */
  claimsChecked: number;
  /** while it closes: the claims the file no longer lists that it is resolving */
  claimsToResolve: number;
  /** of the current step, following its rows */
  percent: number;
  rowsPerSecond: number;
  /** null until the pace is steady enough to say */
  etaSeconds: number | null;
  cancelRequested: boolean;
  error: { code: string | null; message: string } | null;
  review: Review | null;
  notices: FileNotice[];
  dateOrder: DateOrder | null;
  summary: ImportSummary | null;
  reconciliation: Reconciliation | null;
  links: { self: string; errors: string };
}

export interface ImportListFilter {
  status?: ImportStatus[];
  kind?: ImportKind[];
  locationId?: string;
  createdBy?: string;
  from?: string;
  to?: string;
  /** false: leave out failed imports an administrator dismissed */
  dismissed?: boolean;
}

export interface UploadAccepted {
  id: string;
  status: ImportStatus;
  statusUrl: string;
}

export type Severity = 'error' | 'warning';

export interface RowError {
  rowNumber: number;
  column: string;
  value: string;
  message: string;
  severity: Severity;
}

/** Row errors of one message: how many rows, and where the first one is. */
export interface RowErrorGroup {
  message: string;
  severity: Severity;
  column: string;
  count: number;
  firstRow: number;
  example: string;
}

export interface RowErrorCounts {
  errors: number;
  warnings: number;
}

export type RowErrorsPage = Page<RowError> & { counts: RowErrorCounts };
export type RowErrorGroupsPage = Page<RowErrorGroup> & { counts: RowErrorCounts };

export interface Preview {
  import: ImportView;
  counts: Partial<Record<string, number>>;
  totals: Partial<Record<string, number>>;
  /** Patients only: the practice's quota and what Save would add to it. */
  quota?: { quota: number; current: number; adding: number; exceeded: boolean } | undefined;
  rows: Array<Record<string, unknown>>;
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

/** The top of a file whose layout was not recognised, and the fields a mapping can name. */
export interface FileHeader {
  id: string;
  status: ImportStatus;
  format: string | null;
  header: string[];
  firstRows: string[][];
  fields: Array<{ field: string; label: string; required: boolean; note?: string | undefined }>;
}

export interface ColumnMappingRequest {
  name?: string;
  header: string[];
  /** canonical field → the file's column, by its header name */
  columns: Record<string, string>;
  profile?: string;
  /** the failed import to run again with the mapping */
  importId?: string;
}

export interface ColumnMapping {
  id: string;
  name: string;
  header: string[];
  /** canonical field → header name */
  columns: Record<string, string>;
  profileId: string;
  createdAt: string;
  /** set when the mapping re-queued an import */
  requeued?: UploadAccepted | undefined;
}

export type NotificationKind =
  | 'import_completed'
  | 'import_failed'
  | 'import_ready'
  | 'import_review'
  | 'import_cancelled'
  | 'import_reverted'
  | 'payers_created'
  | 'payer_created';

export interface Notification {
  id: number;
  /** a NotificationKind; a kind a newer server adds is shown by its name */
  kind: string;
  message: string;
  link: string | null;
  read: boolean;
  createdAt: string;
}

export type NotificationsPage = { items: Notification[]; unread: number; page: number; pageSize: number };

/** A page session just started (POST /session, or a password set through a link). */
export interface SessionStarted {
  expiresAt: string;
  idleMinutes: number;
}

/** What an invitation or reset link is for (GET /password-links/:token). */
export interface PasswordLinkInfo {
  purpose: 'invite' | 'reset';
  email: string;
  name: string;
  practice: { name: string };
}

export interface PracticeUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  createdAt: string;
  /** false while an invited user has not set a password yet */
  hasPassword: boolean;
  lastSignInAt: string | null;
}

/** A user and the invitation or reset link made for them, to pass on (sent: a mail sender sent it). */
export interface UserWithLink {
  user: PracticeUser;
  link: { purpose: 'invite' | 'reset'; url: string; expiresAt: string; sent: boolean };
}

export interface ApiTokenInfo {
  id: string;
  label: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  expired: boolean;
  current: boolean;
}
