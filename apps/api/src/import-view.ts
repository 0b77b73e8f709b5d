import type {
  DateOrder,
  FileNotice,
  ImportKind,
  ImportView,
  Reconciliation,
  Review,
} from '@ledgerport/api-client';
import { computeProgress, formatCents, isImportKind } from '@ledgerport/core';
import type { ImportRecord } from '@ledgerport/db';

/** Timestamps as JSON sends them, typed as the clients read them. */
export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

const DATE_ORDERS: readonly string[] = ['MDY', 'DMY', 'YMD'];

/** What the worker stored as the review (a JSON column), as the clients read it. */
function reviewOf(imp: ImportRecord): Review | null {
  if (imp.status !== 'ready' || !imp.review) return null;
  const r = imp.review;
  return {
    reason: r.reason === 'rejected_rows' ? 'rejected_rows' : 'mass_resolve',
    claimsToResolve: Number(r.claimsToResolve ?? 0),
    centsToResolve: Number(r.centsToResolve ?? 0),
    openClaims: Number(r.openClaims ?? 0),
    message: typeof r.message === 'string' ? r.message : '',
  };
}

/**
 * An import as the API shows it: status, live progress and, once finished, the summary. Checked
 * against the clients' ImportView (packages/api-client), so the page and the CLI cannot drift from it.
 */
export function importView(imp: ImportRecord, now = new Date(), earlier?: { at: Date; fraction: number }): ImportView {
  const progress = computeProgress({ ...imp, now, earlier });
  const s = imp.summary;
  return {
    id: imp.id,
    kind: (isImportKind(imp.kind) ? imp.kind : 'aging') satisfies ImportKind,
    status: imp.status,
    phase: imp.phase,
    fileName: imp.originalName,
    sizeBytes: imp.sizeBytes,
    location: imp.locationId ? { id: imp.locationId, name: imp.locationName } : null,
    format: imp.format,
    encoding: imp.encoding,
    delimiter: imp.delimiter,
    mode: imp.mode,
    onInvalid: imp.onInvalid,
    reportDate: imp.reportDate,
    createdBy: { id: imp.createdBy, name: imp.createdByName },
    createdAt: imp.createdAt.toISOString(),
    startedAt: iso(imp.startedAt),
    /** last progress written; the page calls a queued or running import with no news for minutes stuck */
    updatedAt: imp.updatedAt.toISOString(),
    finishedAt: iso(imp.finishedAt),
    /** when the stored file (and the rejected rows' cells) were deleted under the retention policy */
    fileDeletedAt: iso(imp.fileDeletedAt),
    dismissed: imp.dismissedAt ? { at: imp.dismissedAt.toISOString(), by: imp.dismissedBy } : null,
    reverted: imp.revertedAt ? { at: imp.revertedAt.toISOString(), by: imp.revertedBy } : null,
    attempts: imp.attempts,
    rowsRead: imp.rowsRead,
    rowsTotal: progress.rowsTotal,
    rowsTotalEstimated: progress.rowsTotalEstimated,
    rowsAccepted: imp.rowsAccepted,
    rowsRejected: imp.rowsRejected,
    rowsWarned: imp.rowsWarned,
    rowsCommitted: imp.rowsCommitted,
    /** paid claims the file no longer lists, resolved so far: what moves while an aging import closes its snapshot */
    claimsResolved: imp.counters.claimsResolved ?? 0,
    /** while an aging import closes its snapshot: the location's claims compared with the file so far */
    claimsChecked: imp.counters.claimsChecked ?? 0,
    /** while it closes: the claims the file no longer lists that it is resolving (claimsResolved of them so far) */
    claimsToResolve: imp.counters.claimsToResolve ?? 0,
    percent: progress.percent,
    rowsPerSecond: progress.rowsPerSecond,
    etaSeconds: progress.etaSeconds,
    cancelRequested: imp.cancelRequested,
    error: imp.lastError ? { code: imp.lastErrorCode, message: imp.lastError } : null,
    /** why it waits for an administrator: the claims and money it would close */
    review: reviewOf(imp),
    /** what the import says about the file as a whole (an assumed date order, printed totals that differ) */
    notices: imp.notices satisfies FileNotice[],
    dateOrder:
      typeof imp.options.dateOrder === 'string' && DATE_ORDERS.includes(imp.options.dateOrder)
        ? (imp.options.dateOrder as DateOrder)
        : null,
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
          claimsKeptOpen: s.claimsKeptOpen ?? 0,
        }
      : null,
    reconciliation: s ? reconcile(imp) : null,
    links: { self: `/imports/${imp.id}`, errors: `/imports/${imp.id}/errors` },
  } satisfies ImportView;
}

/**
 * The line staff read to trust an import: rows and money in the file against rows and money applied,
 * and against the totals the report itself prints, with the reason whenever they differ. "In the
 * file" is every data row read, applied or not; money of a rejected row counts wherever its amount
 * was readable, and the rows whose amount was not are counted apart.
 */
export function reconcile(imp: ImportRecord): Reconciliation {
  const s = imp.summary ?? {};
  const rowsInFile = imp.rowsRead + (s.skippedInactive ?? 0);
  const rowsApplied = imp.rowsCommitted;
  const hasMoney = imp.kind !== 'patients';
  const moneyInFile = s.centsInFile ?? 0;
  const moneyApplied = imp.kind === 'aging' ? (s.balanceCentsApplied ?? 0) : (s.amountCentsApplied ?? 0);
  const moneyNotApplied = moneyInFile - moneyApplied;
  const unreadableAmounts = s.rowsAmountUnreadable ?? 0;
  const printedTotal = s.printedTotalCents ?? null;
  const printedDifference = s.printedDifferenceCents ?? 0;
  const printedMismatches = s.printedTotalsMismatched ?? 0;
  const reasons: string[] = [];
  const rows = (n: number) => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;
  if (imp.rowsRejected)
    reasons.push(`${rows(imp.rowsRejected)} ${imp.rowsRejected === 1 ? 'was' : 'were'} rejected (see the errors)`);
  if (hasMoney && moneyNotApplied !== 0) reasons.push(`${formatCents(moneyNotApplied)} was not applied`);
  if (hasMoney && unreadableAmounts)
    reasons.push(`${rows(unreadableAmounts)} had an amount that could not be read`);
  if (s.skippedInactive)
    reasons.push(`${s.skippedInactive.toLocaleString('en-US')} inactive patient${s.skippedInactive === 1 ? ' was' : 's were'} skipped`);
  if (printedDifference !== 0)
    reasons.push(
      `the report's printed total (${formatCents(printedTotal ?? 0)}) is ${formatCents(Math.abs(printedDifference))} ${printedDifference > 0 ? 'more' : 'less'} than its rows`,
    );
  else if (printedMismatches)
    reasons.push(`${printedMismatches.toLocaleString('en-US')} printed subtotal${printedMismatches === 1 ? ' does' : 's do'} not match the rows above ${printedMismatches === 1 ? 'it' : 'them'}`);
  const matches =
    rowsInFile === rowsApplied &&
    (!hasMoney || (moneyNotApplied === 0 && unreadableAmounts === 0)) &&
    printedDifference === 0 &&
    printedMismatches === 0;
  const money = hasMoney ? ` and ${formatCents(moneyInFile)}` : '';
  const message = matches
    ? `All ${rows(rowsInFile)}${money} in the file were applied${printedTotal !== null ? `, matching the report's printed total` : ''}.`
    : `The file has ${rows(rowsInFile)}${money}; ${rows(rowsApplied)}${hasMoney ? ` and ${formatCents(moneyApplied)}` : ''} ${rowsApplied === 1 && !hasMoney ? 'was' : 'were'} applied. ${capitalize(reasons.join('; '))}.`;
  return {
    rowsInFile,
    rowsApplied,
    rowsRejected: imp.rowsRejected,
    rowsWarned: imp.rowsWarned,
    amountCentsInFile: hasMoney ? moneyInFile : null,
    amountCentsApplied: hasMoney ? moneyApplied : null,
    amountCentsNotApplied: hasMoney ? moneyNotApplied : null,
    rowsWithUnreadableAmount: hasMoney ? unreadableAmounts : null,
    printedTotalCents: printedTotal,
    differenceFromPrintedTotalCents: printedTotal === null ? null : printedDifference,
    printedSubtotalsMismatched: printedMismatches,
    matches,
    message,
  } satisfies Reconciliation;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
