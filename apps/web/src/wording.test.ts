import type { ImportView, Review } from './types';
import {
  claimsInEmptyReportMessage,
  confirmEmptyQuestion,
  keptOpenText,
  reviewHeadline,
  revertQuestion,
  saveReviewQuestion,
  waitsForAdmin,
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
    const review = { ...massResolve, reason: 'rejected_rows', claimsToResolve: 1, centsToResolve: 5 };
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
  const base = { fileName: 'f.csv', location } as Pick<ImportView, 'fileName' | 'kind' | 'location' | 'summary'>;

  it('says what an aging revert undoes', () => {
    expect(
      revertQuestion({ ...base, kind: 'aging', summary: { claimsNew: 2, claimsUpdated: 1, claimsResolved: 3 } }),
    ).toBe(
      'Revert f.csv? Everything it did to the claims of Main Street is undone: the 2 new claims it added are removed; the claim it updated gets its earlier balance back; the 3 claims it resolved are open again.',
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
