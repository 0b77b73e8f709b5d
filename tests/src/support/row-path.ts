// `node tests/dist/support/row-path.js FILE`: reads an aging file through the worker's own row path
// (openRows, detectLayout, createRowReader, with the worker's default limits), stages nothing, and
// prints one JSON line with what it read and the process's peak resident set size. Run as a
// process of its own so the peak belongs to that file alone.
import { readFileSync, statSync } from 'node:fs';
import { createRowReader, detectLayout, isBlankRow, todayIso } from '@ledgerport/core';
import { loadWorkerConfig, openRows, workbookLimits, type FileRow } from '@ledgerport/worker';

// As the worker's stage-file.ts: the rows the header is looked for in.
const HEADER_SEARCH_ROWS = 50;

export interface RowPathResult {
  profile: string;
  fileType: string;
  rows: number;
  claims: number;
  errors: number;
  balanceCents: number;
  bytesRead: number;
  seconds: number;
  peakRssBytes: number;
}

function peakRss(): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

async function main(file: string): Promise<RowPathResult> {
  const started = performance.now();
  const limits = workbookLimits(loadWorkerConfig());
  const source = await openRows(file, statSync(file).size, limits);
  const iterator = source.rows[Symbol.asyncIterator]();
  const first: FileRow[] = [];
  while (first.length < HEADER_SEARCH_ROWS) {
    const n = await iterator.next();
    if (n.done) break;
    first.push(n.value);
  }
  const today = todayIso();
  const det = detectLayout(
    first.map((r) => r.cells),
    { fileType: source.fileType, today },
  );
  if (!det.ok) throw new Error(det.error);
  const headerRow = first[det.value.headerIndex];
  if (!headerRow) throw new Error('no header row');
  const read = createRowReader(det.value, {
    header: headerRow.cells.map((c) => c.trim()),
    reportDate: det.value.reportDate ?? today,
    today,
  });
  const result: RowPathResult = {
    profile: det.value.profile.id,
    fileType: source.fileType,
    rows: 0,
    claims: 0,
    errors: 0,
    balanceCents: 0,
    bytesRead: 0,
    seconds: 0,
    peakRssBytes: 0,
  };
  const take = (r: FileRow) => {
    if (r.line <= headerRow.line || isBlankRow(r.cells)) return;
    const v = read(r.cells);
    if (v.kind === 'skip') return;
    result.rows++;
    if (v.kind === 'row') {
      result.claims++;
      result.balanceCents += v.row.balanceCents;
    } else result.errors++;
  };
  first.forEach(take);
  for (;;) {
    const n = await iterator.next();
    if (n.done) break;
    take(n.value);
  }
  result.bytesRead = source.counter.bytes;
  result.seconds = (performance.now() - started) / 1000;
  result.peakRssBytes = peakRss();
  return result;
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node row-path.js FILE\n');
  process.exit(2);
}
main(file).then(
  (r) => process.stdout.write(JSON.stringify(r) + '\n'),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
