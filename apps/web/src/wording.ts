// The sentences the page says about money-changing decisions, in a billing clerk's words. Pure, so
// the wording is unit-tested; the views only place them.
import { formatCount, formatMoney, formatRows } from './format';
import type { ImportView, Review } from './types';

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
export function revertQuestion(v: Pick<ImportView, 'fileName' | 'kind' | 'location' | 'summary'>): string {
  const s = v.summary ?? {};
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
  return `Revert ${v.fileName}? ${capitalize(undo)}${parts.length ? `: ${parts.join('; ')}` : ''}.`;
}

export function keptOpenText(n: number): string {
  return n === 1
    ? 'One open claim on a rejected row was left as it was.'
    : `${formatCount(n)} open claims on rejected rows were left as they were.`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
