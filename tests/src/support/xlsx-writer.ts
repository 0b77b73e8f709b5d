// A minimal XLSX writer that streams: rows go through the zip writer as they are made, so a file of
// any size is written without holding its sheet in memory. Strings are shared strings and dates
// are date-formatted serial numbers, as Excel saves them.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

/** A cell: text (a shared string), a number, a date (ISO, written as an Excel serial) or nothing. */
export type XlsxCell = string | number | { date: string } | null;

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

const STATIC_PARTS: Record<string, string> = {
  '[Content_Types].xml':
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
    `<Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="${CT}.worksheet+xml"/>` +
    `<Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="${CT}.sharedStrings+xml"/></Types>`,
  '_rels/.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  'xl/_rels/workbook.xml.rels':
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
    `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  // cellXfs: 0 General, 1 a date (mm/dd/yyyy), 2 money (#,##0.00)
  'xl/styles.xml':
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="mm/dd/yyyy"/></numFmts>` +
    `<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
    `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
    `<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
    `<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
};

// Excel de-duplicates every string; holding them all would hold the file's text, so only the first
// this many distinct strings (headers, payers, statuses) are shared and later ones each get their own.
const SHARED_CAP = 10_000;

/** Same answers in the same order on both passes: the sheet's indexes and the table agree. */
class StringIndex {
  private readonly known = new Map<string, number>();
  private next = 0;

  index(s: string): { i: number; fresh: boolean } {
    const hit = this.known.get(s);
    if (hit !== undefined) return { i: hit, fresh: false };
    const i = this.next++;
    if (this.known.size < SHARED_CAP) this.known.set(s, i);
    return { i, fresh: true };
  }
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function colName(c: number): string {
  let s = '';
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const serial = (iso: string, date1904: boolean) =>
  (Date.parse(`${iso}T00:00:00Z`) - (date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30))) / 86_400_000;

/** Joins small strings into chunks of about 64 KiB, so the zip writer sees few, large writes. */
function* batched(parts: Iterable<string>): Generator<string> {
  let buf = '';
  for (const p of parts) {
    buf += p;
    if (buf.length >= 65_536) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

function* sheetXml(
  rows: () => Iterable<XlsxCell[]>,
  lines: number,
  width: number,
  date1904: boolean,
): Generator<string> {
  const cols = Array.from({ length: width }, (_, c) => colName(c));
  const strings = new StringIndex();
  yield `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><dimension ref="A1:${cols[width - 1] ?? 'A'}${lines}"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>`;
  let r = 0;
  for (const row of rows()) {
    r++;
    let x = `<row r="${r}" spans="1:${width}">`;
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (v === null || v === undefined || v === '') continue;
      const ref = `${cols[c] ?? colName(c)}${r}`;
      if (typeof v === 'string') x += `<c r="${ref}" t="s"><v>${strings.index(v).i}</v></c>`;
      else if (typeof v === 'number') x += `<c r="${ref}" s="${Number.isInteger(v) ? 0 : 2}"><v>${v}</v></c>`;
      else x += `<c r="${ref}" s="1"><v>${serial(v.date, date1904)}</v></c>`;
    }
    yield x + '</row>';
  }
  yield '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';
}

function* sharedStringsXml(rows: () => Iterable<XlsxCell[]>): Generator<string> {
  const strings = new StringIndex();
  yield `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${MAIN}">`;
  for (const row of rows()) {
    for (const v of row) {
      if (typeof v !== 'string' || v === '' || !strings.index(v).fresh) continue;
      yield /^\s|\s$/.test(v)
        ? `<si><t xml:space="preserve">${escapeXml(v)}</t></si>`
        : `<si><t>${escapeXml(v)}</t></si>`;
    }
  }
  yield '</sst>';
}

/**
 * Writes a one-sheet workbook. `rows` is called three times (to size the sheet, for the sheet, for
 * its shared strings) and must give the same rows each time.
 */
export async function writeXlsx(
  file: string,
  rows: () => Iterable<XlsxCell[]>,
  opts: { sheetName?: string; date1904?: boolean } = {},
): Promise<void> {
  let lines = 0;
  let width = 1;
  for (const row of rows()) {
    lines++;
    width = Math.max(width, row.length);
  }
  const zip = new yazl.ZipFile();
  const written = pipeline(zip.outputStream, createWriteStream(file));
  for (const [name, text] of Object.entries(STATIC_PARTS)) zip.addBuffer(Buffer.from(text), name);
  zip.addBuffer(
    Buffer.from(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${MAIN}" xmlns:r="${REL}"><workbookPr${opts.date1904 ? ' date1904="1"' : ''}/>` +
        `<sheets><sheet name="${escapeXml(opts.sheetName ?? 'Sheet1')}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    'xl/workbook.xml',
  );
  zip.addReadStream(
    Readable.from(batched(sheetXml(rows, lines, width, opts.date1904 ?? false))),
    'xl/worksheets/sheet1.xml',
    { compressionLevel: 1 },
  );
  zip.addReadStream(Readable.from(batched(sharedStringsXml(rows))), 'xl/sharedStrings.xml', { compressionLevel: 1 });
  zip.end();
  await written;
}
