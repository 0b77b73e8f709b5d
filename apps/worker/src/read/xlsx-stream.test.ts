import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as XLSX from '@e965/xlsx';
import yazl from 'yazl';
import type { FileRow } from './csv-rows.js';
import { openRows } from './row-source.js';
import { workbookRows, type WorkbookLimits } from './workbook-rows.js';
import { xlsxRows } from './xlsx-stream.js';

const LIMITS: WorkbookLimits = {
  maxBytes: 64 << 20,
  maxCells: 6_000_000,
  maxUncompressedBytes: 512 << 20,
  maxSharedStringChars: 32_000_000,
  maxReaderHeapMb: 640,
};
const ROOT = path.resolve(__dirname, '../../../..');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lp-xlsx-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let seq = 0;
async function file(bytes: Buffer, ext = 'xlsx'): Promise<string> {
  const p = path.join(dir, `f${++seq}.${ext}`);
  await writeFile(p, bytes);
  return p;
}

async function collect(rows: AsyncIterable<FileRow>): Promise<FileRow[]> {
  const out: FileRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

async function streamed(p: string, limits: WorkbookLimits = LIMITS, counter = { bytes: 0 }): Promise<FileRow[]> {
  const rows = await xlsxRows(p, (await stat(p)).size, limits, counter);
  if (!rows) throw new Error('not streamed');
  return collect(rows);
}

async function sheetjs(p: string): Promise<FileRow[]> {
  return collect(await workbookRows(p, (await stat(p)).size, LIMITS, { bytes: 0 }));
}

async function expectSameRows(p: string): Promise<FileRow[]> {
  const mine = await streamed(p);
  expect(mine).toEqual(await sheetjs(p));
  return mine;
}

async function zipOf(parts: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of Object.entries(parts))
    zip.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data), name);
  zip.end();
  const p = path.join(dir, `zip${++seq}.zip`);
  await pipeline(zip.outputStream, createWriteStream(p));
  return readFile(p);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

interface Handmade {
  sheetData: string;
  dimension?: string;
  strings?: string[];
  styles?: string;
  date1904?: boolean;
  /** element prefix for the sheet, as some writers use (`x:`) */
  prefix?: string;
}

/** A workbook written by hand, to reach the cell types and shapes writers produce. */
function handmade(h: Handmade): Promise<Buffer> {
  const x = h.prefix ?? '';
  const xmlns = x ? `xmlns:${x.slice(0, -1)}="${MAIN}"` : `xmlns="${MAIN}"`;
  const parts: Record<string, string> = {
    '[Content_Types].xml':
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
      `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
      (h.strings
        ? `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`
        : '') +
      (h.styles
        ? `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`
        : '') +
      `</Types>`,
    '_rels/.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0"?><workbook xmlns="${MAIN}" xmlns:r="${REL}">${h.date1904 ? '<workbookPr date1904="1"/>' : '<workbookPr/>'}<sheets><sheet name="Aging" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels':
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` +
      `<Relationship Id="rId3" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml':
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<${x}worksheet ${xmlns}>` +
      (h.dimension ? `<${x}dimension ref="${h.dimension}"/>` : '') +
      `<${x}sheetViews><${x}sheetView workbookViewId="0"/></${x}sheetViews><${x}sheetData>${h.sheetData}</${x}sheetData><${x}pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></${x}worksheet>`,
  };
  if (h.strings)
    parts['xl/sharedStrings.xml'] =
      `<?xml version="1.0"?><sst xmlns="${MAIN}" count="${h.strings.length}" uniqueCount="${h.strings.length}">${h.strings.map((s) => `<si>${s}</si>`).join('')}</sst>`;
  if (h.styles) parts['xl/styles.xml'] = `<?xml version="1.0"?><styleSheet xmlns="${MAIN}">${h.styles}</styleSheet>`;
  return zipOf(parts);
}

// Excel's own shapes: a custom date format (164), built-in date 14, time 20, a money format, General.
const STYLES =
  '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="&quot;$&quot;#,##0.00"/></numFmts>' +
  '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
  '<cellXfs count="6"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165"/><xf numFmtId="20"/><xf/></cellXfs>';

const STRINGS = [
  '<t>Claim Number</t>',
  '<t>Patient Name</t>',
  '<t xml:space="preserve">  Müller, José  </t>',
  '<r><rPr><b/></rPr><t>Rich</t></r><r><t xml:space="preserve"> text</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh>',
  '<t>Line one_x000D_\r\nline two &amp; &lt;three&gt; &#233;&#x4E2D;</t>',
  '<t>00123</t>',
  '<t></t>',
  '<t>Østergaard 😀</t>',
];

describe('the streaming XLSX reader gives exactly the cells SheetJS gives', () => {
  const fixtures = [path.join(ROOT, 'tests/fixtures/samples'), path.resolve(ROOT, '../shared/samples')]
    .filter((d) => existsSync(d))
    .flatMap((d) =>
      readdirSync(d)
        .filter((f) => f.endsWith('.xlsx'))
        .map((f) => path.join(d, f)),
    );

  it('finds the XLSX samples', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  it.each(fixtures.map((f) => [path.relative(ROOT, f), f]))('reads %s', async (_name, f) => {
    const rows = await expectSameRows(f);
    expect(rows.length).toBeGreaterThan(10);
  });

  const typed = (prefix = '') => {
    const c = (ref: string, body: string, attrs = '') => `<${prefix}c r="${ref}"${attrs}>${body}</${prefix}c>`;
    const v = (s: string) => `<${prefix}v>${s}</${prefix}v>`;
    return (
      `<${prefix}row r="1" spans="1:6">${c('A1', v('0'), ' t="s"')}${c('B1', v('1'), ' t="s"')}${c('C1', v('5'), ' t="s"')}${c('D1', v('7'), ' t="s"')}</${prefix}row>` +
      `<${prefix}row r="2">${c('A2', v('2'), ' t="s"')}${c('B2', v('3'), ' t="s"')}${c('C2', v('4'), ' t="s"')}${c('D2', v('6'), ' t="s"')}${c('E2', v('1234.5'))}${c('F2', v('-1.5E-3'), ' s="3"')}</${prefix}row>` +
      `<${prefix}row r="4">${c('A4', v('46023'), ' s="1"')}${c('B4', v('46023.75'), ' s="2"')}${c('C4', v('0.5'), ' s="4"')}${c('D4', v('46023'), ' s="0"')}${c('E4', v('46023'), ' s="5"')}${c('F4', '', ' s="1"')}</${prefix}row>` +
      `<${prefix}row r="5">${c('A5', v('1'), ' t="b"')}${c('B5', v('0'), ' t="b"')}${c('C5', v('#N/A'), ' t="e"')}${c('D5', `<${prefix}f>A1&amp;"x"</${prefix}f>${v('Claim &amp; co')}`, ' t="str"')}${c('E5', `<${prefix}f>1+1</${prefix}f>`)}${c('F5', `<${prefix}is><${prefix}t>inline &lt;b&gt;</${prefix}t></${prefix}is>`, ' t="inlineStr"')}</${prefix}row>` +
      `<${prefix}row r="6">${c('B6', v('12'))}<${prefix}c r="D6" s="1"/>${c('F6', `<${prefix}is><${prefix}r><${prefix}t>in</${prefix}t></${prefix}r><${prefix}r><${prefix}t>line</${prefix}t></${prefix}r></${prefix}is>`, ' t="inlineStr"')}</${prefix}row>` +
      `<${prefix}row r="7"/>`
    );
  };

  it('reads shared, rich, inline, boolean, error, formula and number cells, dates by their style, gaps and a dimension past the last row', async () => {
    const p = await file(await handmade({ dimension: 'A1:F8', sheetData: typed(), strings: STRINGS, styles: STYLES }));
    const rows = await expectSameRows(p);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows[1]?.cells).toEqual([
      '  Müller, José  ',
      'Rich text',
      'Line one\r\nline two & <three> é中',
      '',
      '1234.5',
      '-0.0015',
    ]);
    expect(rows[3]?.cells).toEqual(['2026-01-01', '2026-01-01', '1899-12-31', '46023', '46023', '']);
    expect(rows[4]?.cells).toEqual(['TRUE', 'FALSE', '', 'Claim & co', '', 'inline <b>']);
  });

  it('reads the 1904 date system', async () => {
    const p = await file(
      await handmade({ dimension: 'A1:F8', sheetData: typed(), strings: STRINGS, styles: STYLES, date1904: true }),
    );
    const rows = await expectSameRows(p);
    expect(rows[3]?.cells[0]).toBe('2030-01-02');
  });

  it('reads prefixed element names (x:row, x:c)', async () => {
    await expectSameRows(
      await file(
        await handmade({ prefix: 'x:', dimension: 'A1:F8', sheetData: typed('x:'), strings: STRINGS, styles: STYLES }),
      ),
    );
  });

  it('starts rows at the dimension’s first column and row', async () => {
    const sheetData =
      '<row r="3"><c r="C3" t="inlineStr"><is><t>Claim</t></is></c><c r="E3"><v>5</v></c></row><row r="5"><c r="D5"><v>7</v></c></row>';
    const rows = await expectSameRows(await file(await handmade({ dimension: 'C3:E5', sheetData })));
    expect(rows).toEqual([
      { line: 3, cells: ['Claim', '', '5'] },
      { line: 4, cells: ['', '', ''] },
      { line: 5, cells: ['', '7', ''] },
    ]);
  });

  it('places cells and rows that carry no reference after the ones before them', async () => {
    const sheetData =
      '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c><c r="D1"><v>4</v></c><c><v>5</v></c></row><row><c><v>2</v></c></row>';
    await expectSameRows(await file(await handmade({ dimension: 'A1:E2', sheetData })));
  });

  it('without a dimension, gives the same cells (rows end at their last cell instead of the widest row)', async () => {
    const sheetData =
      '<row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>3</v></c></row><row r="3"><c r="B3"><v>2</v></c></row>';
    const p = await file(await handmade({ sheetData }));
    const trim = (rows: FileRow[]) =>
      rows.map((r) => ({
        line: r.line,
        cells: r.cells
          .join('\u0000')
          .replace(/\u0000+$/, '')
          .split('\u0000'),
      }));
    expect(trim(await streamed(p))).toEqual(trim(await sheetjs(p)));
  });

  it('reads the first sheet in workbook order, wherever its part is', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['first'], [1]]), 'First');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['second'], [2]]), 'Second');
    wb.SheetNames.reverse();
    const rows = await expectSameRows(await file(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer));
    expect(rows[0]?.cells).toEqual(['second']);
  });

  const mixed = (): unknown[][] => [
    ['Claim Number', 'Patient', 'DOB', 'Billed', 'Paid', 'Flag', 'Note'],
    ['C-1', 'Müller, José', new Date(Date.UTC(1962, 2, 14)), 1234.56, -12, true, 'a "quoted" <b> & line\r\nbreak'],
    ['C-2', '  spaced  ', new Date(Date.UTC(2026, 8, 2)), 0.1 + 0.2, 1e21, false, null],
    [null, null, null, null, null, null, null],
    ['00123', 'Østergaard, Åse 😀', 46023, 98, '98.00', 'x', '_x000D_'],
  ];
  it.each([
    ['inline strings', { bookSST: false }],
    ['shared strings', { bookSST: true }],
    ['shared strings, ISO date cells', { bookSST: true, cellDates: true }],
  ])('reads a workbook SheetJS wrote with %s', async (_n, opts) => {
    for (const date1904 of [false, true]) {
      const ws = XLSX.utils.sheet_add_aoa(XLSX.utils.aoa_to_sheet([]), mixed(), {
        cellDates: 'cellDates' in opts,
        origin: 'B2',
      });
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(wb, ws, 'Aging');
      wb.Workbook = { WBProps: { date1904 } };
      const rows = await expectSameRows(
        await file(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', ...opts }) as Buffer),
      );
      // (SheetJS writes a Date as a 1900-system serial even into a 1904 workbook; both readers agree on what it then says.)
      const claim = rows.find((r) => r.cells.includes('C-1'));
      if (!date1904)
        expect(claim).toEqual({ line: 3, cells: expect.arrayContaining(['C-1', 'Müller, José', '1962-03-14']) });
    }
  });
});

describe('limits and damage', () => {
  const rowsXml = (n: number) =>
    Array.from(
      { length: n },
      (_, i) =>
        `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c><c r="B${i + 1}" t="inlineStr"><is><t>padding padding padding</t></is></c></row>`,
    ).join('');

  it('refuses a workbook whose central directory admits it unpacks past the limit, before inflating it', async () => {
    const p = await file(await handmade({ dimension: 'A1:B20000', sheetData: rowsXml(20_000) }));
    await expect(streamed(p, { ...LIMITS, maxUncompressedBytes: 1 << 20 })).rejects.toMatchObject({
      code: 'workbook_too_large',
      message: expect.stringMatching(
        /^This spreadsheet unpacks to \d+ MB, over the 1 MB limit\. Save the report as CSV instead\.$/,
      ),
    });
  });

  it('stops a zip bomb that lies about its size while inflating it', async () => {
    const bytes = await handmade({ dimension: 'A1:B20000', sheetData: rowsXml(20_000) });
    // Every entry claims to unpack to 100 bytes.
    for (
      let i = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      i !== -1;
      i = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), i + 4)
    )
      bytes.writeUInt32LE(100, i + 24);
    const p = await file(bytes);
    await expect(streamed(p, { ...LIMITS, maxUncompressedBytes: 1 << 20 })).rejects.toMatchObject({
      code: 'workbook_too_large',
      message: 'This spreadsheet unpacks to more than 1 MB, the limit. Save the report as CSV instead.',
    });
  });

  it('refuses a sheet over the cell limit from its dimension, and one without a dimension as it streams', async () => {
    const limits = { ...LIMITS, maxCells: 2000 };
    const withDim = await file(await handmade({ dimension: 'A1:B1001', sheetData: rowsXml(1001) }));
    await expect(streamed(withDim, limits)).rejects.toMatchObject({
      code: 'workbook_too_large',
      message: expect.stringMatching(/has 2,002 cells, over the 2,000-cell limit/),
    });
    const noDim = await file(await handmade({ sheetData: rowsXml(1001) }));
    await expect(streamed(noDim, limits)).rejects.toMatchObject({
      code: 'workbook_too_large',
      message: expect.stringMatching(/has more than 2,000 cells, over the 2,000-cell limit/),
    });
  });

  it('refuses shared strings over their limit', async () => {
    const p = await file(
      await handmade({
        dimension: 'A1:A1',
        sheetData: '<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
        strings: Array.from({ length: 100 }, (_, i) => `<t>string number ${i}</t>`),
      }),
    );
    await expect(streamed(p, { ...LIMITS, maxSharedStringChars: 1000 })).rejects.toMatchObject({
      code: 'workbook_too_large',
      message: expect.stringMatching(/holds more than 1,000 characters of text/),
    });
  });

  it.each([
    [
      'a truncated zip',
      async () => (await handmade({ dimension: 'A1:B100', sheetData: rowsXml(100) })).subarray(0, 400),
    ],
    [
      'a shared string that is not there',
      () =>
        handmade({
          dimension: 'A1:A1',
          sheetData: '<row r="1"><c r="A1" t="s"><v>7</v></c></row>',
          strings: ['<t>only</t>'],
        }),
    ],
    [
      'rows out of order',
      () =>
        handmade({
          dimension: 'A1:A3',
          sheetData: '<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>',
        }),
    ],
  ])('calls %s damaged', async (_n, make) => {
    const p = await file(await make());
    await expect(streamed(p)).rejects.toMatchObject({
      code: 'unreadable_workbook',
      message: expect.stringMatching(/could not be opened; it may be damaged/),
    });
  });

  it('moves progress as the sheet streams, ending at the file size', async () => {
    const p = await file(await handmade({ dimension: 'A1:B20000', sheetData: rowsXml(20_000) }));
    const size = (await stat(p)).size;
    const counter = { bytes: 0 };
    const seen: number[] = [];
    const rows = await xlsxRows(p, size, LIMITS, counter);
    for await (const r of rows ?? []) if (r.line % 1000 === 0) seen.push(counter.bytes);
    expect(seen.some((b) => b > 0 && b < size)).toBe(true);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(counter.bytes).toBe(size);
  });
});

describe('zip workbooks it does not stream', () => {
  it.each(['xlsb', 'ods'] as const)('leaves %s to SheetJS, through the same row source', async (bookType) => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['Claim Number', 'Balance'],
        ['C-1', 12.5],
      ]),
      'Aging',
    );
    const p = await file(XLSX.write(wb, { type: 'buffer', bookType }) as Buffer, bookType);
    expect(await xlsxRows(p, (await stat(p)).size, LIMITS, { bytes: 0 })).toBeNull();
    const source = await openRows(p, (await stat(p)).size, LIMITS);
    expect(source.fileType).toBe('xlsx');
    expect(await collect(source.rows)).toEqual(await sheetjs(p));
  });
});
