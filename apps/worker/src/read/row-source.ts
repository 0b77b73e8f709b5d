import path from 'node:path';
import { UnrecoverableImportError } from '@ledgerport/core';
import { LocalUploadStore, type UploadStore } from '@ledgerport/storage';
import { csvRows, sniffDelimiter, type FileRow } from './csv-rows.js';
import { encodingOf, openText, type ByteCounter, type TextEncoding } from './file-source.js';
import { containerOf } from './file-type.js';
import { workbookRows, type WorkbookLimits } from './workbook-rows.js';
import { xlsxRows } from './xlsx-stream.js';

export type { FileRow };

export interface RowSource {
  fileType: 'csv' | 'xls' | 'xlsx';
  /** what the bytes really are, when it differs from fileType (an HTML table saved as .xls) */
  container: string;
  encoding: TextEncoding | null;
  /** the CSV delimiter; a semicolon often comes with decimal commas (European Excel settings) */
  delimiter: string | null;
  rows: AsyncIterable<FileRow>;
  /** raw bytes of the file consumed so far, for progress */
  counter: ByteCounter;
}

/** How much of the start of a file decides its container (4 KiB) and text encoding (64 KiB). */
const HEAD_BYTES = 65_536;
const CONTAINER_BYTES = 4_096;

async function readHead(store: UploadStore, key: string, size: number): Promise<Buffer> {
  if (size <= 0) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for await (const chunk of await store.read(key, { start: 0, end: Math.min(size, HEAD_BYTES) - 1 }))
    parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** Hands back the local copy once the rows are all read, or the reading stopped. */
async function* releasing(rows: AsyncIterable<FileRow>, release: () => Promise<void>) {
  try {
    yield* rows;
  } finally {
    await release();
  }
}

/** The rows of a file on this machine (tests, the benchmark): the same reader as a stored upload's. */
export function openRows(filePath: string, size: number, limits: WorkbookLimits): Promise<RowSource> {
  return openStoredRows(new LocalUploadStore(path.dirname(filePath)), path.basename(filePath), size, limits);
}

/**
 * The stored upload's rows, whatever its container: the rest of the pipeline only sees rows of
 * strings. A CSV streams from the store; a workbook needs random access to its zip (or is read
 * whole), so it is read from a local copy (the local store's own file, or an object downloaded to a
 * temporary file), released when its rows are done.
 */
export async function openStoredRows(store: UploadStore, key: string, size: number, limits: WorkbookLimits): Promise<RowSource> {
  const headBytes = await readHead(store, key, size);
  const container = containerOf(headBytes.subarray(0, CONTAINER_BYTES));
  const counter: ByteCounter = { bytes: 0 };
  const fromLocalCopy = async (fileType: 'xls' | 'xlsx', read: (file: string) => Promise<AsyncIterable<FileRow>>) => {
    const copy = await store.localCopy(key);
    try {
      const rows = releasing(await read(copy.path), () => copy.release());
      return { fileType, container, encoding: null, delimiter: null, counter, rows };
    } catch (e) {
      await copy.release();
      throw e;
    }
  };
  switch (container) {
    case 'csv': {
      const { encoding, head } = encodingOf(headBytes);
      const delimiter = sniffDelimiter(head);
      // Progress counts bytes as rows come out of the parser (see csvRows), not as the file is read.
      const read: ByteCounter = { bytes: 0 };
      const bytesPerChar = encoding === 'utf-16le' || encoding === 'utf-16be' ? 2 : 1;
      const text = openText(await store.read(key), encoding, read);
      // No generator around csvRows: each one a row passes through costs a promise and a microtask.
      const rows = csvRows(text, delimiter, counter, bytesPerChar, read);
      return { fileType: 'csv', container, encoding, delimiter, counter, rows };
    }
    case 'xlsx':
      // Streamed, so a 200,000-row export fits the worker's memory; XLSB and OpenDocument zips fall
      // back to SheetJS, which reads them whole within the workbook limits.
      return fromLocalCopy(
        'xlsx',
        async (file) => (await xlsxRows(file, size, limits, counter)) ?? (await workbookRows(file, size, limits, counter)),
      );
    case 'xls':
    case 'html':
    case 'xml':
      // BIFF8 holds at most 65,536 rows, so reading it whole (in the workbook thread) stays within
      // bounds. Several PM systems save an HTML table or Excel 2003 XML under an .xls name; Excel
      // opens them, and so do we: as the spreadsheet they pretend to be.
      return fromLocalCopy('xls', (file) => workbookRows(file, size, limits, counter));
    case 'pdf':
      throw new UnrecoverableImportError(
        'not_a_spreadsheet',
        'This file is a PDF. Export the report from your practice-management system as Excel or CSV instead.',
      );
    case 'binary':
      throw new UnrecoverableImportError(
        'not_a_spreadsheet',
        'This file is neither a CSV nor an Excel workbook, so it cannot be read. Export the report as Excel or CSV and upload that file.',
      );
  }
}
