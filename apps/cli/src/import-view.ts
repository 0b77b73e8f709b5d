// The parts of the API's import view (GET /imports/:id) the CLI reads.

export type ImportStatus = 'queued' | 'running' | 'ready' | 'completed' | 'failed' | 'cancelled' | 'reverted';

export interface ImportSummary {
  claimsNew: number;
  claimsUpdated: number;
  claimsUnchanged: number;
  claimsResolved: number;
  payersCreated: number;
  rowsRejected: number;
  duplicateRows: number;
  balanceCentsInFile: number;
  balanceCentsApplied: number;
  /** patient kinds */
  rowsNew?: number;
  rowsUpdated?: number;
  rowsUnchanged?: number;
  skippedInactive?: number;
  /** open claims named on rows that could not be read, left exactly as they were */
  claimsKeptOpen?: number;
}

/** Rows and money in the file against what was applied and against the report's printed total. */
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
  printedTotalCents: number | null;
  differenceFromPrintedTotalCents: number | null;
  printedSubtotalsMismatched: number;
  matches: boolean;
  message: string;
}

/** Why a `ready` aging import waits for an administrator, and what Save would close. */
export interface Review {
  reason: string;
  claimsToResolve: number;
  centsToResolve: number;
  openClaims: number;
  message: string;
}

export interface FileNotice {
  code: string;
  message: string;
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
  mode: 'commit' | 'preview';
  reportDate: string | null;
  createdBy: { id: string; name: string | null };
  createdAt: string;
  finishedAt: string | null;
  attempts: number;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsCommitted: number;
  percent: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
  cancelRequested: boolean;
  error: { code: string | null; message: string } | null;
  summary: ImportSummary | null;
  /** Fields of newer servers: absent from an older one. */
  rowsWarned?: number;
  reconciliation?: Reconciliation | null;
  review?: Review | null;
  notices?: FileNotice[];
  dateOrder?: string | null;
}

/** Statuses after which nothing more happens on its own (`ready` waits for a person to Save). */
export const SETTLED: readonly ImportStatus[] = ['ready', 'completed', 'failed', 'cancelled', 'reverted'];

export function isSettled(v: Pick<ImportView, 'status'>): boolean {
  return SETTLED.includes(v.status);
}

/**
 * completed, and ready (a preview waiting for Save), are what a scheduler counts as success; see
 * exitStatusOf for the two outcomes that are neither (held for review, not all applied).
 */
export function isSuccess(v: Pick<ImportView, 'status'>): boolean {
  return v.status === 'completed' || v.status === 'ready';
}

/** A `ready` import only an administrator may save: nothing of it is applied until one does. */
export function waitsForAdmin(v: Pick<ImportView, 'status' | 'review'>): boolean {
  return v.status === 'ready' && Boolean(v.review);
}

/** Completed, but the reconciliation says the import does not add up to the file. */
export function completedShort(v: Pick<ImportView, 'status' | 'reconciliation'>): boolean {
  return v.status === 'completed' && v.reconciliation?.matches === false;
}

export function asImportView(body: unknown): ImportView {
  const v = body as Partial<ImportView> | null;
  if (!v || typeof v.id !== 'string' || typeof v.status !== 'string') {
    throw new Error(`The API answered with something that is not an import: ${JSON.stringify(body).slice(0, 200)}`);
  }
  return v as ImportView;
}
