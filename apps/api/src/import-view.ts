import { computeProgress, formatCents } from '@ledgerport/core';
import type { ImportRecord } from '@ledgerport/db';

/** An import as the API shows it: status, live progress and, once finished, the summary. */
export function importView(imp: ImportRecord, now = new Date(), earlier?: { at: Date; fraction: number }) {
  const progress = computeProgress({ ...imp, now, earlier });
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
    /** last progress written; the page calls a queued or running import with no news for minutes stuck */
    updatedAt: imp.updatedAt,
    finishedAt: imp.finishedAt,
    reverted: imp.revertedAt ? { at: imp.revertedAt, by: imp.revertedBy } : null,
    attempts: imp.attempts,
    rowsRead: imp.rowsRead,
    rowsAccepted: imp.rowsAccepted,
    rowsRejected: imp.rowsRejected,
    rowsWarned: imp.rowsWarned,
    rowsCommitted: imp.rowsCommitted,
    /** paid claims the file no longer lists, resolved so far: what moves while an aging import closes its snapshot */
    claimsResolved: imp.counters.claimsResolved ?? 0,
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
          balanceCentsInFile: imp.kind === 'aging' ? (s.centsInFile ?? 0) : undefined,
          balanceCentsApplied: s.balanceCentsApplied ?? 0,
          rowsNew: s.rowsNew,
          rowsUpdated: s.rowsUpdated,
          rowsUnchanged: s.rowsUnchanged,
          skippedInactive: s.skippedInactive,
          amountCentsInFile: s.centsInFile ?? 0,
          amountCentsApplied: imp.kind === 'aging' ? (s.balanceCentsApplied ?? 0) : (s.amountCentsApplied ?? 0),
          creditBalances: s.creditBalances,
          creditBalanceCents: s.creditBalanceCents,
        }
      : null,
    reconciliation: s ? reconcile(imp) : null,
    links: { self: `/imports/${imp.id}`, errors: `/imports/${imp.id}/errors` },
  };
}

/**
 * The line staff read to trust an import: rows and money in the file against rows and money applied,
 * with the reason whenever they differ.
 */
export function reconcile(imp: ImportRecord) {
  const s = imp.summary ?? {};
  const rowsInFile = imp.rowsRead + (s.skippedInactive ?? 0);
  const rowsApplied = imp.rowsCommitted;
  const moneyInFile = s.centsInFile ?? 0;
  const moneyApplied = imp.kind === 'aging' ? (s.balanceCentsApplied ?? 0) : (s.amountCentsApplied ?? 0);
  const hasMoney = imp.kind !== 'patients';
  const reasons: string[] = [];
  if (imp.rowsRejected)
    reasons.push(`${imp.rowsRejected} row${imp.rowsRejected === 1 ? ' was' : 's were'} rejected (see the errors)`);
  if (s.skippedInactive)
    reasons.push(`${s.skippedInactive} inactive patient${s.skippedInactive === 1 ? ' was' : 's were'} skipped`);
  const unchangedKnown = imp.kind !== 'aging' && imp.kind !== 'patients' ? (s.rowsUnchanged ?? 0) : 0;
  if (unchangedKnown)
    reasons.push(
      `${unchangedKnown} row${unchangedKnown === 1 ? ' was' : 's were'} already imported before and not added again`,
    );
  const matches = rowsInFile === rowsApplied && (!hasMoney || moneyInFile === moneyApplied) && unchangedKnown === 0;
  const money = hasMoney ? ` and ${formatCents(moneyInFile)}` : '';
  const rows = (n: number) => `${n} row${n === 1 ? '' : 's'}`;
  const message = matches
    ? `All ${rows(rowsInFile)}${money} in the file were applied.`
    : `The file has ${rows(rowsInFile)}${money}; ${rows(rowsApplied)}${hasMoney ? ` and ${formatCents(moneyApplied)}` : ''} ${rowsApplied === 1 && !hasMoney ? 'was' : 'were'} applied. ${reasons.join('; ')}.`.replace(
        /\. \.$/,
        '.',
      );
  return {
    rowsInFile,
    rowsApplied,
    amountCentsInFile: hasMoney ? moneyInFile : null,
    amountCentsApplied: hasMoney ? moneyApplied : null,
    matches,
    message,
  };
}
