import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';
import { client, waitForImport } from './support/http.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

// Real exports are messy; each kind of mess has its own small fixture and must import to the same claims.
let stack: TestStack;
let staff: ReturnType<typeof client>;
beforeAll(async () => {
  stack = await startTestStack({ env: { XLSX_MAX_CELLS: '2000' } });
  staff = client(stack.url, stack.staff);
});
afterAll(() => stack.close());

let seq = 0;
async function importInto(content: string | Buffer, name: string, fields: Record<string, string> = {}) {
  const { rows } = await stack.db.handle.pool.query(`insert into locations (practice_id, name) values ($1, $2) returning id`, [stack.seed.practice.id, `loc ${++seq}`]);
  const up = await staff.upload(content, { kind: 'aging', locationId: rows[0].id, ...fields }, name);
  expect(up.status).toBe(202);
  const imp = await waitForImport(stack.url, stack.staff, up.body.id);
  const claims = (
    await stack.db.handle.pool.query(
      `select claim_key, patient_name, patient_account, date_of_birth, date_of_service, billed_cents, balance_cents from claims where location_id = $1 order by claim_key`,
      [rows[0].id],
    )
  ).rows;
  return { imp, claims };
}

const HEADER = ['Claim Number', 'Patient Account', 'Patient Name', 'Date of Birth', 'Payer', 'Date of Service', 'Billed Amount', 'Balance'];
const ROWS = [
  ['C-1', '00123', 'Müller, José', '03/14/1962', 'Aetna', '09/02/2026', '$1,234.56', '(12.00)'],
  ['C-2', '04567', 'Østergaard, Åse', '11/30/1975', 'Cigna', '08/15/2026', '98.00', '98.00'],
];
const EXPECTED = [
  { claim_key: 'C-1', patient_name: 'Müller, José', patient_account: '00123', date_of_birth: '1962-03-14', date_of_service: '2026-09-02', billed_cents: 123456, balance_cents: -1200 },
  { claim_key: 'C-2', patient_name: 'Østergaard, Åse', patient_account: '04567', date_of_birth: '1975-11-30', date_of_service: '2026-08-15', billed_cents: 9800, balance_cents: 9800 },
];
const csv = (rows: string[][], d = ',', eol = '\n') => rows.map((r) => r.map((c) => (/[",;\t\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(d)).join(eol) + eol;

describe('encodings', () => {
  const text = csv([HEADER, ...ROWS]);
  it.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf-8'],
    ['UTF-8 without BOM', Buffer.from(text), 'utf-8'],
    ['UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]), 'utf-16le'],
    ['UTF-16 BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16be')]), 'utf-16be'],
    ['Windows-1252', iconv.encode(text, 'windows-1252'), 'windows-1252'],
  ])('reads %s and records the encoding', async (_n, bytes, encoding) => {
    const { imp, claims } = await importInto(bytes, 'enc.csv');
    expect(imp).toMatchObject({ status: 'completed', encoding });
    expect(claims).toEqual(EXPECTED);
  });
});

describe('line endings, delimiters and quoting', () => {
  it.each([
    ['CRLF', csv([HEADER, ...ROWS], ',', '\r\n')],
    ['CR', csv([HEADER, ...ROWS], ',', '\r')],
    ['semicolons', csv([HEADER, ...ROWS], ';')],
    ['tabs', csv([HEADER, ...ROWS], '\t')],
    ['blank lines', '\n' + csv([HEADER]) + '\n\n' + csv(ROWS) + '\n\n'],
    ['a trailing comma', csv([HEADER]) + csv(ROWS).replaceAll('\n', ',\n')],
  ])('reads %s', async (_n, text) => {
    const { imp, claims } = await importInto(text, 'shape.csv');
    expect(imp.status).toBe('completed');
    expect(claims).toEqual(EXPECTED);
  });

  it('keeps quoted commas, quotes and line breaks inside a cell', async () => {
    const text = csv([HEADER, ['C-9', 'A9', 'O\'Neil, "Pat"\nJr', '01/01/1980', 'Aetna, Inc.', '09/02/2026', '10.00', '10.00']]);
    const { claims } = await importInto(text, 'quoted.csv');
    expect(claims[0].patient_name).toBe('O\'Neil, "Pat" Jr');
  });

  it('reads a ragged row with its last cell missing (no balance → rejected, naming the line)', async () => {
    const text = csv([HEADER]) + 'C-1,A1,"Doe, J",01/01/1980,Aetna,09/02/2026,10.00\n';
    const { imp } = await importInto(text, 'ragged.csv');
    expect(imp.rowsRejected).toBe(1);
    const errors = (await staff.get(`/imports/${imp.id}/errors`)).body.items;
    expect(errors).toEqual([{ rowNumber: 2, column: 'Balance', value: '', message: 'Balance is required', severity: 'error' }]);
  });
});

describe('money and dates', () => {
  it.each([
    ['1234.5', 123450],
    ['$1,234.56', 123456],
    ['-12.00', -1200],
    ['(12.00)', -1200],
    ['($12.00)', -1200],
    ['$(12.00)', -1200],
    ['12.00-', -1200],
  ])('reads %s as %i cents', async (money, cents) => {
    const { claims } = await importInto(csv([HEADER, ['M-1', 'A1', 'Doe, J', '01/01/1980', 'Aetna', '09/02/2026', '1.00', money]]), 'money.csv');
    expect(claims[0].balance_cents).toBe(cents);
  });

  it('reads decimal commas in a semicolon file', async () => {
    const { claims } = await importInto(csv([HEADER, ['M-1', 'A1', 'Doe, J', '01/01/1980', 'Aetna', '09/02/2026', '1.234,56', '12,5']], ';'), 'comma.csv');
    expect(claims[0]).toMatchObject({ billed_cents: 123456, balance_cents: 1250 });
  });

  it.each([
    ['M/D/YY', '3/4/62', '9/2/26', '1962-03-04', '2026-09-02'],
    ['YYYY-MM-DD', '1962-03-04', '2026-09-02', '1962-03-04', '2026-09-02'],
    ['two-digit years: a birth date is in the past, a service date recent', '01/02/30', '01/02/26', '1930-01-02', '2026-01-02'],
  ])('reads dates as %s', async (_n, dob, dos, isoDob, isoDos) => {
    const { claims } = await importInto(csv([HEADER, ['D-1', 'A1', 'Doe, J', dob, 'Aetna', dos, '1.00', '1.00']]), 'dates.csv');
    expect(claims[0]).toMatchObject({ date_of_birth: isoDob, date_of_service: isoDos });
  });

  it('treats sentinel birth dates as empty', async () => {
    const { claims } = await importInto(
      csv([HEADER, ['S-1', 'A1', 'Doe, J', '01/01/0001', 'Aetna', '09/02/2026', '1.00', '1.00'], ['S-2', 'A2', 'Roe, R', '1900-01-01', 'Aetna', '09/02/2026', '1.00', '1.00']]),
      'sentinel.csv',
    );
    expect(claims.map((c: any) => c.date_of_birth)).toEqual([null, null]);
  });

  it('reads an .xlsx with real Excel dates and numbers, 1900 and 1904 systems, and keeps text account numbers', async () => {
    const day = (iso: string, date1904: boolean) => (Date.parse(iso) - Date.UTC(date1904 ? 1904 : 1899, date1904 ? 0 : 11, date1904 ? 1 : 30)) / 86400_000;
    for (const date1904 of [false, true]) {
      const date = (iso: string): XLSX.CellObject => ({ t: 'n', v: day(iso, date1904), z: 'mm/dd/yyyy' });
      const ws = XLSX.utils.aoa_to_sheet([HEADER, ['X-1', '00123', 'Doe, J', null, 'Aetna', null, 1234.56, -12]]);
      ws.D2 = date('1962-03-14');
      ws.F2 = date('2026-09-02');
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(wb, ws, 'Aging');
      wb.Workbook = { WBProps: { date1904 } };
      const buf = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
      const { imp, claims } = await importInto(buf, 'real.xlsx');
      expect(imp.status).toBe('completed');
      expect(claims[0]).toMatchObject({ patient_account: '00123', date_of_birth: '1962-03-14', date_of_service: '2026-09-02', billed_cents: 123456, balance_cents: -1200 });
    }
  });
});

describe('containers', () => {
  it('reads an ".xls" that is really an HTML table as what it is', async () => {
    const html = `<html><body><table>${[HEADER, ...ROWS].map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table></body></html>`;
    const { imp, claims } = await importInto(html, 'report.xls');
    expect(imp.status).toBe('completed');
    expect(claims.map((c: any) => c.claim_key)).toEqual(['C-1', 'C-2']);
  });

  it.each([
    ['a PDF', Buffer.from('%PDF-1.7\n...'), /This file is a PDF/],
    ['a binary file', Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00, 0x10]), /neither a CSV nor an Excel workbook/],
  ])('refuses %s named .csv, without retries', async (_n, bytes, message) => {
    const { imp } = await importInto(bytes, 'aging.csv');
    expect(imp).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'not_a_spreadsheet' } });
    expect(imp.error.message).toMatch(message);
  });

  it('refuses a workbook over the cell limit with a message, before reading it', async () => {
    const ws = XLSX.utils.aoa_to_sheet([HEADER, ...Array.from({ length: 400 }, (_, i) => ['B-' + i, 'A', 'Doe, J', '01/01/1980', 'Aetna', '09/02/2026', '1', '1'])]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'Aging');
    const { imp } = await importInto(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer, 'big.xlsx');
    expect(imp).toMatchObject({ status: 'failed', error: { code: 'workbook_too_large' } });
    expect(imp.error.message).toMatch(/3,208 cells, over the 2,000-cell limit\. Save the report as CSV instead\./);
  });
});

describe('layout detection and saved mappings', () => {
  it('refuses a CSV named Compulink, saying what Compulink exports', async () => {
    const { imp } = await importInto(csv([HEADER, ...ROWS]), 'aging.csv', { format: 'compulink' });
    expect(imp).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'unrecognized_layout' } });
    expect(imp.error.message).toMatch(/Compulink exports its aging report as an Excel 97-2000 \(\.xls\) file, but this file is a CSV/);
  });

  it('refuses an unknown format name at upload', async () => {
    const r = await staff.upload(csv([HEADER]), { kind: 'aging', locationId: stack.seed.locations[0]!.id, format: 'medisoft' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/"medisoft" is not a practice-management system Ledgerport knows\. Choose one of: .*compulink/);
  });

  it('fails an unknown layout fast, shows its header, and imports it once staff save a mapping', async () => {
    const odd = [['Ref', 'Who', 'Insurer', 'Seen On', 'Owed'], ['R-1', 'Doe, Jane', 'Aetna', '09/02/2026', '45.00'], ['R-2', 'Roe, Rich', 'Cigna', '09/03/2026', '5.00']];
    const first = await importInto(csv(odd), 'odd.csv');
    expect(first.imp).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'unrecognized_layout' } });
    const header = await staff.get(`/imports/${first.imp.id}/header`);
    expect(header.body.header).toEqual(odd[0]);
    expect(header.body.fields.map((f: any) => f.field)).toContain('dateOfService');
    const incomplete = await staff.post('/column-mappings', { header: odd[0], columns: { claimNumber: 'Ref' } });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error.code).toBe('mapping_incomplete');
    const saved = await staff.post('/column-mappings', {
      name: 'Old billing system',
      header: odd[0],
      columns: { claimNumber: 'Ref', patientName: 'Who', payer: 'Insurer', dateOfService: 'Seen On', balance: 'Owed' },
    });
    expect(saved.status).toBe(201);
    const second = await importInto(csv(odd) + '\n', 'odd-again.csv');
    expect(second.imp).toMatchObject({ status: 'completed', format: `mapping:${saved.body.id}` });
    expect(second.claims.map((c: any) => [c.claim_key, c.balance_cents])).toEqual([
      ['R-1', 4500],
      ['R-2', 500],
    ]);
  });
});

describe('the file of rejected rows', () => {
  it('comes back in the upload’s own delimiter and encoding, so the corrected file reads as the first did', async () => {
    const text = [
      'Claim Number;Patient Account;Patient Name;Date of Birth;Payer;Date of Service;Billed Amount;Balance',
      'S-1;A1;Müller, Jürgen;1960-02-01;Aetna;2026-03-03;10,00;abc',
      'S-2;A2;Roe, Rich;1961-02-01;Aetna;2026-03-04;10,00;5,00',
    ].join('\r\n');
    // Windows-1252 (as Excel saves a CSV on Windows): ü is one byte, 0xFC.
    const { imp } = await importInto(Buffer.from(text, 'latin1'), 'semicolons.csv');
    expect(imp).toMatchObject({ status: 'completed', rowsRejected: 1, encoding: 'windows-1252', delimiter: ';' });
    const res = await fetch(`${stack.url}/imports/${imp.id}/errors?format=csv&annotated=1`, { headers: { authorization: `Bearer ${stack.staff}` } });
    expect(res.headers.get('content-type')).toBe('text/csv; charset=windows-1252');
    expect(res.headers.get('content-disposition')).toContain('filename="semicolons (rejected rows).csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.includes(Buffer.from([0xfc]))).toBe(true);
    const lines = bytes.toString('latin1').trim().split('\r\n');
    expect(lines[0]).toBe('Claim Number;Patient Account;Patient Name;Date of Birth;Payer;Date of Service;Billed Amount;Balance;Ledgerport errors');
    expect(lines[1]).toMatch(/^S-1;A1;Müller, Jürgen;1960-02-01;Aetna;2026-03-03;10,00;abc;.*Balance/);
    // Corrected where it was wrong, the rows read again in the same layout.
    const fixed = [lines[0]!.replace(';Ledgerport errors', ''), 'S-1;A1;Müller, Jürgen;1960-02-01;Aetna;2026-03-03;10,00;7,50'].join('\r\n');
    const again = await importInto(Buffer.from(fixed, 'latin1'), 'semicolons-fixed.csv');
    expect(again.imp).toMatchObject({ status: 'completed', rowsRejected: 0 });
    expect(again.claims.map((c: any) => [c.claim_key, c.patient_name, c.balance_cents])).toEqual([['S-1', 'Müller, Jürgen', 750]]);
  });
});

describe('row errors apart from warnings', () => {
  it('counts them apart and groups them by message, with a filter', async () => {
    const rows = [
      HEADER,
      ['G-ok', 'A9', 'Doe, J', '01/01/1980', 'Aetna', '09/02/2026', '10.00', '10.00'],
      ...Array.from({ length: 5 }, (_, i) => [`G-${i}`, `A${i}`, 'Doe, J', '01/01/1980', 'Aetna', '09/02/2026', '10.00', 'abc']),
    ];
    const { imp } = await importInto(csv(rows), 'five-alike.csv');
    const all = await staff.get(`/imports/${imp.id}/errors?group=message`);
    expect(all.status).toBe(200);
    expect(all.body.counts.errors).toBeGreaterThanOrEqual(5);
    const balance = all.body.items.find((g: any) => g.column === 'Balance');
    expect(balance).toMatchObject({ severity: 'error', count: 5, firstRow: 3, example: 'abc' });
    expect(balance.message).not.toContain('abc');
    const warnings = await staff.get(`/imports/${imp.id}/errors?severity=warning`);
    expect(warnings.body.items.every((e: any) => e.severity === 'warning')).toBe(true);
    expect((await staff.get(`/imports/${imp.id}/errors?severity=bad`)).status).toBe(400);
  });
});

describe('report dates and warnings', () => {
  it('takes the report date from the title lines and refuses an older snapshot, giving both dates', async () => {
    const { rows } = await stack.db.handle.pool.query(`insert into locations (practice_id, name) values ($1, 'Dated') returning id`, [stack.seed.practice.id]);
    const loc = rows[0].id;
    const report = (asOf: string, balance: string) => `Insurance Aging Report\nAs of ${asOf}\n\n` + csv([HEADER, ['R-1', 'A1', 'Doe, J', '01/01/1980', 'Aetna', '09/02/2026', '10.00', balance]]);
    const newer = await staff.upload(report('11/20/2026', '10.00'), { kind: 'aging', locationId: loc }, 'nov20.csv');
    expect(await waitForImport(stack.url, stack.staff, newer.body.id)).toMatchObject({ status: 'completed', reportDate: '2026-11-20' });
    const older = await staff.upload(report('11/13/2026', '5.00'), { kind: 'aging', locationId: loc }, 'nov13.csv');
    const refused = await waitForImport(stack.url, stack.staff, older.body.id);
    expect(refused).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'older_snapshot' } });
    expect(refused.error.message).toMatch(/as of 11\/13\/2026, but Dated already has a newer one applied \(as of 11\/20\/2026\)/);
    const claim = await stack.db.handle.pool.query(`select balance_cents from claims where location_id = $1`, [loc]);
    expect(claim.rows).toEqual([{ balance_cents: 1000 }]);
  });

  it('stages rows that disagree with themselves, counting them as warnings', async () => {
    const text = csv([
      [...HEADER, '0-30', '31-60'],
      ['W-1', 'A1', 'Doe, J', '01/01/1980', 'Aetna', '09/02/2026', '10.00', '20.00', '20.00', '0'],
      ['W-2', 'A2', 'Roe, R', '01/01/1980', 'Aetna', '09/02/2026', '30.00', '20.00', '5.00', '5.00'],
      ['W-3', 'A3', 'Poe, E', '01/01/1980', 'Aetna', '12/30/2099', '30.00', '20.00', '20.00', '0'],
      ['W-4', 'A4', 'Fine, F', '01/01/1980', 'Aetna', '09/02/2026', '30.00', '20.00', '20.00', '0'],
    ]);
    const { imp, claims } = await importInto(text, 'warn.csv');
    expect(imp).toMatchObject({ status: 'completed', rowsAccepted: 4, rowsRejected: 0, rowsWarned: 3 });
    expect(claims).toHaveLength(4);
    const warnings = (await staff.get(`/imports/${imp.id}/errors`)).body.items;
    expect(warnings.every((w: any) => w.severity === 'warning')).toBe(true);
    expect(warnings.map((w: any) => w.rowNumber)).toEqual(expect.arrayContaining([2, 3, 4]));
  });
});
