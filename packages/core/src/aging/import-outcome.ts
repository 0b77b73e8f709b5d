import { formatCents } from '../money.js';

/** What an aging import did, as its counters say it. */
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
  /** readable money of those rows */
  centsRejected: number;
  rowsAmountUnreadable: number;
  /** the report's printed total minus what its rows add up to, when it prints one */
  printedDifferenceCents: number;
  printedTotalsMismatched: number;
  /** payers it created, by name (the uploader hears of them here, not in a notification per payer) */
  newPayers?: readonly string[];
}

const n = (x: number) => x.toLocaleString('en-US');
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

/**
 * The completion message of an aging import, for the notification and the CLI: what was applied, and
 * in the same breath what was not. A partly applied file never reads as only good news.
 */
export function agingCompletionMessage(o: AgingOutcome): string {
  const rejected = o.rowsRejected > 0;
  const head = rejected
    ? `${o.fileName} was imported with ${plural(o.rowsRejected, 'rejected row')}`
    : `${o.fileName} was imported`;
  const parts = [
    `${head}: ${n(o.claimsNew)} new, ${n(o.claimsUpdated)} updated, ${n(o.claimsUnchanged)} unchanged, ${n(o.claimsResolved)} resolved ${o.claimsResolved === 1 ? 'claim' : 'claims'}; ${formatCents(o.balanceCentsApplied)} applied.`,
  ];
  if (rejected) {
    const unknown = o.rowsAmountUnreadable > 0 ? ` and ${plural(o.rowsAmountUnreadable, 'row')} whose amount could not be read` : '';
    parts.push(`${formatCents(o.centsRejected)}${unknown} not applied.`);
  }
  if (o.claimsKeptOpen > 0)
    parts.push(
      `${plural(o.claimsKeptOpen, 'open claim')} on rejected rows ${o.claimsKeptOpen === 1 ? 'was' : 'were'} left as ${o.claimsKeptOpen === 1 ? 'it was' : 'they were'}.`,
    );
  if (o.printedDifferenceCents !== 0)
    parts.push(
      `The report's printed total is ${formatCents(Math.abs(o.printedDifferenceCents))} ${o.printedDifferenceCents > 0 ? 'more' : 'less'} than its rows.`,
    );
  else if (o.printedTotalsMismatched > 0)
    parts.push(`${plural(o.printedTotalsMismatched, 'printed subtotal')} of the report ${o.printedTotalsMismatched === 1 ? 'does' : 'do'} not match its rows.`);
  const payers = o.newPayers ?? [];
  if (payers.length > 0) {
    const listed = payers.slice(0, 20).join(', ');
    const more = payers.length > 20 ? `, and ${n(payers.length - 20)} more` : '';
    parts.push(`${plural(payers.length, 'new payer')}: ${listed}${more}.`);
  }
  return parts.join(' ');
}
