import { UnrecoverableImportError } from '@ledgerport/core';
import { csvRows, sniffDelimiter, type FileRow } from './csv-rows.js';
import { openText, sniffEncoding, type ByteCounter, type TextEncoding } from './file-source.js';
import { sniffContainer } from './file-type.js';
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

/**
 * The parser's count is approximate (quotes and CRs are not counted); once the last row is out, the
 * whole file has been read, so the count becomes exactly the bytes read and progress ends at 100 %.
 */
async function* exactAtEnd(rows: AsyncIterable<FileRow>, counter: ByteCounter, read: ByteCounter) {
  yield* rows;
  counter.bytes = read.bytes;
}

/** The file's rows, whatever its container: the rest of the pipeline only sees rows of strings. */
export async function openRows(filePath: string, size: number, limits: WorkbookLimits): Promise<RowSource> {
  const container = await sniffContainer(filePath);
  const counter: ByteCounter = { bytes: 0 };
  switch (container) {
    case 'csv': {
      const { encoding, head } = await sniffEncoding(filePath);
      const delimiter = sniffDelimiter(head);
      // Progress counts bytes as rows come out of the parser (see csvRows), not as the file is read.
      const read: ByteCounter = { bytes: 0 };
      const bytesPerChar = encoding === 'utf-16le' || encoding === 'utf-16be' ? 2 : 1;
      const rows = exactAtEnd(csvRows(openText(filePath, encoding, read), delimiter, counter, bytesPerChar), counter, read);
      return { fileType: 'csv', container, encoding, delimiter, counter, rows };
    }
    case 'xlsx': {
      // Streamed, so a 200,000-row export fits the worker's memory; XLSB and OpenDocument zips fall
      // back to SheetJS, which reads them whole within the workbook limits.
      const rows =
        (await xlsxRows(filePath, size, limits, counter)) ?? (await workbookRows(filePath, size, limits, counter));
      return { fileType: 'xlsx', container, encoding: null, delimiter: null, counter, rows };
    }
    case 'xls':
    case 'html':
    case 'xml':
      // BIFF8 holds at most 65,536 rows, so reading it whole (in the workbook thread) stays within
      // bounds. Several PM systems save an HTML table or Excel 2003 XML under an .xls name; Excel
      // opens them, and so do we: as the spreadsheet they pretend to be.
      return {
        fileType: 'xls',
        container,
        encoding: null,
        delimiter: null,
        counter,
        rows: await workbookRows(filePath, size, limits, counter),
      };
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
