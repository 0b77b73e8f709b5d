import { Worker } from 'node:worker_threads';
import { UnrecoverableImportError } from '@ledgerport/core';
import type { FileRow } from './csv-rows.js';
import type { ByteCounter } from './file-source.js';
import type { WorkbookJob, WorkbookMessage } from './workbook-thread.js';

export interface WorkbookLimits {
  maxBytes: number;
  maxCells: number;
  maxUncompressedBytes: number;
  /** text an XLSX's shared-string table may hold: the one part of a streamed XLSX kept whole */
  maxSharedStringChars: number;
  /** heap of the thread that reads a workbook whole (XLS, HTML/XML as .xls, XLSB, ODS), in MB */
  maxReaderHeapMb: number;
}

// Built JavaScript even when the caller runs from src (tests): a thread cannot run TypeScript.
const THREAD = new URL('../../dist/read/workbook-thread.js', import.meta.url);

/**
 * Rows of a workbook that SheetJS reads whole (workbook-sheet.ts). SheetJS takes about 500 bytes a
 * cell, so a full 65,536-row XLS needs some 400 MB: it reads in a thread of its own, whose heap is
 * capped at `maxReaderHeapMb`. A workbook that needs more is refused with a message instead of
 * taking the worker process (and the imports it is running) down, and the worker's own heap stays
 * small. Limit refusals surface here, before any row; the rows come a batch at a time.
 */
export async function workbookRows(
  path: string,
  size: number,
  limits: WorkbookLimits,
  counter: ByteCounter,
): Promise<AsyncIterable<FileRow>> {
  const job: WorkbookJob = { path, size, limits };
  const thread = new Worker(THREAD, {
    workerData: job,
    resourceLimits: { maxOldGenerationSizeMb: limits.maxReaderHeapMb },
  });
  const inbox: WorkbookMessage[] = [];
  let failure: unknown = null;
  let exited = false;
  let wake: (() => void) | null = null;
  thread.on('message', (m: WorkbookMessage) => {
    inbox.push(m);
    wake?.();
  });
  thread.on('error', (e) => {
    failure = e;
    wake?.();
  });
  thread.on('exit', () => {
    exited = true;
    wake?.();
  });
  const next = async (): Promise<WorkbookMessage> => {
    thread.postMessage('more');
    for (;;) {
      const m = inbox.shift();
      if (m) return m;
      if (failure) throw readerFailure(failure, limits);
      if (exited) throw new Error('the workbook reader stopped before the end of the sheet');
      await new Promise<void>((r) => (wake = r));
      wake = null;
    }
  };
  const stop = () => void thread.terminate();

  let first: WorkbookMessage;
  try {
    first = await next();
  } catch (e) {
    stop();
    throw e;
  }
  if (first.type === 'refused') {
    stop();
    throw new UnrecoverableImportError(first.code, first.message);
  }
  return (async function* () {
    try {
      for (let m: WorkbookMessage = first; m.type !== 'end'; m = await next()) {
        if (m.type === 'refused') throw new UnrecoverableImportError(m.code, m.message);
        yield* m.rows;
        counter.bytes = m.bytes;
      }
    } finally {
      stop();
    }
  })();
}

function readerFailure(e: unknown, limits: WorkbookLimits): Error {
  if ((e as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new UnrecoverableImportError(
      'workbook_too_large',
      `This spreadsheet is too large to open: reading it needs more than the ${limits.maxReaderHeapMb} MB of memory allowed for a spreadsheet. Save the report as CSV instead (it has no such limit).`,
      { cause: e },
    );
  }
  return e instanceof Error ? e : new Error(String(e));
}
