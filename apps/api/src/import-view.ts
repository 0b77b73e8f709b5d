import { computeProgress } from '@ledgerport/core';
import type { ImportRecord } from '@ledgerport/db';

/** An import as the API shows it: status, live progress and, once finished, the summary. */
export function importView(imp: ImportRecord, now = new Date()) {
  const progress = computeProgress({ ...imp, now });
  const s = imp.summary;
  return {
    id: imp.id,
    kind: imp.kind,
    status: imp.status,
    phase: imp.phase,
    fileName: imp.originalName,
    sizeBytes: imp.sizeBytes,
    location: imp.locationId ? { id: imp.locationId, name: imp.locationName } : null,
    format: imp.format,
    encoding: imp.encoding,
    mode: imp.mode,
    onInvalid: imp.onInvalid,
    reportDate: imp.reportDate,
    createdBy: { id: imp.createdBy, name: imp.createdByName },
    createdAt: imp.createdAt,
    startedAt: imp.startedAt,
    finishedAt: imp.finishedAt,
    attempts: imp.attempts,
    rowsRead: imp.rowsRead,
    rowsAccepted: imp.rowsAccepted,
    rowsRejected: imp.rowsRejected,
    rowsWarned: imp.rowsWarned,
    rowsCommitted: imp.rowsCommitted,
    percent: progress.percent,
    rowsPerSecond: progress.rowsPerSecond,
    etaSeconds: progress.etaSeconds,
    cancelRequested: imp.cancelRequested,
    error: imp.lastError ? { code: imp.lastErrorCode, message: imp.lastError } : null,
    summary: s
      ? {
          claimsNew: s.claimsNew ?? 0,
          claimsUpdated: s.claimsUpdated ?? 0,
          claimsUnchanged: s.claimsUnchanged ?? 0,
          claimsResolved: s.claimsResolved ?? 0,
          payersCreated: s.payersCreated ?? 0,
          rowsRejected: imp.rowsRejected,
          duplicateRows: s.duplicateRows ?? 0,
          balanceCentsInFile: s.balanceCentsInFile ?? 0,
          balanceCentsApplied: s.balanceCentsApplied ?? 0,
        }
      : null,
    links: { self: `/imports/${imp.id}`, errors: `/imports/${imp.id}/errors` },
  };
}
