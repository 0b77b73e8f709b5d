// Table types for kysely. snake_case stays inside packages/db; repositories hand out camelCase rows.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

export interface PracticesTable {
  id: Generated<string>;
  name: string;
  patient_quota: Generated<number>;
  mass_resolve_percent: Generated<number>;
  mass_resolve_min_claims: Generated<number>;
  retention_days: Generated<number>;
  time_zone: Generated<string>;
  default_modes: Json<Record<string, 'commit' | 'preview'>>;
  /** no manual credit, payment or refund above this */
  max_manual_amount_cents: Generated<number>;
  /** above this, only an admin may enter one */
  approval_threshold_cents: Generated<number>;
  created_at: Generated<Date>;
}

export interface LocationsTable {
  id: Generated<string>;
  practice_id: string;
  name: string;
  last_report_date: string | null;
  aliases: Generated<string[]>;
  pm_system: string | null;
  archived_at: Date | null;
  created_at: Generated<Date>;
}

export type Role = 'staff' | 'admin';

export interface UsersTable {
  id: Generated<string>;
  practice_id: string;
  email: string;
  name: string;
  role: Role;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  /** argon2id; null until the user sets a password through an invitation link */
  password_hash: string | null;
  password_set_at: Date | null;
  last_sign_in_at: Date | null;
}

/** A person signed in on the page: the cookie holds the id, only its hash is here. */
export interface UserSessionsTable {
  id_hash: string;
  user_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
}

export type PasswordLinkPurpose = 'invite' | 'reset';

/** An invitation or reset link: one use, an expiry, only the hash of its secret kept. */
export interface PasswordLinksTable {
  id_hash: string;
  user_id: string;
  purpose: PasswordLinkPurpose;
  created_by: string | null;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  used_at: Date | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  label: Generated<string>;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  expires_at: ColumnType<Date, Date | string | undefined, Date | string>;
  revoked_at: Date | null;
  revoked_by: string | null;
  created_by: string | null;
}

/** Who read or changed what: ids, codes and the HTTP status only, never a cell value or a name. */
export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  practice_id: string;
  user_id: string;
  token_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  status: number;
  ip: string | null;
  detail: Json<Record<string, unknown> | null>;
}

/** Operators run the service and belong to no practice (never a row of users). */
export interface OperatorsTable {
  id: Generated<string>;
  name: string;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface OperatorTokensTable {
  id: Generated<string>;
  operator_id: string;
  token_hash: string;
  label: Generated<string>;
  created_at: Generated<Date>;
}

export interface OperatorSessionsTable {
  id_hash: string;
  operator_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
}

export type ImportStatus = 'queued' | 'running' | 'ready' | 'completed' | 'failed' | 'cancelled' | 'reverted';
export type ImportPhase = 'queued' | 'staging' | 'staged' | 'committing' | 'done';

export interface ImportCounters {
  centsInFile?: number;
  skippedInactive?: number;
  rowsNew?: number;
  rowsUpdated?: number;
  rowsUnchanged?: number;
  amountCentsApplied?: number;
  creditBalances?: number;
  creditBalanceCents?: number;
  claimsNew?: number;
  claimsUpdated?: number;
  claimsUnchanged?: number;
  claimsResolved?: number;
  /**
   * 1 when the location had open claims as this import's first chunk was merged, 0 when it had none
   * (recorded with that chunk, under the location lock): with none, nothing can be missing at the close.
   */
  locationHadOpenClaims?: number;
  /**
   * 1 when the location had any claim, open or resolved, as this import's first chunk was merged, 0
   * when it had none: with none, every row the import merges is a new claim (mergeStagedRowsIntoClaims).
   */
  locationHadClaims?: number;
  /** how long this aging import's close took, in seconds (set as it completes, when it had a close) */
  closeSeconds?: number;
  /** the location's previous import's closeSeconds, copied with the first chunk: the time left expects as much */
  lastCloseSeconds?: number;
  /** how long reading and merging the rows took, in seconds: set as the close starts, when the attempt read the whole file */
  rowsSeconds?: number;
  /** while the snapshot closes: the location's claims compared with the file so far */
  claimsChecked?: number;
  /** while the snapshot closes: the claims the file no longer lists, being resolved */
  claimsToResolve?: number;
  payersCreated?: number;
  balanceCentsInFile?: number;
  balanceCentsApplied?: number;
  duplicateRows?: number;
  /** rejected rows whose claim could not be named (no claim number, or a part of its key unreadable) */
  rowsKeyUnreadable?: number;
  /** rejected rows (duplicates included) whose balance was readable: their money, not applied */
  centsRejected?: number;
  /** data rows whose balance could not be read: counted as rows, their money unknown */
  rowsAmountUnreadable?: number;
  /** open claims the file named on rows it could not read: kept as they were */
  claimsKeptOpen?: number;
  /** the report's own printed grand total, and how far the rows are from it */
  printedTotalCents?: number;
  printedDifferenceCents?: number;
  /** printed total lines (group or report) the rows do not add up to */
  printedTotalsMismatched?: number;
}

export interface ImportNotice {
  code: string;
  message: string;
}

export interface ImportsTable {
  id: Generated<string>;
  practice_id: string;
  location_id: string | null;
  kind: string;
  format: string | null;
  encoding: string | null;
  mode: Generated<'commit' | 'preview'>;
  on_invalid: Generated<'skip' | 'block'>;
  options: Json<Record<string, unknown>>;
  original_name: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  status: Generated<ImportStatus>;
  phase: Generated<ImportPhase>;
  cancel_requested: Generated<boolean>;
  report_date: string | null;
  rows_read: Generated<number>;
  rows_accepted: Generated<number>;
  rows_rejected: Generated<number>;
  rows_warned: Generated<number>;
  rows_committed: Generated<number>;
  bytes_read: Generated<number>;
  stage_checkpoint: Generated<number>;
  commit_checkpoint: Generated<number>;
  counters: Json<ImportCounters>;
  previous_import_id: string | null;
  reverted_by: string | null;
  reverted_at: Timestamp | null;
  first_rows: Json<string[][] | null>;
  summary: Json<ImportCounters | null>;
  review: Json<Record<string, unknown> | null>;
  resolve_approved_by: string | null;
  notices: Json<ImportNotice[]>;
  file_deleted_at: Timestamp | null;
  dismissed_at: Timestamp | null;
  dismissed_by: string | null;
  delimiter: string | null;
  /** merged some chunks and neither finalized nor undone (see findHalfAppliedImport) */
  half_applied: Generated<boolean>;
  header: Json<string[] | null>;
  last_error: string | null;
  last_error_code: string | null;
  attempts: Generated<number>;
  created_by: string;
  retried_by: string | null;
  cancelled_by: string | null;
  created_at: Generated<Date>;
  started_at: Timestamp | null;
  phase_started_at: Timestamp | null;
  updated_at: Generated<Date>;
  finished_at: Timestamp | null;
}

export interface ImportRowErrorsTable {
  id: Generated<number>;
  import_id: string;
  row_number: number;
  column_name: string;
  value: string;
  message: string;
  severity: Generated<'error' | 'warning'>;
}

export interface PayersTable {
  id: Generated<number>;
  practice_id: string;
  name: string;
  normalized_name: string;
  status: Generated<string>;
  kind: Generated<'insurance' | 'self_pay'>;
  created_by_import: string | null;
  created_at: Generated<Date>;
}

export interface ClaimsTable {
  id: Generated<number>;
  practice_id: string;
  location_id: string;
  claim_key: string;
  claim_number: string | null;
  patient_name: string;
  patient_account: string | null;
  date_of_birth: string | null;
  payer_id: number;
  date_of_service: string;
  billed_cents: number | null;
  balance_cents: number;
  aging_bucket: string | null;
  first_seen_import: string;
  last_seen_import: string;
  resolved_at: Date | null;
  resolved_by_import: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PayerAliasesTable {
  practice_id: string;
  normalized_name: string;
  payer_id: number;
}

export interface ImportKeptClaimsTable {
  import_id: string;
  claim_key: string;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: string;
  kind: string;
  message: string;
  link: string | null;
  read: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface ColumnMappingsTable {
  id: Generated<string>;
  practice_id: string;
  name: string;
  header_key: string;
  header: Json<string[]>;
  /** canonical field → the header name of its column (positions saved before 2026-12-01-0501 were turned into names) */
  columns: Json<Record<string, string>>;
  profile_id: Generated<string>;
  created_by: string;
  created_at: Generated<Date>;
}

export interface Database {
  column_mappings: ColumnMappingsTable;
  practices: PracticesTable;
  locations: LocationsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  user_sessions: UserSessionsTable;
  password_links: PasswordLinksTable;
  audit_log: AuditLogTable;
  operators: OperatorsTable;
  operator_tokens: OperatorTokensTable;
  operator_sessions: OperatorSessionsTable;
  imports: ImportsTable;
  import_row_errors: ImportRowErrorsTable;
  import_kept_claims: ImportKeptClaimsTable;
  payer_aliases: PayerAliasesTable;
  payers: PayersTable;
  claims: ClaimsTable;
  notifications: NotificationsTable;
}
