import { UnrecoverableImportError, coerceError } from '@ledgerport/core';
import type { FileRow } from './csv-rows.js';
import type { ByteCounter } from './file-source.js';
import { serialToIso } from './workbook-cells.js';
import type { WorkbookLimits } from './workbook-rows.js';
import { XmlScanner, attr, attrs, cellString, type XmlEvents } from './xml-scan.js';
import { dateStyles, locateParts, readSharedStrings, type SharedStrings } from './xlsx-parts.js';
import { XlsxZip, mb } from './xlsx-zip.js';

const UNREADABLE =
  'This spreadsheet could not be opened; it may be damaged or password-protected. Export it again, or save it as CSV.';

/**
 * Rows of the first sheet of an XLSX, streamed: the sheet is inflated and scanned as it is read, so
 * memory holds the shared strings and a few rows, not the workbook. Cells come out as the SheetJS
 * path (workbook-rows.ts) makes them: dates as ISO YYYY-MM-DD, numbers as plain decimals, text as is,
 * every row as wide as the sheet's dimension, missing cells ''. Null when the zip is a spreadsheet
 * this reader does not handle (XLSB, OpenDocument): the caller reads those with SheetJS.
 */
export async function xlsxRows(
  path: string,
  size: number,
  limits: WorkbookLimits,
  counter: ByteCounter,
): Promise<AsyncIterable<FileRow> | null> {
  if (size > limits.maxBytes) {
    throw new UnrecoverableImportError(
      'workbook_too_large',
      `This spreadsheet is ${mb(size)}; spreadsheets over ${mb(limits.maxBytes)} cannot be imported. Save the report as CSV instead (it has no such limit).`,
    );
  }
  let zip: XlsxZip;
  try {
    zip = await XlsxZip.open(path, limits.maxUncompressedBytes);
  } catch (e) {
    throw importError(e);
  }
  try {
    const declared = zip.declaredSize();
    if (declared > limits.maxUncompressedBytes) {
      throw new UnrecoverableImportError(
        'workbook_too_large',
        `This spreadsheet unpacks to ${mb(declared)}, over the ${mb(limits.maxUncompressedBytes)} limit. Save the report as CSV instead.`,
      );
    }
    const parts = await locateParts(zip);
    if (!parts) {
      zip.close();
      return null;
    }
    const stylesXml = parts.styles ? await zip.text(parts.styles) : null;
    const dates = stylesXml === null ? [] : dateStyles(stylesXml);
    // Progress is the share of the big parts' compressed bytes read, scaled to the file's size.
    const sstPart = parts.sharedStrings !== null && zip.has(parts.sharedStrings) ? parts.sharedStrings : null;
    const total = zip.compressedSize(parts.sheet) + (sstPart ? zip.compressedSize(sstPart) : 0);
    let consumed = 0;
    const onCompressed = (n: number) => {
      consumed += n;
      counter.bytes = total > 0 ? Math.min(size, Math.round((size * consumed) / total)) : 0;
    };
    const strings = sstPart ? await readSharedStrings(zip, sstPart, limits.maxSharedStringChars, onCompressed) : null;
    const sheet = new SheetRows({ strings, dates, date1904: parts.date1904, maxCells: limits.maxCells });
    const rows = (async function* () {
      try {
        for await (const chunk of zip.chunks(parts.sheet, onCompressed)) {
          sheet.feed(chunk);
          yield* sheet.take();
          if (sheet.done) break;
        }
        sheet.finish();
        yield* sheet.take();
      } catch (e) {
        throw importError(e);
      } finally {
        zip.close();
      }
    })();
    abandoned.register(rows, zip);
    return rows;
  } catch (e) {
    zip.close();
    throw importError(e);
  }
}

// A caller that stops reading early without calling return() (a layout refused after the first
// rows) leaves the generator suspended and the zip's file open; closing it once the generator is
// garbage is the safety net. Closing twice is harmless.
const abandoned = new FinalizationRegistry<XlsxZip>((zip) => zip.close());

/** A file's own faults become a message for staff; a failing disk stays an error worth retrying. */
function importError(e: unknown): Error {
  const err = coerceError(e);
  if (err instanceof UnrecoverableImportError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return err;
  return new UnrecoverableImportError('unreadable_workbook', UNREADABLE, { cause: err });
}

interface Range {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

/** "A1:H25" → zero-based corners, or null unless it is a range SheetJS would take from `<dimension>`. */
function decodeRange(ref: string): Range | null {
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(ref);
  if (!m) return null;
  const r = { c0: colIndex(m[1] ?? ''), r0: Number(m[2]) - 1, c1: colIndex(m[3] ?? ''), r1: Number(m[4]) - 1 };
  return r.r0 <= r.r1 && r.c0 <= r.c1 && r.r0 >= 0 && r.c0 >= 0 ? r : null;
}

/** Column of a cell reference ("AB12" → 27); letters only, as SheetJS reads them; -1 for none. */
function colIndex(ref: string): number {
  let idx = 0;
  for (let i = 0; i < ref.length; i++) {
    const cc = ref.charCodeAt(i) - 64;
    if (cc < 1 || cc > 26) break;
    idx = 26 * idx + cc;
  }
  return idx - 1;
}

const CELL_ATTRS = ['r', 't', 's'] as const;

interface SheetContext {
  strings: SharedStrings | null;
  /** per cell style: is its number format a date */
  dates: boolean[];
  date1904: boolean;
  maxCells: number;
}

/**
 * The worksheet's `<sheetData>` turned into rows. SheetJS (and so this reader) takes the sheet's
 * extent from `<dimension ref="A1:K25">`: rows start at its first column and are as wide as it, and
 * rows it spans that the file leaves out come out blank. Without a dimension rows start at column A
 * and end at their last cell. Cells beyond a too-small dimension are kept here (SheetJS drops them),
 * and two SheetJS slips are not copied: it decodes the entities of `t="str"` text twice, and reads
 * the first cell with an implicit locale date format (ids 27–36, 50–58) as a plain number.
 */
class SheetRows implements XmlEvents {
  private readonly scanner = new XmlScanner(this);
  private out: FileRow[] = [];
  private dim: Range | null = null;
  private inData = false;
  private origin = 0;
  private width = 0;
  private nextLine = 0;
  private rowLine = 0;
  private cells: string[] | null = null;
  private col = -1;
  private anyCell = false;
  private cellCount = 0;
  private finished = false;
  // the cell being read
  private inCell = false;
  private type: string | undefined;
  private style: string | undefined;
  private v: string | undefined;
  private inV = false;
  private inline: string | undefined;
  private inT = false;
  private phonetic = 0;
  private readonly isoDays = new Map<number, string>();
  private readonly cellAttrs: Array<string | undefined> = [undefined, undefined, undefined];

  constructor(private readonly ctx: SheetContext) {}

  get done(): boolean {
    return this.scanner.done;
  }

  feed(chunk: string): void {
    this.scanner.feed(chunk);
  }

  take(): FileRow[] {
    const rows = this.out;
    this.out = [];
    return rows;
  }

  open(name: string, tag: string): void {
    if (!this.inData) {
      if (name === 'dimension' && !this.dim) this.setDimension(attr(tag, 'ref') ?? '');
      else if (name === 'sheetData') this.inData = true;
      return;
    }
    switch (name) {
      case 'row': {
        const r = parseInt(attr(tag, 'r') ?? '', 10);
        const line = Number.isFinite(r) ? r : this.rowLine + 1;
        if (this.nextLine === 0) this.nextLine = this.dim ? Math.min(this.dim.r0 + 1, line) : line;
        if (line < this.nextLine) throw new Error(`row ${line} after row ${this.nextLine - 1}`);
        while (this.nextLine < line) this.emit(this.nextLine, []);
        this.rowLine = line;
        this.cells = [];
        this.col = -1;
        break;
      }
      case 'c': {
        if (!this.cells) return;
        attrs(tag, CELL_ATTRS, this.cellAttrs);
        const [ref, type, style] = this.cellAttrs;
        this.col = ref === undefined ? this.col + 1 : colIndex(ref);
        this.inCell = true;
        this.type = type;
        this.style = style;
        this.v = undefined;
        this.inline = undefined;
        break;
      }
      case 'v':
        if (this.inCell) {
          this.inV = true;
          this.v = '';
          this.scanner.capture = true;
        }
        break;
      case 'is':
        if (this.inCell) this.inline = '';
        break;
      case 'rPh':
        this.phonetic++;
        break;
      case 't':
        if (this.inline !== undefined && this.phonetic === 0) {
          this.inT = true;
          this.scanner.capture = true;
        }
        break;
    }
  }

  close(name: string): void {
    switch (name) {
      case 'v':
        this.inV = false;
        this.scanner.capture = false;
        break;
      case 't':
        this.inT = false;
        this.scanner.capture = false;
        break;
      case 'rPh':
        this.phonetic--;
        break;
      case 'c':
        if (this.inCell) this.endCell();
        break;
      case 'row':
        if (this.cells) this.emit(this.rowLine, this.cells);
        this.cells = null;
        break;
      case 'sheetData':
        if (this.inData) {
          this.finish();
          this.scanner.stop();
        }
        break;
    }
  }

  text(s: string): void {
    if (this.inV) this.v += s;
    else if (this.inT) this.inline += s;
  }

  /** After the last row: the blank rows a dimension still spans; a sheet with no cell at all is empty. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.dim) {
      if (this.nextLine === 0) this.nextLine = this.dim.r0 + 1;
      while (this.nextLine <= this.dim.r1 + 1) this.emit(this.nextLine, []);
    } else if (!this.anyCell) throw new UnrecoverableImportError('empty_file', 'The spreadsheet has no rows.');
  }

  private setDimension(ref: string): void {
    this.dim = decodeRange(ref);
    if (!this.dim) return;
    this.origin = this.dim.c0;
    this.width = this.dim.c1 - this.dim.c0 + 1;
    const cells = (this.dim.r1 - this.dim.r0 + 1) * this.width;
    if (cells > this.ctx.maxCells) {
      throw new UnrecoverableImportError(
        'workbook_too_large',
        `This spreadsheet has ${cells.toLocaleString('en-US')} cells, over the ${this.ctx.maxCells.toLocaleString('en-US')}-cell limit. Save the report as CSV instead.`,
      );
    }
  }

  private emit(line: number, cells: string[]): void {
    for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = '';
    while (cells.length < this.width) cells.push('');
    this.cellCount += Math.max(cells.length, 1);
    if (this.cellCount > this.ctx.maxCells) {
      throw new UnrecoverableImportError(
        'workbook_too_large',
        `This spreadsheet has more than ${this.ctx.maxCells.toLocaleString('en-US')} cells, over the ${this.ctx.maxCells.toLocaleString('en-US')}-cell limit. Save the report as CSV instead.`,
      );
    }
    this.out.push({ line, cells });
    this.nextLine = line + 1;
  }

  private endCell(): void {
    this.inCell = false;
    const value = this.value();
    const i = this.col - this.origin;
    if (value === undefined || i < 0 || !this.cells) return;
    this.cells[i] = value;
    this.anyCell = true;
  }

  /** The cell as text, following SheetJS's reading of each cell type; undefined for no cell. */
  private value(): string | undefined {
    const v = this.v === '' ? undefined : this.v;
    if (this.type === undefined && v === undefined) return undefined;
    switch (this.type ?? 'n') {
      case 'n':
        return v === undefined ? undefined : this.numberText(parseFloat(v));
      case 's': {
        if (v === undefined) return undefined;
        const s = this.ctx.strings?.get(parseInt(v, 10));
        if (s === undefined) throw new Error(`shared string ${v} is missing`);
        return s;
      }
      case 'str':
        return v === undefined ? '' : cellString(v);
      case 'inlineStr':
        return this.inline === undefined ? '' : cellString(this.inline);
      case 'b':
        return v === '1' || v === 'true' ? 'TRUE' : 'FALSE';
      case 'd':
        return v === undefined ? undefined : this.numberText(isoToSerial(v, this.ctx.date1904));
      case 'e':
      case 'z':
        return '';
      default:
        return v ?? '';
    }
  }

  private numberText(n: number): string {
    const s = this.style === undefined ? NaN : Number(this.style);
    if (this.ctx.dates[s] !== true || !Number.isFinite(n)) return String(n);
    // A report repeats a few thousand dates (services, births) over its rows.
    const day = Math.floor(n);
    let iso = this.isoDays.get(day);
    if (iso === undefined) {
      try {
        iso = serialToIso(day, this.ctx.date1904);
      } catch {
        // a serial past year 275760 is no date; it reads as the number it is
        return String(n);
      }
      if (this.isoDays.size >= 50_000) this.isoDays.clear();
      this.isoDays.set(day, iso);
    }
    return iso;
  }
}

const DAY_MS = 86_400_000;

/** A `t="d"` cell's ISO text as the Excel serial SheetJS turns it into (parseDate, then datenum). */
function isoToSerial(s: string, date1904: boolean): number {
  let ms: number;
  let m = /^(\d+):(\d+)(:\d+)?(\.\d+)?$/.exec(s);
  if (m) {
    const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 31);
    ms =
      base +
      ((Number(m[1]) * 60 + Number(m[2])) * 60 + (m[3] ? Number(m[3].slice(1)) : 0)) * 1000 +
      (m[4] ? parseInt((m[4] + '000').slice(1, 4), 10) : 0);
  } else if ((m = /^(\d+)-(\d+)-(\d+)$/.exec(s))) {
    ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  } else if ((m = /^(\d+)-(\d+)-(\d+)[T ](\d+):(\d+)(:\d+)?(\.\d+)?$/.exec(s))) {
    const sec = m[6] ? parseInt(m[6].slice(1), 10) : 0;
    const milli = m[7] ? parseInt((m[7] + '0000').slice(1, 4), 10) : 0;
    ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), sec, milli);
  } else ms = new Date(s).getTime();
  let serial = (ms - Date.UTC(1899, 11, 30)) / DAY_MS;
  if (date1904) {
    serial -= 1462;
    return serial < -1402 ? serial - 1 : serial;
  }
  return serial < 60 ? serial - 1 : serial;
}
