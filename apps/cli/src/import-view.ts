// The import as the API sends it (packages/api-client), and what a scheduler makes of its status.
import type { ImportStatus, ImportView } from '@ledgerport/api-client';

export { asImportView } from '@ledgerport/api-client';
export type { ImportStatus, ImportSummary, ImportView, Reconciliation, Review } from '@ledgerport/api-client';

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
