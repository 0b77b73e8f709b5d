import { fileFiguresMessage, type FileFigures } from '../file-figures.js';
import { formatCents } from '../money.js';

/** What an aging import did, as its counters say it, and the file's figures (see FileFigures). */
export interface AgingOutcome {
  fileName: string;
  claimsNew: number;
  claimsUpdated: number;
  claimsUnchanged: number;
  claimsResolved: number;
  claimsKeptOpen: number;
  balanceCentsApplied: number;
  /** data rows the import refused (unreadable or duplicates) */
  rowsRejected: number;
  /** every data row read, and those applied and warned of */
  rowsInFile: number;
  rowsApplied: number;
  rowsWarned: number;
  /** every readable balance of the file, applied or not */
  centsInFile: number;
  rowsAmountUnreadable: number;
  /** the report's printed grand total, when it prints one, minus what its rows add up to */
  printedTotalCents: number | null;
  printedDifferenceCents: number;
  printedTotalsMismatched: number;
  /** payers it created, by name (the uploader hears of them here, not in a notification per payer) */
  newPayers?: readonly string[];
}

const n = (x: number) => x.toLocaleString('en-US');
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

/**
 * The completion message of an aging import, for the notification and the CLI: what was applied, and
 * in the same breath what was not, with the file's figures. A partly applied file never reads as only
 * good news: "imported with 6 rejected rows: … $412.10 not applied".
 */
export function agingCompletionMessage(o: AgingOutcome): string {
  const rejected = o.rowsRejected > 0;
  const head = rejected
    ? `${o.fileName} was imported with ${plural(o.rowsRejected, 'rejected row')}`
    : `${o.fileName} was imported`;
  const figures: FileFigures = {
    rowsInFile: o.rowsInFile,
    rowsApplied: o.rowsApplied,
    rowsRejected: o.rowsRejected,
    rowsWarned: o.rowsWarned,
    centsInFile: o.centsInFile,
    centsApplied: o.balanceCentsApplied,
    rowsAmountUnreadable: o.rowsAmountUnreadable,
    printedTotalCents: o.printedTotalCents,
    printedDifferenceCents: o.printedDifferenceCents,
    printedTotalsMismatched: o.printedTotalsMismatched,
  };
  const parts = [
    `${head}: ${n(o.claimsNew)} new, ${n(o.claimsUpdated)} updated, ${n(o.claimsUnchanged)} unchanged, ${n(o.claimsResolved)} resolved ${o.claimsResolved === 1 ? 'claim' : 'claims'}; ${formatCents(o.balanceCentsApplied)} applied.`,
    fileFiguresMessage(figures),
  ];
  if (o.claimsKeptOpen > 0)
    parts.push(
      `${plural(o.claimsKeptOpen, 'open claim')} on rejected rows ${o.claimsKeptOpen === 1 ? 'was' : 'were'} left as ${o.claimsKeptOpen === 1 ? 'it was' : 'they were'}.`,
    );
  const payers = o.newPayers ?? [];
  if (payers.length > 0) {
    const listed = payers.slice(0, 20).join(', ');
    const more = payers.length > 20 ? `, and ${n(payers.length - 20)} more` : '';
    parts.push(`${plural(payers.length, 'new payer')}: ${listed}${more}.`);
  }
  return parts.join(' ');
}
