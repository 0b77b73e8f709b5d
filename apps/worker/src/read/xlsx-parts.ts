import { UnrecoverableImportError } from '@ledgerport/core';
import { XmlScanner, attr, cellString } from './xml-scan.js';
import { isDateFormat } from './workbook-cells.js';
import type { XlsxZip } from './xlsx-zip.js';

/** Where the parts of a workbook are, found the way SheetJS finds them so both read the same sheet. */
export interface WorkbookParts {
  sheet: string;
  sharedStrings: string | null;
  styles: string | null;
  date1904: boolean;
}

const WORKBOOK_TYPES = new Set([
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
  'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
  'application/vnd.ms-excel.addin.macroEnabled.main+xml',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml',
  'application/vnd.ms-excel.template.macroEnabled.main+xml',
  'application/vnd.ms-excel.sheet.binary.macroEnabled.main',
]);
const SST_TYPES = new Set([
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml',
  'application/vnd.ms-excel.sharedStrings',
]);
const STYLES_TYPES = new Set([
  'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml',
  'application/vnd.ms-excel.styles',
]);

/** Runs a whole small part through the scanner, calling onOpen for every start tag. */
function eachTag(xml: string, onOpen: (name: string, tag: string) => void): void {
  new XmlScanner({ open: onOpen, close: () => undefined, text: () => undefined }).feed(xml);
}

/**
 * The first sheet in workbook order, the shared strings, the styles and the date system. Null when
 * the zip is a spreadsheet this reader does not stream (XLSB, OpenDocument, Numbers, a chart sheet
 * first): those go to SheetJS, within its limits.
 */
export async function locateParts(zip: XlsxZip): Promise<WorkbookParts | null> {
  if (zip.has('META-INF/manifest.xml') || zip.has('objectdata.xml') || zip.has('Index/Document.iwa')) return null;
  const types = await zip.text('[Content_Types].xml');
  if (types === null) return null;
  let workbook: string | null = null;
  let sharedStrings: string | null = null;
  let styles: string | null = null;
  eachTag(types, (name, tag) => {
    if (name !== 'Override') return;
    const type = attr(tag, 'ContentType') ?? '';
    const part = (attr(tag, 'PartName') ?? '').replace(/^\//, '');
    if (WORKBOOK_TYPES.has(type)) workbook ??= part;
    else if (SST_TYPES.has(type)) sharedStrings ??= part;
    else if (STYLES_TYPES.has(type)) styles ??= part;
  });
  workbook ??= zip.has('xl/workbook.xml') ? 'xl/workbook.xml' : null;
  if (workbook === null || workbook.endsWith('.bin')) return null;
  const wbXml = await zip.text(workbook);
  if (wbXml === null) return null;

  let date1904 = false;
  let sheetRelId: string | null = null;
  let sheets = 0;
  eachTag(wbXml, (name, tag) => {
    if (name === 'workbookPr') date1904 = ['1', 'true'].includes(attr(tag, 'date1904') ?? '');
    else if (name === 'sheet' && sheets++ === 0) sheetRelId = attr(tag, 'id') ?? null;
  });
  if (sheets === 0) throw new UnrecoverableImportError('empty_file', 'The spreadsheet has no rows.');

  const slash = workbook.lastIndexOf('/');
  let relsPath = `${workbook.slice(0, slash + 1)}_rels/${workbook.slice(slash + 1)}.rels`;
  if (!zip.has(relsPath)) relsPath = 'xl/_rels/workbook.xml.rels';
  const relsXml = await zip.text(relsPath);
  let rel: { target: string; type: string } | null = null;
  if (relsXml !== null && sheetRelId !== null) {
    eachTag(relsXml, (name, tag) => {
      if (name === 'Relationship' && rel === null && attr(tag, 'Id') === sheetRelId)
        rel = { target: attr(tag, 'Target') ?? '', type: attr(tag, 'Type') ?? '' };
    });
  }
  let sheet: string;
  if (rel === null) {
    sheet = zip.has('xl/worksheets/sheet.xml') ? 'xl/worksheets/sheet.xml' : 'xl/worksheets/sheet1.xml';
  } else {
    const { target, type } = rel as { target: string; type: string };
    if (type !== '' && !type.endsWith('/worksheet')) return null;
    sheet = `xl/${target.replace(/[/]?xl\//, '')}`;
    if (!zip.has(sheet)) sheet = target;
    if (!zip.has(sheet)) sheet = relsPath.replace(/_rels\/[\s\S]*$/, '') + target;
  }
  if (!zip.has(sheet)) throw new UnrecoverableImportError('empty_file', 'The spreadsheet has no rows.');
  return { sheet, sharedStrings, styles, date1904 };
}

// Built-in number formats that are dates or times: Excel's table and the ids it maps onto them
// (27–36, 50–58 and 71–81 are locale date formats), as SheetJS's SSF table and SSFImplicit have them.
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56,
  57, 58, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81,
]);

/**
 * For each cell style (cellXfs index), whether its number format is a date: a number shown as a date
 * is read as an ISO date, exactly as the SheetJS path reads it.
 */
export function dateStyles(stylesXml: string): boolean[] {
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  new XmlScanner({
    open(name, tag) {
      if (name === 'numFmt') {
        const id = parseInt(attr(tag, 'numFmtId') ?? '', 10);
        if (id > 0) custom.set(id, attr(tag, 'formatCode') ?? '');
      } else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) xfFormats.push(parseInt(attr(tag, 'numFmtId') ?? '0', 10) || 0);
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text: () => undefined,
  }).feed(stylesXml);
  return xfFormats.map((id) => {
    const f = custom.get(id);
    return f !== undefined ? isDateFormat(f) : BUILTIN_DATE_FORMATS.has(id);
  });
}

// Strings are kept joined in blocks with their offsets: a string of its own costs V8 some 30 bytes
// besides its characters, which for a million short names would be most of the memory.
const BLOCK_BITS = 12;
const BLOCK = 1 << BLOCK_BITS;

/** The shared-string table, compact, refused past maxChars characters (it is held whole). */
export class SharedStrings {
  private readonly blocks: string[] = [];
  private readonly offsets: Uint32Array[] = [];
  private pending: string[] = [];
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  get length(): number {
    return this.blocks.length * BLOCK + this.pending.length;
  }

  push(s: string): void {
    this.chars += s.length + 1;
    if (this.chars > this.maxChars) {
      throw new UnrecoverableImportError(
        'workbook_too_large',
        `This spreadsheet holds more than ${this.maxChars.toLocaleString('en-US')} characters of text, over the limit for a workbook. Save the report as CSV instead.`,
      );
    }
    this.pending.push(s);
    if (this.pending.length === BLOCK) this.seal();
  }

  /** Joins what is pending into a block; call once the table is complete. */
  seal(): void {
    if (!this.pending.length) return;
    const off = new Uint32Array(this.pending.length + 1);
    for (let i = 0; i < this.pending.length; i++) off[i + 1] = (off[i] ?? 0) + (this.pending[i] ?? '').length;
    this.blocks.push(this.pending.join(''));
    this.offsets.push(off);
    this.pending = [];
  }

  get(i: number): string | undefined {
    if (!Number.isInteger(i) || i < 0) return undefined;
    const b = i >>> BLOCK_BITS;
    const block = this.blocks[b];
    if (block === undefined) return this.pending[i - this.blocks.length * BLOCK];
    const off = this.offsets[b];
    const j = i & (BLOCK - 1);
    if (!off || j + 1 >= off.length) return undefined;
    return block.slice(off[j], off[j + 1]);
  }
}

/**
 * Streams sharedStrings.xml into a SharedStrings. An item's text is its `<t>` elements joined, leaving
 * out phonetic runs (`<rPh>`), as SheetJS reads rich text.
 */
export async function readSharedStrings(
  zip: XlsxZip,
  part: string,
  maxChars: number,
  onCompressed: (n: number) => void,
): Promise<SharedStrings> {
  const table = new SharedStrings(maxChars);
  let inSi = false;
  let inRph = 0;
  let cur = '';
  const scanner: XmlScanner = new XmlScanner({
    open(name) {
      if (name === 'si') {
        inSi = true;
        inRph = 0;
        cur = '';
      } else if (name === 'rPh') inRph++;
      else if (name === 't' && inSi && !inRph) scanner.capture = true;
    },
    close(name) {
      if (name === 't') scanner.capture = false;
      else if (name === 'rPh') inRph--;
      else if (name === 'si' && inSi) {
        inSi = false;
        table.push(cellString(cur));
      }
    },
    text(s) {
      cur += s;
    },
  });
  for await (const chunk of zip.chunks(part, onCompressed)) scanner.feed(chunk);
  table.seal();
  return table;
}
