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
}

/** Statuses after which nothing more happens on its own (`ready` waits for a person to Save). */
export const SETTLED: readonly ImportStatus[] = ['ready', 'completed', 'failed', 'cancelled', 'reverted'];

export function isSettled(v: Pick<ImportView, 'status'>): boolean {
  return SETTLED.includes(v.status);
}

/** completed, and ready (a preview waiting for Save), are what a scheduler counts as success. */
export function isSuccess(v: Pick<ImportView, 'status'>): boolean {
  return v.status === 'completed' || v.status === 'ready';
}

export function asImportView(body: unknown): ImportView {
  const v = body as Partial<ImportView> | null;
  if (!v || typeof v.id !== 'string' || typeof v.status !== 'string') {
    throw new Error(`The API answered with something that is not an import: ${JSON.stringify(body).slice(0, 200)}`);
  }
  return v as ImportView;
}
