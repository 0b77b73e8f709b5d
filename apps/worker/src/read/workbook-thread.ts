// The workbook thread's entry (see workbook-rows.ts): reads one workbook with SheetJS and hands its
// rows over a batch at a time, each when the import asks for it, so the rows already handed over
// are not held twice.
import { parentPort, workerData } from 'node:worker_threads';
import { UnrecoverableImportError, type ImportFailureCode } from '@ledgerport/core';
import type { FileRow } from './csv-rows.js';
import type { WorkbookLimits } from './workbook-rows.js';
import { readSheet } from './workbook-sheet.js';

export interface WorkbookJob {
  path: string;
  size: number;
  limits: WorkbookLimits;
}

export type WorkbookMessage =
  | { type: 'rows'; rows: FileRow[]; bytes: number }
  | { type: 'end' }
  | { type: 'refused'; code: ImportFailureCode; message: string };

const BATCH_ROWS = 2_000;

async function main(port: NonNullable<typeof parentPort>, job: WorkbookJob): Promise<void> {
  let asked = 0;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    asked++;
    wake?.();
  });
  const turn = async () => {
    while (asked === 0) await new Promise<void>((r) => (wake = r));
    asked--;
  };
  const send = (m: WorkbookMessage) => port.postMessage(m);
  let sheet;
  try {
    sheet = await readSheet(job.path, job.size, job.limits);
  } catch (e) {
    if (!(e instanceof UnrecoverableImportError)) throw e;
    await turn();
    send({ type: 'refused', code: e.code, message: e.message });
    return;
  }
  let batch: FileRow[] = [];
  let done = 0;
  for (const row of sheet.rows) {
    batch.push(row);
    done++;
    if (batch.length === BATCH_ROWS) {
      await turn();
      send({ type: 'rows', rows: batch, bytes: Math.round((job.size * done) / sheet.total) });
      batch = [];
    }
  }
  await turn();
  if (batch.length) {
    send({ type: 'rows', rows: batch, bytes: job.size });
    await turn();
  }
  send({ type: 'end' });
}

// A rejection here is an unexpected error: the Worker's 'error' event carries it to the import, which retries.
if (parentPort) {
  await main(parentPort, workerData as WorkbookJob);
  parentPort.close();
}
