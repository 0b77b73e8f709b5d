import { formatCents } from './money.js';

/**
 * What a finished import did with its file, in the figures every report of it shows (the summary's
 * reconciliation, the page, the CLI report, the completion notification): rows in the file, applied,
 * rejected and warned; money in the file, applied, not applied, and the difference from the report's
 * printed total.
 */
export interface FileFigures {
  /** every data row read, applied or not (inactive patients skipped included) */
  rowsInFile: number;
  rowsApplied: number;
  rowsRejected: number;
  rowsWarned: number;
  /** patients that were skipped as inactive (patients only) */
  rowsSkipped?: number;
  /** null for a kind that carries no money (patients) */
  centsInFile: number | null;
  centsApplied: number | null;
  /** rows whose amount itself could not be read: their money is in no figure */
  rowsAmountUnreadable: number;
  /** the report's own printed grand total, when it prints one */
  printedTotalCents: number | null;
  /** that total minus what the rows add up to */
  printedDifferenceCents: number;
  /** printed subtotals that do not match their rows */
  printedTotalsMismatched?: number;
}

const n = (x: number) => x.toLocaleString('en-US');
const rows = (x: number) => `${n(x)} row${x === 1 ? '' : 's'}`;

/**
 * The figures as sentences for a message: "Rows: 120 in the file, 115 applied, 5 rejected, 0 with
 * warnings. Money: $1,200.00 in the file, $1,150.00 applied, $50.00 not applied." A partly applied file
 * reads as such in the same breath as what was applied.
 */
export function fileFiguresMessage(f: FileFigures): string {
  const skipped = f.rowsSkipped ? `, ${n(f.rowsSkipped)} inactive skipped` : '';
  const parts = [
    `Rows: ${n(f.rowsInFile)} in the file, ${n(f.rowsApplied)} applied, ${n(f.rowsRejected)} rejected, ${n(f.rowsWarned)} with warnings${skipped}.`,
  ];
  if (f.centsInFile !== null && f.centsApplied !== null) {
    const unreadable = f.rowsAmountUnreadable
      ? `, and ${rows(f.rowsAmountUnreadable)} whose amount could not be read`
      : '';
    parts.push(
      `Money: ${formatCents(f.centsInFile)} in the file, ${formatCents(f.centsApplied)} applied, ${formatCents(f.centsInFile - f.centsApplied)} not applied${unreadable}.`,
    );
  }
  if (f.printedTotalCents !== null) {
    const d = f.printedDifferenceCents;
    parts.push(
      d === 0
        ? `The report's printed total (${formatCents(f.printedTotalCents)}) matches its rows.`
        : `The report's printed total (${formatCents(f.printedTotalCents)}) is ${formatCents(Math.abs(d))} ${d > 0 ? 'more' : 'less'} than its rows.`,
    );
  }
  const mismatched = f.printedTotalsMismatched ?? 0;
  if (mismatched > 0 && (f.printedTotalCents === null || f.printedDifferenceCents === 0))
    parts.push(`${n(mismatched)} printed subtotal${mismatched === 1 ? ' of the report does' : 's of the report do'} not match its rows.`);
  return parts.join(' ');
}
