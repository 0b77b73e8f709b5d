import { formatBytes, formatCount, formatMoney } from './format.js';
import type { ImportView } from './import-view.js';
import { renderLine } from './progress.js';

function when(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** An import as a short labelled report: what it is, where it got to, and what it changed. */
export function describeImport(v: ImportView): string {
  const lines: Array<[string, string]> = [];
  const attempt = v.attempts > 1 ? ` (attempt ${v.attempts})` : '';
  lines.push(['status', `${v.status}${v.cancelRequested && v.status === 'running' ? ', cancelling' : ''}${attempt}`]);
  const what = [
    v.kind,
    v.location?.name,
    v.format ? `format ${v.format}` : null,
    v.mode === 'preview' ? 'preview first' : null,
  ].filter(Boolean);
  lines.push(['import', what.join(', ')]);
  lines.push([
    'file',
    `${v.fileName} (${formatBytes(v.sizeBytes)})${v.reportDate ? `, report date ${v.reportDate}` : ''}`,
  ]);
  lines.push(['uploaded', `by ${v.createdBy.name ?? 'unknown'}, ${when(v.createdAt)}`]);
  if (v.status === 'queued' || v.status === 'running') lines.push(['progress', renderLine(v)]);
  if (v.rowsRead > 0 || v.summary) {
    lines.push([
      'rows',
      `${formatCount(v.rowsRead)} read, ${formatCount(v.rowsAccepted)} accepted, ${formatCount(v.rowsRejected)} rejected`,
    ]);
  }
  const s = v.summary;
  if (s) {
    lines.push([
      'claims',
      `${formatCount(s.claimsNew)} new, ${formatCount(s.claimsUpdated)} updated, ${formatCount(s.claimsUnchanged)} unchanged, ${formatCount(s.claimsResolved)} resolved`,
    ]);
    lines.push(['payers', `${formatCount(s.payersCreated)} new`]);
    lines.push([
      'balance',
      `${formatMoney(s.balanceCentsInFile)} in the file, ${formatMoney(s.balanceCentsApplied)} applied`,
    ]);
    if (s.duplicateRows) lines.push(['duplicates', `${formatCount(s.duplicateRows)} rows appeared more than once`]);
  }
  if (v.rowsRejected > 0)
    lines.push(['errors', `${formatCount(v.rowsRejected)} rows rejected: ledgerport errors ${v.id}`]);
  if (v.error)
    lines.push([v.status === 'failed' || v.status === 'cancelled' ? 'error' : 'last error', v.error.message]);
  if (v.finishedAt) lines.push(['finished', when(v.finishedAt)]);
  return `Import ${v.id}\n${lines.map(([k, text]) => `  ${k.padEnd(10)} ${text}`).join('\n')}\n`;
}
