import { readFile } from 'node:fs/promises';
import * as XLSX from '@e965/xlsx';
import { UnrecoverableImportError } from '@ledgerport/core';
import type { ByteCounter } from './file-source.js';
import { zipUncompressedSize } from './file-type.js';
import type { FileRow } from './csv-rows.js';

export interface WorkbookLimits {
  maxBytes: number;
  maxCells: number;
  maxUncompressedBytes: number;
  /** text an XLSX's shared-string table may hold: the one part of a streamed XLSX kept whole */
  maxSharedStringChars: number;
}

/**
 * Rows of the first sheet of an XLS (or an HTML/XML "Excel" export, or a zip workbook the streaming
 * reader in xlsx-stream.ts does not handle, such as XLSB) as strings: dates as ISO YYYY-MM-DD, numbers
 * as plain decimals, text as is. SheetJS reads a workbook whole, so its size, its uncompressed size
 * and its cell count are checked first and refused with a message over the limits.
 */
export async function workbookRows(path: string, size: number, limits: WorkbookLimits, counter: ByteCounter): Promise<AsyncIterable<FileRow>> {
  if (size > limits.maxBytes) {
    throw new UnrecoverableImportError(
      'workbook_too_large',
      `This spreadsheet is ${mb(size)}; spreadsheets over ${mb(limits.maxBytes)} cannot be imported. Save the report as CSV instead (it has no such limit).`,
    );
  }
  const buf = await readFile(path);
  const unzipped = buf[0] === 0x50 ? zipUncompressedSize(buf) : null;
  if (unzipped !== null && unzipped > limits.maxUncompressedBytes) {
    throw new UnrecoverableImportError(
      'workbook_too_large',
      `This spreadsheet unpacks to ${mb(unzipped)}, over the ${mb(limits.maxUncompressedBytes)} limit. Save the report as CSV instead.`,
    );
  }
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(buf, { type: 'buffer', dense: true, cellNF: true, cellDates: false, cellHTML: false, cellStyles: false, sheetStubs: false });
  } catch (e) {
    throw new UnrecoverableImportError('unreadable_workbook', 'This spreadsheet could not be opened; it may be damaged or password-protected. Export it again, or save it as CSV.', {
      cause: e,
    });
  }
  const sheetName = wb.SheetNames[0];
  const ws = sheetName ? wb.Sheets[sheetName] : undefined;
  if (!ws?.['!ref']) throw new UnrecoverableImportError('empty_file', 'The spreadsheet has no rows.');
  const range = XLSX.utils.decode_range(ws['!ref']);
  const cells = (range.e.r - range.s.r + 1) * (range.e.c - range.s.c + 1);
  if (cells > limits.maxCells) {
    throw new UnrecoverableImportError(
      'workbook_too_large',
      `This spreadsheet has ${cells.toLocaleString('en-US')} cells, over the ${limits.maxCells.toLocaleString('en-US')}-cell limit. Save the report as CSV instead.`,
    );
  }
  const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
  const data = (ws['!data'] ?? []) as Array<Array<XLSX.CellObject | undefined> | undefined>;
  const total = range.e.r - range.s.r + 1;
  // eslint-disable-next-line @typescript-eslint/require-await -- the rows are in memory; the row source is async because CSV and XLSX stream
  return (async function* () {
    for (let r = range.s.r; r <= range.e.r; r++) {
      const row = data[r] ?? [];
      const out: string[] = [];
      for (let c = range.s.c; c <= range.e.c; c++) out.push(cellText(row[c], date1904));
      counter.bytes = Math.round((size * (r - range.s.r + 1)) / total);
      yield { line: r + 1, cells: out };
    }
  })();
}

function cellText(cell: XLSX.CellObject | undefined, date1904: boolean): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  switch (cell.t) {
    case 'n':
      return typeof cell.z === 'string' && isDateFormat(cell.z) ? serialToIso(Number(cell.v), date1904) : String(cell.v);
    case 'd':
      return cell.v instanceof Date ? cell.v.toISOString().slice(0, 10) : String(cell.v);
    case 'b':
      return cell.v ? 'TRUE' : 'FALSE';
    case 'e':
    case 'z':
      return '';
    default:
      return String(cell.v);
  }
}

// @e965/xlsx types its SSF formatter as any.
const ssf = XLSX.SSF as { is_date(format: string): boolean };

/** Whether a number format shows a date or time (SheetJS's own test, shared by both XLSX readers). */
export function isDateFormat(format: string): boolean {
  return ssf.is_date(format);
}

/** Excel serial day → ISO date; 1900 system with its phantom 29 Feb 1900, or the 1904 system. */
export function serialToIso(serial: number, date1904: boolean): string {
  const days = Math.floor(serial);
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 31);
  const offset = date1904 ? days : days >= 60 ? days - 1 : days;
  return new Date(epoch + offset * 86400_000).toISOString().slice(0, 10);
}

function mb(n: number): string {
  return `${Math.round(n / 1024 / 1024)} MB`;
}
