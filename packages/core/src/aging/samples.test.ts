import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgingFileType } from './profile.js';
import { detectLayout } from './detect-layout.js';
import type { AgingRow, RowError } from './validate-row.js';
import { createRowReader } from './row-reader.js';
import type { PrintedTotalsResult } from './printed-totals.js';

// Copies of ../shared/samples: the CSVs as they are (aging-generic-excel-1252.csv still in
// Windows-1252), the workbooks as the worker hands their cells to core (text as is, date cells as
// ISO dates, numbers as plain decimals), converted once with @e965/xlsx.
const FIXTURES = join(__dirname, '__fixtures__');
const TODAY = '2026-11-23';

interface Expected {
  kind: string;
  claims: number;
  balance_cents: number;
  payers: number;
  format: string;
  as_of?: string;
  encoding?: string;
}

/** A small RFC 4180 reader: quoted commas, doubled quotes and line breaks inside quotes; CRLF or LF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      rows.push([...row, cell]);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

function loadRows(file: string, encoding?: string): { rows: string[][]; fileType: AgingFileType } {
  if (file.endsWith('.csv')) {
    const bytes = readFileSync(join(FIXTURES, file));
    return { rows: parseCsv(new TextDecoder(encoding ?? 'utf-8').decode(bytes)), fileType: 'csv' };
  }
  const fileType: AgingFileType = file.endsWith('.xlsx') ? 'xlsx' : 'xls';
  return { rows: JSON.parse(readFileSync(join(FIXTURES, `${file}.json`), 'utf8')) as string[][], fileType };
}

interface Imported {
  format: string;
  reportDate: string | null;
  claims: AgingRow[];
  errors: RowError[];
  warnings: RowError[];
  skipped: Record<string, number>;
  totals: PrintedTotalsResult;
}

/** The worker's path in miniature: detect on the first 50 rows, then read every row after the header. */
function importSample(file: string, encoding?: string): Imported {
  const { rows, fileType } = loadRows(file, encoding);
  const det = detectLayout(rows.slice(0, 50), { fileType, today: TODAY });
  if (!det.ok) throw new Error(det.error);
  const header = rows[det.value.headerIndex] ?? [];
  const read = createRowReader(det.value, { header, reportDate: det.value.reportDate ?? TODAY, today: TODAY });
  const out: Imported = {
    format: det.value.profile.id,
    reportDate: det.value.reportDate,
    claims: [],
    errors: [],
    warnings: [],
    skipped: {},
    totals: read.totals(),
  };
  for (const [i, cells] of rows.slice(det.value.headerIndex + 1).entries()) {
    const r = read(cells, det.value.headerIndex + 2 + i);
    if (r.kind === 'row') {
      out.claims.push(r.row);
      out.warnings.push(...r.warnings);
    } else if (r.kind === 'error') out.errors.push(...r.errors);
    else if (r.kind === 'wrong_location') throw new Error(r.message);
    else out.skipped[r.reason] = (out.skipped[r.reason] ?? 0) + 1;
  }
  out.totals = read.totals();
  return out;
}

const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, Expected>;
const agingSamples = Object.entries(expected).filter(([, e]) => e.kind === 'aging');

describe('the aging samples', () => {
  it('are all here', () => {
    expect(agingSamples.map(([file]) => file).sort()).toEqual([
      'aging-compulink.xls',
      'aging-crystalpm.csv',
      'aging-eyefinity.xlsx',
      'aging-generic-excel-1252.csv',
      'aging-generic.csv',
      'aging-officemate.csv',
      'aging-revolutionehr.csv',
    ]);
  });

  describe.each(agingSamples)('%s', (file, want) => {
    const got = importSample(file, want.encoding);

    it(`is detected as ${want.format} without a hint`, () => {
      expect(got.format).toBe(want.format);
    });

    it('yields exactly the expected claims, balance and payers, with no row rejected', () => {
      expect(got.errors).toEqual([]);
      expect(got.claims).toHaveLength(want.claims);
      expect(got.claims.reduce((sum, c) => sum + c.balanceCents, 0)).toBe(want.balance_cents);
      expect(new Set(got.claims.map((c) => c.payerKey)).size).toBe(want.payers);
    });

    it('disagrees with itself nowhere', () => {
      expect(got.warnings).toEqual([]);
    });

    if (want.as_of !== undefined) {
      it(`is as of ${want.as_of}`, () => {
        expect(got.reportDate).toBe(want.as_of);
      });
    }
  });

  it('reads the report date of every sample that prints one', () => {
    const dates = Object.fromEntries(
      agingSamples.map(([file, e]) => [file, importSample(file, e.encoding).reportDate]),
    );
    expect(dates).toEqual({
      'aging-generic.csv': null,
      'aging-generic-excel-1252.csv': '2026-11-20',
      'aging-crystalpm.csv': '2026-11-20',
      'aging-officemate.csv': '2026-11-20',
      'aging-revolutionehr.csv': null,
      'aging-compulink.xls': '2026-11-20',
      'aging-eyefinity.xlsx': null,
    });
  });

  it('adds up to every total the reports print, group by group and for the whole report', () => {
    const printed = Object.fromEntries(
      agingSamples.map(([file, e]) => {
        const t = importSample(file, e.encoding).totals;
        return [file, { lines: t.totals.length, mismatches: t.mismatches.length, report: t.reportTotalCents }];
      }),
    );
    expect(printed).toEqual({
      'aging-generic.csv': { lines: 0, mismatches: 0, report: null },
      'aging-generic-excel-1252.csv': { lines: 1, mismatches: 0, report: 1480869 },
      'aging-crystalpm.csv': { lines: 1, mismatches: 0, report: 2094713 },
      'aging-officemate.csv': { lines: 11, mismatches: 0, report: 1466171 },
      'aging-revolutionehr.csv': { lines: 0, mismatches: 0, report: null },
      'aging-compulink.xls': { lines: 10, mismatches: 0, report: 1367434 },
      'aging-eyefinity.xlsx': { lines: 0, mismatches: 0, report: null },
    });
  });

  it('finds the difference when a claim row is deleted from a report with printed totals', () => {
    const { rows, fileType } = loadRows('aging-officemate.csv');
    const det = detectLayout(rows.slice(0, 50), { fileType, today: TODAY });
    if (!det.ok) throw new Error(det.error);
    const read = createRowReader(det.value, { header: rows[det.value.headerIndex] ?? [], reportDate: TODAY, today: TODAY });
    // Line 8 of the file is Cigna's first claim, $111.53.
    rows.slice(det.value.headerIndex + 1).forEach((cells, i) => {
      if (cells[3] !== 'FS-353493-1') read(cells, det.value.headerIndex + 2 + i);
    });
    const t = read.totals();
    expect(t.differenceCents).toBe(11153);
    expect(t.mismatches.map((m) => [m.label, m.printedCents - m.rowsCents])).toEqual([
      ['Cigna Total', 11153],
      ['Report Totals', 11153],
    ]);
  });

  // Every layout that prints totals (Crystal's Total line, Compulink's Payor Total and Grand Total,
  // Excel's Grand Total, OfficeMate's per-insurance totals and Report Totals): a claim row taken out
  // of the file shows as a difference, to the cent, from the totals that covered it.
  it.each([
    ['aging-crystalpm.csv', undefined, ['Total']],
    ['aging-compulink.xls', undefined, ['Payor Total:', 'Grand Total:']],
    ['aging-generic-excel-1252.csv', 'windows-1252', ['Grand Total']],
    ['aging-officemate.csv', undefined, ['Aetna Total', 'Report Totals']],
  ])('%s with its first claim row deleted no longer adds up to its printed totals', (file, encoding, labels) => {
    const { rows, fileType } = loadRows(file, encoding);
    const det = detectLayout(rows.slice(0, 50), { fileType, today: TODAY });
    if (!det.ok) throw new Error(det.error);
    const header = rows[det.value.headerIndex] ?? [];
    const reader = () => createRowReader(det.value, { header, reportDate: det.value.reportDate ?? TODAY, today: TODAY });
    const body = rows.slice(det.value.headerIndex + 1);
    const probe = reader();
    let deleted = 0;
    const first = body.findIndex((cells, i) => {
      const r = probe(cells, det.value.headerIndex + 2 + i);
      if (r.kind === 'row') deleted = r.row.balanceCents;
      return r.kind === 'row';
    });
    expect(deleted).not.toBe(0);
    const read = reader();
    body.forEach((cells, i) => {
      if (i !== first) read(cells, det.value.headerIndex + 2 + i);
    });
    const t = read.totals();
    expect(t.differenceCents).toBe(deleted);
    expect(t.mismatches.map((m) => [m.label, m.printedCents - m.rowsCents])).toEqual(labels.map((l) => [l, deleted]));
  });

  it('skips the total lines and payor group rows instead of rejecting them', () => {
    expect(importSample('aging-compulink.xls').skipped).toEqual({ group: 9, total: 10 });
    expect(importSample('aging-officemate.csv').skipped).toEqual({ total: 11 });
    expect(importSample('aging-crystalpm.csv').skipped).toEqual({ total: 1 });
    expect(importSample('aging-generic-excel-1252.csv', 'windows-1252').skipped).toEqual({ total: 1 });
  });

  it('gives Compulink detail rows the payer of the group row above them', () => {
    const claims = importSample('aging-compulink.xls').claims;
    expect(claims.slice(0, 6).map((c) => [c.claimNumber, c.payerName])).toEqual([
      ['544046-6', 'AETNA'],
      ['476960-13', 'AETNA'],
      ['879202-18', 'AETNA'],
      ['319425-20', 'AETNA'],
      ['525962-21', 'AETNA'],
      ['202748-0', 'BLUE CROSS BLUE SHIELD'],
    ]);
    expect(claims[0]?.buckets).toEqual({ bucketCurrent: 0, bucket30: 0, bucket60: 0, bucket90: 0, bucket120: 75867 });
  });

  it('decodes Windows-1252 names and resolves two-digit years by role', () => {
    const claims = importSample('aging-generic-excel-1252.csv', 'windows-1252').claims;
    expect(claims[2]).toMatchObject({ patientName: 'Yamamoto, Björn', dateOfBirth: '1991-06-07' });
    // 07/03/30: a birth date in the past (1930), a service date near today.
    expect(claims[12]).toMatchObject({ dateOfBirth: '1930-07-03', dateOfService: '2026-04-21', balanceCents: -4763 });
  });

  it('joins RevolutionEHR split names as "Last, First" and keeps account zeros', () => {
    const first = importSample('aging-revolutionehr.csv').claims[0];
    expect(first).toMatchObject({ patientName: 'Lindqvist, Chidi', patientAccount: '004001', claimNumber: '743069-0' });
  });

  it('keeps Eyefinity credit balances and claim status', () => {
    const credit = importSample('aging-eyefinity.xlsx').claims.find((c) => c.claimNumber === '104570-3');
    expect(credit).toMatchObject({ balanceCents: -1839, status: 'Credit Balance', dateOfService: '2026-04-07' });
  });
});
