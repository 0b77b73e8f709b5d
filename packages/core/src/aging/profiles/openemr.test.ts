import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMoney } from '../../money.js';
import { normalizePayerName } from '../../normalize.js';
import type { DetectLayoutOptions } from '../detect-layout.js';
import { detectLayout } from '../detect-layout.js';
import type { AgingField } from '../fields.js';
import { openEmrProfile } from './openemr.js';

// tests/fixtures/openemr, whose README gives the figures asserted below.
const FIXTURES = join(__dirname, '../../../../../tests/fixtures/openemr');
const csv: DetectLayoutOptions = { fileType: 'csv', today: '2026-11-23' };

/**
 * OpenEMR's export quotes every cell and strips double quotes out of values, so a cell is always
 * `"…"` with no quote inside; every line ends in a comma, which leaves an empty last cell.
 */
function readExport(file: string): string[][] {
  const text = readFileSync(join(FIXTURES, file), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '').concat(line.endsWith(',') ? [''] : []));
}

const MDY = readExport('collections-mdy.csv');
const DMY = readExport('collections-dmy.csv');

/** The header collections_report.php writes for a set of ticked boxes, cell for cell. */
function exportHeader(ticked: Set<string>): string[] {
  const optional = (box: string, cell: string): string[] => (ticked.has(box) ? [cell] : []);
  return [
    'Insurance',
    'Name',
    ...optional('ssn', 'SSN'),
    ...optional('dob', 'DOB'),
    ...optional('pubpid', 'Pubpid'),
    ...optional('policy', 'Policy'),
    ...optional('group_number', 'Group Number'),
    ...optional('phone', 'Phone'),
    ...optional('city', 'City'),
    'Invoice',
    'DOS',
    'Referrer',
    'Provider',
    'Charge',
    'Adjust',
    'Paid',
    'Balance',
    ...optional('idays', 'Aging Days'),
    // The last cell is followed by a comma unless Errors is ticked.
    ...(ticked.has('err') ? ['Error'] : ['']),
  ];
}
const BOXES = ['ssn', 'dob', 'pubpid', 'policy', 'group_number', 'phone', 'city', 'idays', 'err'];

describe('the OpenEMR Collections Report export', () => {
  it.each([
    ['collections-mdy.csv', MDY],
    ['collections-dmy.csv', DMY],
  ])('%s is detected as OpenEMR from its header alone', (_file, rows) => {
    const r = detectLayout(rows.slice(0, 50), csv);
    expect(r.ok && [r.value.profile.id, r.value.headerIndex, r.value.reportDate]).toEqual(['openemr', 0, null]);
  });

  it('maps every column of the export that carries a claim field', () => {
    const r = detectLayout(MDY, csv);
    expect(r.ok && r.value.mapping.columns).toEqual({
      payer: 0,
      patientName: 1,
      dateOfBirth: 2,
      patientAccount: 3,
      subscriberId: 4,
      claimNumber: 6,
      dateOfService: 7,
      provider: 9,
      billed: 10,
      adjustments: 11,
      paid: 12,
      balance: 13,
      daysOutstanding: 14,
    });
    expect(r.ok && r.value.mapping.unmatched).toEqual(['Phone', 'Referrer']);
  });

  it('is detected and mapped whichever optional columns are ticked', () => {
    const got: unknown[] = [];
    const want: unknown[] = [];
    for (let mask = 0; mask < 2 ** BOXES.length; mask++) {
      const ticked = new Set(BOXES.filter((_, i) => (mask & (1 << i)) !== 0));
      const label = [...ticked].join('+') || 'nothing ticked';
      const header = exportHeader(ticked);
      const at = (cell: string): number => header.indexOf(cell);
      const columns: Partial<Record<AgingField, number>> = {
        payer: 0,
        patientName: 1,
        claimNumber: at('Invoice'),
        dateOfService: at('DOS'),
        provider: at('Provider'),
        billed: at('Charge'),
        adjustments: at('Adjust'),
        paid: at('Paid'),
        balance: at('Balance'),
      };
      if (ticked.has('dob')) columns.dateOfBirth = at('DOB');
      if (ticked.has('pubpid')) columns.patientAccount = at('Pubpid');
      if (ticked.has('policy')) columns.subscriberId = at('Policy');
      if (ticked.has('idays')) columns.daysOutstanding = at('Aging Days');
      want.push([label, 'openemr', columns]);
      const r = detectLayout([header], csv);
      got.push(r.ok ? [label, r.value.profile.id, r.value.mapping.columns] : [label, r.error]);
    }
    expect(got).toEqual(want);
  });

  it('reads nothing from the columns that are not part of a claim', () => {
    const r = detectLayout([exportHeader(new Set(BOXES))], csv);
    expect(r.ok && r.value.mapping.unmatched).toEqual(['SSN', 'Group Number', 'Phone', 'City', 'Referrer', 'Error']);
  });

  it('leaves a plain report that shares its common words generic', () => {
    const plain = ['Invoice', 'Name', 'Insurance', 'DOS', 'Charge', 'Paid', 'Balance'];
    const r = detectLayout([plain], csv);
    expect(r.ok && r.value.profile.id).toBe('generic');
  });

  it('is refused under another system’s name, and another system’s file under its name', () => {
    expect(detectLayout(MDY, { ...csv, formatHint: 'crystalpm' })).toEqual({
      ok: false,
      error:
        "You chose Crystal PM, but this file's header looks like OpenEMR — Collections Report (CSV): " +
        '"Pubpid", "Referrer" and "Adjust" are OpenEMR columns. Choose OpenEMR, or let us detect the layout.',
    });
    const crystal = [['Patient Name', 'Insurance', 'Claim #', 'Service Date', 'Amount Due', 'Days Past']];
    const r = detectLayout(crystal, { ...csv, formatHint: 'openemr' });
    expect(!r.ok && r.error).toMatch(/^You chose OpenEMR, but this file's header looks like Crystal PM/);
    const named = detectLayout(MDY, { ...csv, formatHint: 'openemr' });
    expect(named.ok && named.value.profile).toBe(openEmrProfile);
  });

  it('tells staff how to produce the export', () => {
    expect(openEmrProfile.exportHint).toMatch(/Reports › Financial › Collections.*Export Selected as CSV/);
  });
});

describe('the OpenEMR fixtures', () => {
  const r = detectLayout(MDY, csv);
  if (!r.ok) throw new Error(r.error);
  const { columns } = r.value.mapping;
  const claims = MDY.slice(1);
  const cell = (row: string[], field: AgingField): string => row[columns[field] ?? -1] ?? '';

  it('hold the figures their README states', () => {
    const cents = claims.map((row) => {
      const m = parseMoney(cell(row, 'balance'));
      return m.ok ? (m.value ?? 0) : Number.NaN;
    });
    const insurers = new Set(claims.map((row) => normalizePayerName(cell(row, 'payer'))).filter((k) => k !== ''));
    expect({
      rows: claims.length,
      balanceCents: cents.reduce((a, b) => a + b, 0),
      insurers: insurers.size,
      selfPay: claims.filter((row) => cell(row, 'payer') === '').length,
    }).toEqual({ rows: 30, balanceCents: 539934, insurers: 5, selfPay: 5 });
  });

  it('leave the insurance empty on self-pay rows, in the column the header maps to the payer', () => {
    const selfPay = claims.filter((row) => cell(row, 'payer') === '');
    expect(selfPay.map((row) => [cell(row, 'claimNumber'), cell(row, 'subscriberId')])).toEqual([
      ['12.2116', ''],
      ['3.2065', ''],
      ['3.2095', ''],
      ['8.2047', ''],
      ['8.2083', ''],
    ]);
  });

  it('differ only in the order of day and month', () => {
    const dayFirst = (d: string): string => d.replace(/^(\d\d)\/(\d\d)\//, '$2/$1/');
    const dates = new Set([columns.dateOfBirth, columns.dateOfService]);
    const swapped = DMY.map((row, i) => (i === 0 ? row : row.map((c, j) => (dates.has(j) ? dayFirst(c) : c))));
    expect(swapped).toEqual(MDY);
    // Some dates in each file can only be read one way, so the order is decidable from the values.
    expect(claims.some((row) => Number(cell(row, 'dateOfService').slice(3, 5)) > 12)).toBe(true);
  });
});
