// The sentences the page says about money-changing decisions, in a billing clerk's words. Pure, so
// the wording is unit-tested; the views only place them.
import { formatCount, formatMoney, formatRows, plural } from './format';
import type { ImportSummary, ImportView, Review } from './types';

/** Every state an import can be in, as staff tell them apart (more than the API's seven statuses). */
export type ImportState =
  | 'queued'
  | 'resuming'
  | 'reading'
  | 'saving'
  | 'cancelling'
  | 'ready'
  | 'waits_for_admin'
  | 'completed'
  | 'completed_with_rejections'
  | 'failed'
  | 'cancelled'
  | 'discarded'
  | 'reverted';

type StateInput = Pick<ImportView, 'status' | 'phase' | 'review' | 'rowsRead' | 'rowsRejected' | 'cancelRequested' | 'error'>;

export function importState(v: StateInput): ImportState {
  switch (v.status) {
    case 'queued':
    case 'running':
      if (v.cancelRequested) return 'cancelling';
      if (v.phase === 'committing' || v.phase === 'staged') return 'saving';
      if (v.status === 'queued') return v.rowsRead > 0 ? 'resuming' : 'queued';
      return 'reading';
    case 'ready':
      return v.review ? 'waits_for_admin' : 'ready';
    case 'completed':
      return v.rowsRejected > 0 ? 'completed_with_rejections' : 'completed';
    case 'cancelled':
      return v.error?.code === 'discarded' ? 'discarded' : 'cancelled';
    default:
      return v.status;
  }
}

/** The short name of a state: the badge. */
export const STATE_LABELS: Record<ImportState, string> = {
  queued: 'Queued',
  resuming: 'Queued',
  reading: 'Running',
  saving: 'Saving',
  cancelling: 'Cancelling',
  ready: 'Ready for review',
  waits_for_admin: 'Waits for an administrator',
  completed: 'Completed',
  completed_with_rejections: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  discarded: 'Discarded',
  reverted: 'Reverted',
};

/** What is true of the import right now, in a sentence or two: never a contradiction of its state. */
export function stateSentence(v: StateInput & Pick<ImportView, 'reconciliation' | 'rowsAccepted' | 'kind' | 'mode' | 'onInvalid'>): string {
  switch (importState(v)) {
    case 'queued':
      return 'Waiting for a worker to start reading the file. Nothing is applied yet.';
    case 'resuming':
      return `Waiting to carry on where it stopped, after ${formatRows(v.rowsRead)}.`;
    case 'reading':
      // Only an aging file applied right away, skipping bad rows, is merged as it is read (the worker's
      // applyWhileReading); a preview, or one that stops on any bad row, applies nothing while read.
      return v.kind === 'aging' && v.phase === 'staging' && v.mode === 'commit' && v.onInvalid !== 'block'
        ? 'Reading the file and applying it as it goes. This page follows it; you can leave it.'
        : 'Reading and checking the file. Nothing is applied yet.';
    case 'saving':
      return 'Saving the checked rows. This page follows it; you can leave it.';
    case 'cancelling':
      return 'Cancelling: what it saved so far is being undone.';
    case 'ready':
      return `${plural(v.rowsAccepted, 'row')} read and checked. Nothing is saved yet: look at the preview below, then press Save or Discard.`;
    case 'waits_for_admin':
      return 'Nothing of this file is applied until an administrator saves it.';
    case 'completed':
      return v.reconciliation?.message ?? 'Every row of the file was applied.';
    case 'completed_with_rejections':
      return `${plural(v.rowsRejected, 'row was', 'rows were')} rejected and not applied; everything else was applied. ${v.rowsRejected === 1 ? 'Fix it and upload it again.' : 'Fix them and upload them again.'}`;
    case 'failed':
      return v.error?.message ?? 'This import failed, and nothing from it was applied.';
    case 'cancelled':
      return 'Nothing from this file is applied.';
    case 'discarded':
      return 'The preview was set aside after review; nothing from the file was saved.';
    case 'reverted':
      return 'What it applied was undone by an administrator; nothing of it is applied now.';
  }
}

/** The line above an import's rejected rows: what became of them, in its current state. */
export function errorsSentence(v: StateInput & Pick<ImportView, 'onInvalid'>, rejected: number): string {
  const state = importState(v);
  const them = plural(rejected, 'rejected row');
  switch (state) {
    case 'queued':
    case 'resuming':
    case 'reading':
    case 'saving':
    case 'cancelling':
      return 'Found so far; the file is still being read.';
    case 'ready':
    case 'waits_for_admin':
      return `Nothing is applied yet. On Save, the ${them} are skipped, and any claim they name stays as it was.`;
    case 'completed':
    case 'completed_with_rejections':
      return `The ${them} ${rejected === 1 ? 'was' : 'were'} not applied; everything else was. Fix them in the old system, or in the file of rejected rows, and upload them again.`;
    case 'failed':
      return v.onInvalid === 'block'
        ? 'Nothing was applied because this import stops on any bad row. Fix these rows and upload the file again.'
        : 'Nothing from this file was applied. These are the rows that could not be read.';
    case 'cancelled':
    case 'discarded':
      return 'Nothing from this file was applied. These are the rows that could not be read.';
    case 'reverted':
      return 'This import was reverted: nothing of it is applied now. These rows were never applied.';
  }
}

export function warningsSentence(v: StateInput): string {
  switch (importState(v)) {
    case 'ready':
    case 'waits_for_admin':
      return 'These rows will be applied on Save, but look at them.';
    case 'completed':
    case 'completed_with_rejections':
      return 'These rows were applied, but look at them.';
    case 'queued':
    case 'resuming':
    case 'reading':
    case 'saving':
    case 'cancelling':
      return 'Found so far; the file is still being read.';
    default:
      return 'Nothing from this file is applied now; these rows had something worth a look.';
  }
}

export function claimsText(n: number, adjective = 'open '): string {
  return `${formatCount(n)} ${adjective}claim${n === 1 ? '' : 's'}`;
}

/** A `ready` import that only an administrator may save (the API answers 403 to staff). */
export function waitsForAdmin(v: Pick<ImportView, 'status' | 'review'>): v is ImportView & { review: Review } {
  return v.status === 'ready' && Boolean(v.review);
}

function where(v: Pick<ImportView, 'location'>): string {
  return v.location?.name ?? 'this location';
}

/** "Waits for an administrator: this file would close 290 open claims of Main Street ($12,345.67), …" */
export function reviewHeadline(v: Pick<ImportView, 'location' | 'rowsRejected'> & { review: Review }): string {
  const r = v.review;
  const closing = `this file would close ${claimsText(r.claimsToResolve)} of ${where(v)} (${formatMoney(r.centsToResolve)})`;
  const why =
    r.reason === 'rejected_rows'
      ? `, and ${v.rowsRejected === 1 ? 'one of its rows' : `${formatRows(v.rowsRejected)} of it`} could not be read`
      : r.openClaims > 0
        ? `, ${Math.round((r.claimsToResolve * 100) / r.openClaims)} % of its ${claimsText(r.openClaims)}`
        : '';
  return `Waits for an administrator: ${closing}${why}.`;
}

/** The question an administrator answers before Save closes the claims. */
export function saveReviewQuestion(v: Pick<ImportView, 'fileName' | 'location'> & { review: Review }): string {
  const r = v.review;
  return (
    `Save ${v.fileName} and mark ${claimsText(r.claimsToResolve)} of ${where(v)} (${formatMoney(r.centsToResolve)}) as resolved? ` +
    'They will no longer show as owed. The rest of the file is applied too.'
  );
}

/** How many open claims confirming an empty report resolves, read from the failure's message. */
export function claimsInEmptyReportMessage(message: string): number | null {
  const m = /its ([\d,]+) open claims? will be marked resolved/.exec(message);
  return m?.[1] ? Number(m[1].replaceAll(',', '')) : null;
}

export function confirmEmptyQuestion(v: Pick<ImportView, 'location' | 'error'>): string {
  const n = claimsInEmptyReportMessage(v.error?.message ?? '');
  const what = n === null ? 'all its open claims' : `its ${claimsText(n)}`;
  return `Confirm that ${where(v)} has no open insurance claims? This report is then applied, and ${what} will be marked resolved, as if paid.`;
}

const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);

/** What Revert will undo, said before an administrator presses OK. */
export function revertQuestion(
  v: Pick<ImportView, 'fileName' | 'kind' | 'location'> & { summary: Partial<ImportSummary> | null },
): string {
  const s: Partial<ImportSummary> = v.summary ?? {};
  const parts: string[] = [];
  const add = (count: unknown, one: string, many: (n: string) => string) => {
    const n = num(count);
    if (n === 1) parts.push(one);
    else if (n > 1) parts.push(many(formatCount(n)));
  };
  let undo: string;
  switch (v.kind) {
    case 'aging':
      add(s.claimsNew, 'the new claim it added is removed', (n) => `the ${n} new claims it added are removed`);
      add(
        s.claimsUpdated,
        'the claim it updated gets its earlier balance back',
        (n) => `the ${n} claims it updated get their earlier balances back`,
      );
      add(s.claimsResolved, 'the claim it resolved is open again', (n) => `the ${n} claims it resolved are open again`);
      undo = `everything it did to the claims of ${where(v)} is undone`;
      break;
    case 'patient_balances':
      add(
        s.rowsNew,
        'the Balance Forward claim it created is removed',
        (n) => `the ${n} Balance Forward claims it created are removed`,
      );
      add(
        s.rowsUpdated,
        'the balance it updated gets its earlier amount back',
        (n) => `the ${n} balances it updated get their earlier amounts back`,
      );
      undo = 'the opening balances it brought in are undone';
      break;
    case 'patient_credits':
      add(s.rowsNew, 'the credit it added is removed', (n) => `the ${n} credits it added are removed`);
      undo = 'the patient credits it added are removed';
      break;
    case 'patients':
      add(s.rowsNew, 'the new patient is removed', (n) => `the ${n} new patients are removed`);
      add(
        s.rowsUpdated,
        'the patient it updated gets earlier details back',
        (n) => `the ${n} patients it updated get their earlier details back`,
      );
      undo = 'the patients it added or changed go back to how they were';
      break;
    default:
      undo = 'what it applied is undone';
  }
  const cents = num(v.kind === 'aging' ? s.balanceCentsApplied : s.amountCentsApplied);
  const money =
    cents !== 0
      ? v.kind === 'aging'
        ? ` The ${formatMoney(cents)} of balances it applied no longer counts as owed.`
        : v.kind === 'patient_credits'
          ? ` ${formatMoney(cents)} of credit is taken off the patients' accounts.`
          : ` ${formatMoney(cents)} of opening balances is taken off the patients' accounts.`
      : '';
  return `Revert ${v.fileName}? ${capitalize(undo)}${parts.length ? `: ${parts.join('; ')}` : ''}.${money}`;
}

export function keptOpenText(n: number): string {
  return n === 1
    ? 'One open claim on a rejected row was left as it was.'
    : `${formatCount(n)} open claims on rejected rows were left as they were.`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * What saving is doing once every row is saved: an aging file then closes its snapshot, comparing the
 * location's claims with the file, then resolving the ones it no longer lists. Null while rows are
 * still being saved (or for a file that closes nothing): the rows say it then.
 */
export function closingText(
  v: Pick<ImportView, 'rowsCommitted' | 'rowsAccepted' | 'claimsChecked' | 'claimsToResolve' | 'claimsResolved'>,
): string | null {
  if (v.rowsCommitted < v.rowsAccepted) return null;
  if (v.claimsToResolve > 0)
    return `Resolving the claims the file no longer lists · ${formatCount(v.claimsResolved)} of ${formatCount(v.claimsToResolve)}`;
  if (v.claimsChecked > 0)
    return `Checking which claims the file no longer lists · ${claimsText(v.claimsChecked, '')} checked`;
  return null;
}
