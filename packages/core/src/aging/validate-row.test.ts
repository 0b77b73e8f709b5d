import { genericProfile } from './profiles/generic.js';
import { mapHeader } from './header-map.js';
import type { RowContext } from './validate-row.js';
import { SELF_PAY_KEY, SELF_PAY_PAYER, isBlankRow, validateAgingRow } from './validate-row.js';

// From ../shared/samples/aging-generic.csv, split into cells.
const HEADER = [
  'Claim Number',
  'Patient Account',
  'Patient Name',
  'Date of Birth',
  'Payer',
  'Date of Service',
  'Billed Amount',
  'Balance',
];
const ROW_2 = [
  'C-100002',
  'A1002',
  'Okafor, Chidi',
  '11/30/1975',
  'Medicare Part B',
  '08/15/2026',
  '$1,120.50',
  '$880.25',
];
const ROW_7 = [
  'C-100007',
  'A1007',
  'Kowalski, Piotr',
  '02/28/1970',
  'Blue Cross  Blue Shield',
  '04/18/2026',
  '420.00',
  '(12.00)',
];

function contextFor(header: string[]): RowContext {
  const mapping = mapHeader(header, genericProfile);
  if (!mapping.ok) throw new Error(mapping.error);
  return { profile: genericProfile, mapping: mapping.value, header, reportDate: '2026-11-20', today: '2026-11-23' };
}

describe('validateAgingRow', () => {
  const ctx = contextFor(HEADER);

  it('keeps each optional column a file has, even when it is the only one (no other detail column)', () => {
    const row = ['C-1', 'A1', 'Doe, Jane', '03/04/1980', 'Aetna', '03/04/2026', '10.00', '5.00'];
    const cases: Array<[string, string, Record<string, unknown>]> = [
      ['Plan', 'PPO', { plan: 'PPO' }],
      ['Subscriber ID', 'S-9', { subscriberId: 'S-9' }],
      ['Provider', 'Dr. Lee', { provider: 'Dr. Lee' }],
      ['Status', 'Denied', { status: 'Denied' }],
      ['Paid', '2.50', { paidCents: 250 }],
      ['Adjustments', '1.25', { adjustmentsCents: 125 }],
      ['Current', '5.00', { buckets: { bucketCurrent: 500 } }],
      ['120+', '5.00', { buckets: { bucket120: 500 } }],
      ['Days', '42', { daysOutstanding: 42 }],
    ];
    for (const [column, cell, kept] of cases) {
      const one = contextFor([...HEADER, column]);
      expect([column, validateAgingRow([...row, cell], one)]).toMatchObject([column, { ok: true, row: kept }]);
    }
    // And none of them on a file without such columns.
    const plain = validateAgingRow(row, ctx);
    expect(plain.ok && Object.keys(plain.row).sort()).toEqual(
      ['agingBucket', 'balanceCents', 'billedCents', 'claimKey', 'claimNumber', 'dateOfBirth', 'dateOfService', 'patientAccount', 'patientName', 'payerKey', 'payerName'],
    );
  });

  it('reads a date, a bucket and a payer of one file the same every time, and of another file its own way', () => {
    // Readings are remembered per file (its RowContext): the second row must not get the first file's.
    const us = contextFor(HEADER);
    const eu = { ...contextFor(HEADER), profile: { ...genericProfile, dateOrder: 'DMY' as const }, reportDate: '2026-06-30' };
    const row = ['C-1', 'A1', 'Doe, Jane', '03/04/1980', 'Aetna', '03/04/2026', '10.00', '5.00'];
    for (let i = 0; i < 3; i++) {
      expect(validateAgingRow(row, us)).toMatchObject({
        ok: true,
        row: { dateOfBirth: '1980-03-04', dateOfService: '2026-03-04', agingBucket: '120+', payerName: 'Aetna' },
      });
      expect(validateAgingRow(row, eu)).toMatchObject({
        ok: true,
        row: { dateOfBirth: '1980-04-03', dateOfService: '2026-04-03', agingBucket: '61-90', payerName: 'Aetna' },
      });
    }
    const bad = ['C-2', 'A2', 'Doe, Jane', '31/31/1980', 'Aetna', '03/04/2026', '10.00', '5.00'];
    for (let i = 0; i < 2; i++) expect(validateAgingRow(bad, us)).toMatchObject({ ok: false, errors: [{ column: 'Date of Birth' }] });
  });

  it('reads a good row of aging-generic.csv', () => {
    expect(validateAgingRow(ROW_2, ctx)).toEqual({
      ok: true,
      row: {
        claimNumber: 'C-100002',
        claimKey: 'C-100002',
        patientName: 'Okafor, Chidi',
        patientAccount: 'A1002',
        dateOfBirth: '1975-11-30',
        payerName: 'Medicare Part B',
        payerKey: 'medicarepartb',
        dateOfService: '2026-08-15',
        billedCents: 112050,
        balanceCents: 88025,
        agingBucket: '91-120',
      },
    });
  });

  it('reads a credit balance in parentheses and cleans the payer spelling', () => {
    const r = validateAgingRow(ROW_7, ctx);
    expect(r.ok && [r.row.balanceCents, r.row.payerName, r.row.payerKey, r.row.agingBucket]).toEqual([
      -1200,
      'Blue Cross Blue Shield',
      'bluecrossblueshield',
      '120+',
    ]);
  });

  it('reports every bad cell of a row, in the words of the file', () => {
    const bad = ['C-1', 'A1', 'Rivera, Ana', '13/45/1960', ' ', '02/30/2026', 'abc', '12.345'];
    expect(validateAgingRow(bad, ctx)).toEqual({
      ok: false,
      errors: [
        { column: 'Date of Birth', value: '13/45/1960', message: '"13/45/1960" is not a real date' },
        { column: 'Date of Service', value: '02/30/2026', message: '"02/30/2026" is not a real date' },
        { column: 'Billed Amount', value: 'abc', message: '"abc" is not an amount of money' },
        { column: 'Balance', value: '12.345', message: '"12.345" has more than two decimal places' },
      ],
      // The claim number names the claim whatever else is wrong with the row: it stays as it was.
      claimKey: 'C-1',
      balanceCents: null,
    });
  });

  it('requires a patient name, a date of service and a balance', () => {
    expect(validateAgingRow(['C-1', 'A1', '', '', 'Aetna', '', '10.00', ''], ctx)).toEqual({
      ok: false,
      errors: [
        { column: 'Patient Name', value: '', message: 'Patient Name is required' },
        { column: 'Date of Service', value: '', message: 'Date of Service is required' },
        { column: 'Balance', value: '', message: 'Balance is required' },
      ],
      claimKey: 'C-1',
      balanceCents: null,
    });
  });

  it('treats a "no date" sentinel in the date of service as a missing date', () => {
    const r = validateAgingRow(['C-1', 'A1', 'Rivera, Ana', '', 'Aetna', '01/01/1900', '', '5.00'], ctx);
    expect(r).toEqual({
      ok: false,
      errors: [{ column: 'Date of Service', value: '01/01/1900', message: 'Date of Service is required' }],
      claimKey: 'C-1',
      balanceCents: 500,
    });
  });

  it('uses the header as written in the file for the column', () => {
    const own = contextFor(['Claim #', 'Patient', 'Insurance', 'DOS', 'Amount Due']);
    const r = validateAgingRow(['9', 'Rivera, Ana', 'Aetna', 'soon', 'lots'], own);
    expect(r).toEqual({
      ok: false,
      errors: [
        { column: 'DOS', value: 'soon', message: '"soon" is not a date (expected MM/DD/YYYY)' },
        { column: 'Amount Due', value: 'lots', message: '"lots" is not an amount of money' },
      ],
      claimKey: '9',
      balanceCents: null,
    });
  });

  it('builds the name as "Last, First" from split columns', () => {
    const split = contextFor([
      'Patient ID',
      'Patient Last Name',
      'Patient First Name',
      'Payer Name',
      'Service Date',
      'Insurance Balance',
    ]);
    const r = validateAgingRow(['004001', ' Lindqvist ', 'Chidi', 'Cigna', '2026-02-04', '725.22'], split);
    expect(r.ok && r.row.patientName).toBe('Lindqvist, Chidi');
    const lastOnly = validateAgingRow(['004001', 'Lindqvist', '', 'Cigna', '2026-02-04', '725.22'], split);
    expect(lastOnly.ok && lastOnly.row.patientName).toBe('Lindqvist');
    expect(validateAgingRow(['004001', '', '', 'Cigna', '2026-02-04', '725.22'], split)).toEqual({
      ok: false,
      errors: [{ column: 'Patient Last Name', value: '', message: 'Patient Name is required' }],
      // No claim number, and the name is part of the key: which claim this is cannot be told.
      claimKey: null,
      balanceCents: 72522,
    });
  });

  it('keeps account numbers as text, leading zeros and all', () => {
    // From aging-generic-excel-1252.csv: two-digit years, account 041887.
    const r = validateAgingRow(
      ['728226-0', '041887', 'Lindqvist, Claire', '04/05/56', 'United Healthcare', '11/13/26', '$281.12', '$182.46'],
      ctx,
    );
    expect(r.ok && r.row).toEqual({
      claimNumber: '728226-0',
      claimKey: '728226-0',
      patientName: 'Lindqvist, Claire',
      patientAccount: '041887',
      dateOfBirth: '1956-04-05',
      payerName: 'United Healthcare',
      payerKey: 'unitedhealthcare',
      dateOfService: '2026-11-13',
      billedCents: 28112,
      balanceCents: 18246,
      agingBucket: '0-30',
    });
  });

  it('hashes a key when the row has no claim number, and leaves billed optional', () => {
    const r = validateAgingRow(
      ['', 'A1001', 'Rivera, Ana', '03/14/1962', 'Blue Cross Blue Shield', '09/02/2026', '', '245.00'],
      ctx,
    );
    expect(r.ok && [r.row.claimNumber, r.row.billedCents, r.row.claimKey]).toEqual([
      null,
      null,
      'h:5d16409da971c7b64729ad5b1a22c23d',
    ]);
  });

  it('does not reject a date of service after the report date', () => {
    const r = validateAgingRow(['C-9', 'A9', 'Rivera, Ana', '', 'Aetna', '12/01/2026', '', '1.00'], ctx);
    expect(r.ok && [r.row.dateOfService, r.row.agingBucket, r.row.dateOfBirth]).toEqual(['2026-12-01', '0-30', null]);
  });

  it('requires the claim number when the profile always has one', () => {
    const strict = { ...ctx, profile: { ...genericProfile, hasClaimNumber: true } };
    expect(validateAgingRow(['', ...ROW_2.slice(1)], strict)).toMatchObject({
      ok: false,
      errors: [{ column: 'Claim Number', value: '', message: 'Claim Number is required' }],
    });
  });

  it('reads a row shorter than the header as empty trailing cells', () => {
    expect(validateAgingRow(['C-1', 'A1', 'Rivera, Ana', '', 'Aetna', '09/02/2026'], ctx)).toEqual({
      ok: false,
      errors: [{ column: 'Balance', value: '', message: 'Balance is required' }],
      claimKey: 'C-1',
      balanceCents: null,
    });
  });

  it('imports a row with a balance and no payer as self-pay, the patient\'s own balance', () => {
    const r = validateAgingRow(['C-5', 'A5', 'Rivera, Ana', '', '', '09/02/2026', '', '35.00'], ctx);
    expect(r.ok && [r.row.payerName, r.row.payerKey, r.row.balanceCents]).toEqual([SELF_PAY_PAYER, SELF_PAY_KEY, 3500]);
  });

  it('keys a rejected row without a claim number only when every part of its key was read', () => {
    const noNumber = (cells: string[]) => validateAgingRow(['', ...cells], ctx);
    const good = noNumber(['A1001', 'Rivera, Ana', '03/14/1962', 'Aetna', '09/02/2026', '245.00', '245.00']);
    expect(good.ok).toBe(true);
    const key = good.ok ? good.row.claimKey : '';
    // The balance is no part of the key: a row with an unreadable balance still names its claim.
    expect(noNumber(['A1001', 'Rivera, Ana', '03/14/1962', 'Aetna', '09/02/2026', '245.00', 'n/a'])).toMatchObject({
      ok: false,
      claimKey: key,
      balanceCents: null,
    });
    // The billed amount is: unreadable, it leaves the claim unnamed.
    expect(noNumber(['A1001', 'Rivera, Ana', '03/14/1962', 'Aetna', '09/02/2026', 'n/a', '1.00'])).toMatchObject({
      ok: false,
      claimKey: null,
      balanceCents: 100,
    });
  });
});

describe('isBlankRow', () => {
  it('is true only when every cell is empty or whitespace', () => {
    expect(isBlankRow([])).toBe(true);
    expect(isBlankRow(['', ' ', '\u00a0', '\u200b'])).toBe(true);
    expect(isBlankRow(['', '', '0'])).toBe(false);
    expect(isBlankRow(['Grand Total', '', '$27,908.91'])).toBe(false);
  });
});
