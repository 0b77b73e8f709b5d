import { fileFiguresMessage } from './file-figures.js';
import { agingCompletionMessage } from './aging/import-outcome.js';

describe('fileFiguresMessage', () => {
  it('says rows in the file, applied, rejected, warned, and money in the file, applied and not applied, to the cent', () => {
    expect(
      fileFiguresMessage({
        rowsInFile: 120,
        rowsApplied: 114,
        rowsRejected: 6,
        rowsWarned: 2,
        centsInFile: 1_234_567,
        centsApplied: 1_193_357,
        rowsAmountUnreadable: 1,
        printedTotalCents: 1_250_000,
        printedDifferenceCents: 15_433,
      }),
    ).toBe(
      'Rows: 120 in the file, 114 applied, 6 rejected, 2 with warnings. ' +
        'Money: $12,345.67 in the file, $11,933.57 applied, $412.10 not applied, and 1 row whose amount could not be read. ' +
        "The report's printed total ($12,500.00) is $154.33 more than its rows.",
    );
  });

  it('leaves money out for a kind without it, and names the inactive patients skipped', () => {
    expect(
      fileFiguresMessage({
        rowsInFile: 24,
        rowsApplied: 20,
        rowsRejected: 0,
        rowsWarned: 1,
        rowsSkipped: 4,
        centsInFile: null,
        centsApplied: null,
        rowsAmountUnreadable: 0,
        printedTotalCents: null,
        printedDifferenceCents: 0,
      }),
    ).toBe('Rows: 24 in the file, 20 applied, 0 rejected, 1 with warnings, 4 inactive skipped.');
  });

  it('says a printed total matches, and that subtotals do not when the grand total does', () => {
    const text = fileFiguresMessage({
      rowsInFile: 3,
      rowsApplied: 3,
      rowsRejected: 0,
      rowsWarned: 0,
      centsInFile: 300,
      centsApplied: 300,
      rowsAmountUnreadable: 0,
      printedTotalCents: 300,
      printedDifferenceCents: 0,
      printedTotalsMismatched: 2,
    });
    expect(text).toContain("The report's printed total ($3.00) matches its rows.");
    expect(text).toContain('2 printed subtotals of the report do not match its rows.');
  });
});

describe('agingCompletionMessage', () => {
  it('tells what was not applied in the same breath as what was: never only the good news', () => {
    expect(
      agingCompletionMessage({
        fileName: 'tuesday.csv',
        claimsNew: 0,
        claimsUpdated: 40,
        claimsUnchanged: 74,
        claimsResolved: 0,
        claimsKeptOpen: 6,
        balanceCentsApplied: 1_193_357,
        rowsRejected: 6,
        rowsInFile: 120,
        rowsApplied: 114,
        rowsWarned: 0,
        centsInFile: 1_234_567,
        rowsAmountUnreadable: 0,
        printedTotalCents: null,
        printedDifferenceCents: 0,
        printedTotalsMismatched: 0,
      }),
    ).toBe(
      'tuesday.csv was imported with 6 rejected rows: 0 new, 40 updated, 74 unchanged, 0 resolved claims; $11,933.57 applied. ' +
        'Rows: 120 in the file, 114 applied, 6 rejected, 0 with warnings. Money: $12,345.67 in the file, $11,933.57 applied, $412.10 not applied. ' +
        '6 open claims on rejected rows were left as they were.',
    );
  });

  it('writes every count with thousands separators, as the page does', () => {
    const message = agingCompletionMessage({
      fileName: 'nightly.csv',
      claimsNew: 150_000,
      claimsUpdated: 12_345,
      claimsUnchanged: 1_000,
      claimsResolved: 2_500,
      claimsKeptOpen: 0,
      balanceCentsApplied: 123_456_789,
      rowsRejected: 0,
      rowsInFile: 163_345,
      rowsApplied: 163_345,
      rowsWarned: 3_705,
      centsInFile: 123_456_789,
      rowsAmountUnreadable: 0,
      printedTotalCents: null,
      printedDifferenceCents: 0,
      printedTotalsMismatched: 0,
      newPayers: Array.from({ length: 1_020 }, (_, i) => `Payer ${i}`),
    });
    expect(message).toMatch(/^nightly\.csv was imported: 150,000 new, 12,345 updated, 1,000 unchanged, 2,500 resolved claims; \$1,234,567\.89 applied\. /);
    expect(message).toContain('Rows: 163,345 in the file, 163,345 applied, 0 rejected, 3,705 with warnings.');
    expect(message).toContain('1,020 new payers: Payer 0, ');
    expect(message).toMatch(/, and 1,000 more\.$/);
    // no bare 150000 anywhere
    expect(message).not.toMatch(/\d{4,}/);
  });
});
