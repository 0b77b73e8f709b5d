import { readFile } from 'node:fs/promises';
import * as XLSX from '@e965/xlsx';
import { UnrecoverableImportError } from '@ledgerport/core';
import type { FileRow } from './csv-rows.js';
import { zipUncompressedSize } from './file-type.js';
import { isDateFormat, serialToIso } from './workbook-cells.js';
import type { WorkbookLimits } from './workbook-rows.js';

export interface Sheet {
  /** rows of the sheet's range, blank ones included, so a row's index gives the fraction read */
  total: number;
  rows: Generator<FileRow>;
}

/**
 * The first sheet of an XLS (or an HTML/XML "Excel" export, or a zip workbook the streaming reader
 * in xlsx-stream.ts does not handle, such as XLSB) as rows of strings: dates as ISO YYYY-MM-DD,
 * numbers as plain decimals, text as is. SheetJS reads a workbook whole, so its size, uncompressed
 * size and cell count are checked first and refused with a message over the limits. It runs in the
 * workbook thread (workbook-thread.ts), whose heap bounds what the reading itself takes.
 */
export async function readSheet(path: string, size: number, limits: WorkbookLimits): Promise<Sheet> {
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
    wb = XLSX.read(buf, {
      type: 'buffer',
      dense: true,
      cellNF: true,
      cellDates: false,
      cellHTML: false,
      cellStyles: false,
      cellText: false,
      sheetStubs: false,
    });
  } catch (e) {
    throw new UnrecoverableImportError(
      'unreadable_workbook',
      'This spreadsheet could not be opened; it may be damaged or password-protected. Export it again, or save it as CSV.',
      { cause: e },
    );
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
  return {
    total: range.e.r - range.s.r + 1,
    rows: (function* () {
      for (let r = range.s.r; r <= range.e.r; r++) {
        const row = data[r] ?? [];
        const out: string[] = [];
        for (let c = range.s.c; c <= range.e.c; c++) out.push(cellText(row[c], date1904));
        yield { line: r + 1, cells: out };
      }
    })(),
  };
}

function cellText(cell: XLSX.CellObject | undefined, date1904: boolean): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  switch (cell.t) {
    case 'n':
      return typeof cell.z === 'string' && isDateFormat(cell.z)
        ? serialToIso(Number(cell.v), date1904)
        : String(cell.v);
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

export function mb(n: number): string {
  return `${Math.round(n / 1024 / 1024)} MB`;
}
