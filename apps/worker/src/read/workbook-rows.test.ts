// The SheetJS path runs in a thread with a capped heap: what it hands back, how it refuses, and that
// a workbook too big for the cap is refused with a message while this process carries on.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import type { FileRow } from './csv-rows.js';
import { workbookRows, type WorkbookLimits } from './workbook-rows.js';

const LIMITS: WorkbookLimits = {
  maxBytes: 64 << 20,
  maxCells: 6_000_000,
  maxUncompressedBytes: 512 << 20,
  maxSharedStringChars: 16_000_000,
  maxReaderHeapMb: 640,
};

let dir: string;
let xls: string;
const ROWS = 20_000;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lp-workbook-'));
  const aoa: unknown[][] = [['Claim', 'Patient', 'Svc Date', 'Balance']];
  for (let i = 1; i <= ROWS; i++)
    aoa.push([`C${i}`, `Patient ${i}, Some`, new Date(Date.UTC(2026, i % 12, 1 + (i % 28))), i / 100]);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa, { cellDates: true }), 'Aging');
  xls = path.join(dir, 'aging.xls');
  await writeFile(xls, XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function read(p: string, limits = LIMITS, counter = { bytes: 0 }): Promise<FileRow[]> {
  const out: FileRow[] = [];
  for await (const r of await workbookRows(p, (await stat(p)).size, limits, counter)) out.push(r);
  return out;
}

describe('workbookRows (SheetJS in a thread)', () => {
  it('hands back every row of an XLS in order, dates as ISO, with progress ending at the file size', async () => {
    const size = (await stat(xls)).size;
    const counter = { bytes: 0 };
    const rows = await read(xls, LIMITS, counter);
    expect(rows).toHaveLength(ROWS + 1);
    expect(rows[0]).toEqual({ line: 1, cells: ['Claim', 'Patient', 'Svc Date', 'Balance'] });
    expect(rows[1]).toEqual({ line: 2, cells: ['C1', 'Patient 1, Some', '2026-02-02', '0.01'] });
    expect(rows.at(-1)?.line).toBe(ROWS + 1);
    expect(counter.bytes).toBe(size);
  });

  it('refuses a workbook that needs more heap than the reader is allowed, and the process carries on', async () => {
    await expect(read(xls, { ...LIMITS, maxReaderHeapMb: 16 })).rejects.toMatchObject({
      code: 'workbook_too_large',
      message:
        'This spreadsheet is too large to open: reading it needs more than the 16 MB of memory allowed for a spreadsheet. Save the report as CSV instead (it has no such limit).',
    });
    expect(await read(xls)).toHaveLength(ROWS + 1);
  });

  it('refuses over the cell limit before handing back any row', async () => {
    await expect(
      workbookRows(xls, (await stat(xls)).size, { ...LIMITS, maxCells: 1000 }, { bytes: 0 }),
    ).rejects.toMatchObject({
      code: 'workbook_too_large',
      message: `This spreadsheet has ${((ROWS + 1) * 4).toLocaleString('en-US')} cells, over the 1,000-cell limit. Save the report as CSV instead.`,
    });
  });

  it('refuses over the size limit, and calls a damaged workbook damaged', async () => {
    await expect(read(xls, { ...LIMITS, maxBytes: 1000 })).rejects.toMatchObject({ code: 'workbook_too_large' });
    const damaged = path.join(dir, 'damaged.xls');
    // An OLE2 signature followed by nothing a workbook is made of.
    await writeFile(damaged, Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(600, 7)]));
    await expect(read(damaged)).rejects.toMatchObject({ code: 'unreadable_workbook' });
  });
});
