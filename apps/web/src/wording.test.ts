import type { ImportView, Review } from './types';
import { importViewFixture } from '@ledgerport/api-client';
import {
  errorsSentence,
  importState,
  stateSentence,
  warningsSentence,
  claimsInEmptyReportMessage,
  confirmEmptyQuestion,
  keptOpenText,
  reviewHeadline,
  revertQuestion,
  saveReviewQuestion,
  waitsForAdmin,
  closingText,
} from './wording';

const massResolve: Review = {
  reason: 'mass_resolve',
  claimsToResolve: 1290,
  centsToResolve: 1234567,
  openClaims: 1300,
  message: 'This file would mark 1,290 open claims …',
};
const location = { id: 'l1', name: 'Main Street' };

describe('the words of a file that waits for an administrator', () => {
  it('says how many claims of which location it would close, with the money and the share', () => {
    expect(reviewHeadline({ location, rowsRejected: 0, review: massResolve })).toBe(
      'Waits for an administrator: this file would close 1,290 open claims of Main Street ($12,345.67), 99 % of its 1,300 open claims.',
    );
  });

  it('names the unreadable rows when they are the reason', () => {
    const review: Review = { ...massResolve, reason: 'rejected_rows', claimsToResolve: 1, centsToResolve: 5 };
    expect(reviewHeadline({ location, rowsRejected: 3, review })).toBe(
      'Waits for an administrator: this file would close 1 open claim of Main Street ($0.05), and 3 rows of it could not be read.',
    );
  });

  it('asks the administrator before Save, naming the count and the money', () => {
    expect(saveReviewQuestion({ fileName: 'cut.csv', location, review: massResolve })).toMatch(
      /^Save cut\.csv and mark 1,290 open claims of Main Street \(\$12,345\.67\) as resolved\?/,
    );
  });

  it('is only a ready import with a review', () => {
    expect(waitsForAdmin({ status: 'ready', review: massResolve })).toBe(true);
    expect(waitsForAdmin({ status: 'ready', review: null })).toBe(false);
    expect(waitsForAdmin({ status: 'completed', review: massResolve })).toBe(false);
  });
});

describe('confirming an empty report', () => {
  const message =
    'This report has no claims. If Main Street really has no open insurance claims, an administrator can confirm it, and its 1,030 open claims will be marked resolved. Otherwise export the report again. Nothing was changed.';

  it('reads the number of claims from the failure', () => {
    expect(claimsInEmptyReportMessage(message)).toBe(1030);
    expect(claimsInEmptyReportMessage('something else')).toBeNull();
  });

  it('asks with the number of claims it will resolve', () => {
    expect(confirmEmptyQuestion({ location, error: { code: 'no_claims', message } })).toBe(
      'Confirm that Main Street has no open insurance claims? This report is then applied, and its 1,030 open claims will be marked resolved, as if paid.',
    );
  });
});

describe('revert', () => {
  const base = { fileName: 'f.csv', location };

  it('says what an aging revert undoes', () => {
    expect(
      revertQuestion({
        ...base,
        kind: 'aging',
        summary: { claimsNew: 2, claimsUpdated: 1, claimsResolved: 3, balanceCentsApplied: 1234567 },
      }),
    ).toBe(
      'Revert f.csv? Everything it did to the claims of Main Street is undone: the 2 new claims it added are removed; the claim it updated gets its earlier balance back; the 3 claims it resolved are open again. The $12,345.67 of balances it applied no longer counts as owed.',
    );
  });

  it('says what a balances revert undoes', () => {
    expect(revertQuestion({ ...base, kind: 'patient_balances', summary: { rowsNew: 4, rowsUpdated: 0 } })).toBe(
      'Revert f.csv? The opening balances it brought in are undone: the 4 Balance Forward claims it created are removed.',
    );
  });
});

it('counts the claims kept open on rejected rows', () => {
  expect(keptOpenText(5)).toBe('5 open claims on rejected rows were left as they were.');
  expect(keptOpenText(1)).toBe('One open claim on a rejected row was left as it was.');
});

describe('the state an import is in, in a clerk’s words', () => {
  const v = (over: Partial<ImportView>) => importViewFixture(over);

  it('tells every state apart', () => {
    expect(importState(v({ status: 'queued', phase: 'queued', rowsRead: 0 }))).toBe('queued');
    expect(importState(v({ status: 'running', phase: 'staging' }))).toBe('reading');
    expect(importState(v({ status: 'queued', phase: 'staged', mode: 'commit' }))).toBe('saving');
    expect(importState(v({ status: 'running', phase: 'committing' }))).toBe('saving');
    expect(importState(v({ status: 'running', phase: 'staging', cancelRequested: true }))).toBe('cancelling');
    expect(importState(v({ status: 'ready', phase: 'staged' }))).toBe('ready');
    expect(importState(v({ status: 'ready', review: massResolve }))).toBe('waits_for_admin');
    expect(importState(v({ status: 'completed', rowsRejected: 2 }))).toBe('completed_with_rejections');
    expect(importState(v({ status: 'cancelled', error: { code: 'discarded', message: 'x' } }))).toBe('discarded');
    expect(importState(v({ status: 'cancelled', error: { code: 'cancelled', message: 'x' } }))).toBe('cancelled');
    expect(importState(v({ status: 'reverted' }))).toBe('reverted');
  });

  it('never says rejected rows were skipped and the rest applied where nothing was', () => {
    const applied = /everything else was/;
    expect(errorsSentence(v({ status: 'ready', phase: 'staged' }), 2)).toBe(
      'Nothing is applied yet. On Save, the 2 rejected rows are skipped, and any claim they name stays as it was.',
    );
    expect(errorsSentence(v({ status: 'cancelled', error: { code: 'discarded', message: 'x' } }), 2)).not.toMatch(applied);
    expect(errorsSentence(v({ status: 'completed' }), 1)).toMatch(/^The 1 rejected row was not applied; everything else was\./);
    expect(warningsSentence(v({ status: 'cancelled', error: { code: 'cancelled', message: 'x' } }))).not.toMatch(/were applied/);
    expect(stateSentence(v({ status: 'completed', rowsRejected: 1 }))).toBe(
      '1 row was rejected and not applied; everything else was applied. Fix it and upload it again.',
    );
  });

  it('says a file is applied as it is read only where it is: never for a preview or a file that stops on a bad row', () => {
    const reading = { status: 'running' as const, phase: 'staging' as const, kind: 'aging' as const };
    expect(stateSentence(v({ ...reading, mode: 'commit', onInvalid: 'skip' }))).toMatch(/^Reading the file and applying it as it goes\./);
    for (const over of [{ mode: 'preview' as const, onInvalid: 'skip' as const }, { mode: 'commit' as const, onInvalid: 'block' as const }])
      expect(stateSentence(v({ ...reading, ...over }))).toBe('Reading and checking the file. Nothing is applied yet.');
  });
});

describe('the words of an aging file closing its snapshot', () => {
  const saving = { rowsAccepted: 2000, rowsCommitted: 2000, claimsChecked: 0, claimsToResolve: 0, claimsResolved: 0 };
  it('says nothing of its own while rows are still being saved', () => {
    expect(closingText({ ...saving, rowsCommitted: 500, claimsChecked: 100 })).toBeNull();
    expect(closingText(saving)).toBeNull();
  });
  it('counts the claims compared with the file, then the claims resolved of those it resolves', () => {
    expect(closingText({ ...saving, claimsChecked: 1 })).toBe('Checking which claims the file no longer lists · 1 claim checked');
    expect(closingText({ ...saving, claimsChecked: 4_000_000 })).toBe(
      'Checking which claims the file no longer lists · 4,000,000 claims checked',
    );
    expect(closingText({ ...saving, claimsChecked: 4_000_000, claimsToResolve: 500_000, claimsResolved: 15_000 })).toBe(
      'Resolving the claims the file no longer lists · 15,000 of 500,000',
    );
  });
});
