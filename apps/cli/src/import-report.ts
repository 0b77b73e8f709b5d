import { formatBytes, formatCount, formatDate, formatDateTime, formatMoney, formatRows, kindLabel, plural } from './format.js';
import type { ImportView } from './import-view.js';
import { renderLine } from './progress.js';

/** How times read in a report: the terminal's own zone unless told (tests pin one). */
export interface ReportOptions {
  timeZone?: string;
}

/** Money in the file, applied and not, and against the report's printed total: from the reconciliation. */
function moneyLines(v: ImportView): Array<[string, string]> {
  const r = v.reconciliation;
  const s = v.summary;
  const label = v.kind === 'aging' ? 'balance' : 'amount';
  if (!r) {
    return s && v.kind === 'aging'
      ? [[label, `${formatMoney(s.balanceCentsInFile ?? 0)} in the file, ${formatMoney(s.balanceCentsApplied)} applied`]]
      : [];
  }
  if (r.amountCentsInFile === null) return [];
  const lines: Array<[string, string]> = [
    [
      label,
      `${formatMoney(r.amountCentsInFile)} in the file, ${formatMoney(r.amountCentsApplied ?? 0)} applied, ${formatMoney(r.amountCentsNotApplied ?? r.amountCentsInFile - (r.amountCentsApplied ?? 0))} not applied`,
    ],
  ];
  if (r.rowsWithUnreadableAmount)
    lines.push(['unreadable', `${formatRows(r.rowsWithUnreadableAmount)} had an amount that could not be read`]);
  if (r.printedTotalCents !== null) {
    const d = r.differenceFromPrintedTotalCents ?? 0;
    lines.push([
      'printed',
      `the report's total is ${formatMoney(r.printedTotalCents)}: ${d === 0 ? 'the rows add up to it' : `${formatMoney(Math.abs(d))} ${d > 0 ? 'more' : 'less'} than the rows`}`,
    ]);
  }
  return lines;
}

/** An import as a short labelled report: what it is, where it got to, and what it changed. */
export function describeImport(v: ImportView, opts: ReportOptions = {}): string {
  const when = (iso: string | null) => formatDateTime(iso, opts.timeZone ? { timeZone: opts.timeZone } : {});
  const lines: Array<[string, string]> = [];
  const attempt = v.attempts > 1 ? ` (attempt ${v.attempts})` : '';
  lines.push(['status', `${v.status}${v.cancelRequested && v.status === 'running' ? ', cancelling' : ''}${attempt}`]);
  const what = [
    kindLabel(v.kind),
    v.location?.name,
    v.format ? `format ${v.format}` : null,
    v.mode === 'preview' ? 'preview first' : null,
  ].filter(Boolean);
  lines.push(['import', what.join(', ')]);
  lines.push([
    'file',
    `${v.fileName} (${formatBytes(v.sizeBytes)})${v.reportDate ? `, report date ${formatDate(v.reportDate)}` : ''}`,
  ]);
  lines.push(['uploaded', `by ${v.createdBy.name ?? 'unknown'}, ${when(v.createdAt)}`]);
  if (v.status === 'queued' || v.status === 'running') lines.push(['progress', renderLine(v)]);
  const r = v.reconciliation;
  if (r) {
    lines.push([
      'rows',
      `${formatCount(r.rowsInFile)} in the file, ${formatCount(r.rowsApplied)} applied, ${formatCount(r.rowsRejected)} rejected, ${formatCount(r.rowsWarned)} with warnings`,
    ]);
  } else if (v.rowsRead > 0 || v.summary) {
    lines.push([
      'rows',
      `${formatCount(v.rowsRead)} read, ${formatCount(v.rowsAccepted)} accepted, ${formatCount(v.rowsRejected)} rejected`,
    ]);
  }
  const s = v.summary;
  if (s && v.kind === 'aging') {
    lines.push([
      'claims',
      `${formatCount(s.claimsNew)} new, ${formatCount(s.claimsUpdated)} updated, ${formatCount(s.claimsUnchanged)} unchanged, ${formatCount(s.claimsResolved)} resolved`,
    ]);
    lines.push(['payers', plural(s.payersCreated, 'new payer')]);
  } else if (s) {
    const skipped = s.skippedInactive ? `, ${formatCount(s.skippedInactive)} inactive skipped` : '';
    lines.push([
      'records',
      `${formatCount(s.rowsNew ?? 0)} new, ${formatCount(s.rowsUpdated ?? 0)} updated, ${formatCount(s.rowsUnchanged ?? 0)} unchanged${skipped}`,
    ]);
  }
  lines.push(...moneyLines(v));
  if (s?.claimsKeptOpen)
    lines.push([
      'kept open',
      s.claimsKeptOpen === 1
        ? 'one open claim on a rejected row was left as it was'
        : `${formatCount(s.claimsKeptOpen)} open claims on rejected rows were left as they were`,
    ]);
  if (s?.duplicateRows)
    lines.push(['duplicates', `${formatRows(s.duplicateRows)} appeared more than once`.replace(/^1 row appeared/, 'one row appeared')]);
  if (r) lines.push(['reconciled', `${r.matches ? 'yes' : 'NO'}: ${r.message}`]);
  for (const n of v.notices ?? []) lines.push(['notice', n.message]);
  if (v.status === 'ready' && v.review) {
    const rv = v.review;
    const share =
      rv.openClaims > 0
        ? `, ${Math.round((rv.claimsToResolve * 100) / rv.openClaims)} % of its ${formatCount(rv.openClaims)}`
        : '';
    lines.push([
      'review',
      `waits for an administrator: it would close ${plural(rv.claimsToResolve, 'open claim')} of ${v.location?.name ?? 'the location'} (${formatMoney(rv.centsToResolve)})${share}`,
    ]);
    lines.push(['', rv.message]);
  }
  if (v.rowsRejected > 0)
    lines.push(['errors', `${formatRows(v.rowsRejected)} rejected: ledgerport errors ${v.id}`]);
  if (v.rowsWarned > 0 && v.status !== 'queued' && v.status !== 'running')
    lines.push(['warnings', `${formatRows(v.rowsWarned)} with warnings: ledgerport errors ${v.id} --warnings`]);
  if (v.error)
    lines.push([v.status === 'failed' || v.status === 'cancelled' ? 'error' : 'last error', v.error.message]);
  if (v.finishedAt) lines.push(['finished', when(v.finishedAt)]);
  return `Import ${v.id}\n${lines.map(([k, text]) => `  ${k.padEnd(10)} ${text}`.trimEnd()).join('\n')}\n`;
}
