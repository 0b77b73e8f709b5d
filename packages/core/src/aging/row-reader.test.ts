import type { LayoutDetection } from './detect-layout.js';
import { mapHeader } from './header-map.js';
import type { FormatProfile } from './profile.js';
import { compulinkProfile, genericProfile, officeMateProfile, revolutionEhrProfile } from './profiles/index.js';
import type { RowReaderContext } from './row-reader.js';
import { createRowReader } from './row-reader.js';

const TODAY = '2026-11-23';

function readerFor(profile: FormatProfile, header: string[], reportDate = '2026-11-20') {
  const mapping = mapHeader(header, profile);
  if (!mapping.ok) throw new Error(mapping.error);
  const det: LayoutDetection = { profile, headerIndex: 0, mapping: mapping.value, reportDate };
  const ctx: RowReaderContext = { header, reportDate, today: TODAY };
  return createRowReader(det, ctx);
}

function payerOf(r: ReturnType<ReturnType<typeof readerFor>>): string | undefined {
  return r.kind === 'row' ? r.row.payerName : undefined;
}

const COMPULINK_HEADER = [
  'Payor',
  'Acct #',
  'Patient',
  'Birth Date',
  'Invoice #',
  'Svc Date',
  'Charges',
  'Ins Balance',
  'Current',
  '31-60',
  '61-90',
  '91-120',
  'Over 120',
];
const compulinkRow = (payer: string, invoice: string): string[] => [
  payer,
  '013266',
  'Okafor, Claire',
  '2008-07-02',
  invoice,
  '2026-01-27',
  '1225.48',
  '758.67',
  '0',
  '0',
  '0',
  '0',
  '758.67',
];

describe('createRowReader', () => {
  it('gives detail rows the payer of the payor row above them, until the group total', () => {
    const read = readerFor(compulinkProfile, COMPULINK_HEADER);
    expect(read(['AETNA', '', '', '', '', '', '', '', '', '', '', '', ''])).toEqual({ kind: 'skip', reason: 'group' });
    expect(payerOf(read(compulinkRow('', '544046-6')))).toBe('AETNA');
    // A row naming its own payer keeps it, and does not change the group's.
    expect(payerOf(read(compulinkRow('Cigna', '544046-7')))).toBe('Cigna');
    expect(payerOf(read(compulinkRow('', '544046-8')))).toBe('AETNA');
    expect(read(['Payor Total:', '', '', '', '', '', '', '1989.49'])).toEqual({ kind: 'skip', reason: 'total' });
    // After the total there is no group: the payer is missing, not silently the previous one.
    expect(read(compulinkRow('', '544046-9'))).toEqual({
      kind: 'error',
      errors: [{ column: 'Payor', value: '', message: 'Payer is required' }],
      claimKey: '544046-9',
      balanceCents: expect.any(Number),
    });
  });

  it('reads "Payor: Aetna" group headings, in one cell or two', () => {
    const read = readerFor(genericProfile, ['Claim #', 'Patient', 'Payer', 'DOS', 'Balance']);
    expect(read(['Payor: Aetna', '', '', '', ''])).toEqual({ kind: 'skip', reason: 'group' });
    expect(payerOf(read(['C-1', 'Rivera, Ana', '', '09/02/2026', '245.00']))).toBe('Aetna');
    expect(read(['Insurance:', 'Blue Cross', '', '', ''])).toEqual({ kind: 'skip', reason: 'group' });
    expect(payerOf(read(['C-2', 'Rivera, Ana', '', '09/02/2026', '245.00']))).toBe('Blue Cross');
  });

  it('treats a lone payer cell as a claim to fix, not a group, where the layout has no such rows', () => {
    const read = readerFor(genericProfile, ['Claim #', 'Patient', 'Payer', 'DOS', 'Balance']);
    expect(read(['', '', 'Aetna', '', '']).kind).toBe('error');
  });

  it.each([
    ['Total'],
    ['Grand Total:'],
    ['Report Totals'],
    ['Aetna Total'],
    ['Blue Cross  Blue Shield Total'],
    ['Subtotal'],
    ['Sub-Total'],
    ['Payor Total:'],
  ])('skips the total line "%s"', (label) => {
    const read = readerFor(officeMateProfile, [
      'Insurance',
      'Patient',
      'Patient #',
      'Fee Slip #',
      'Date of Service',
      'Fee Slip Balance',
    ]);
    expect(read([label, '', '', '', '', '184.17'])).toEqual({ kind: 'skip', reason: 'total' });
  });

  it('reads a claim of a payer whose name starts with "Total", because it has a date of service', () => {
    const read = readerFor(officeMateProfile, [
      'Insurance',
      'Patient',
      'Patient #',
      'Fee Slip #',
      'Date of Service',
      'Fee Slip Balance',
    ]);
    expect(payerOf(read(['Total Health Care', 'MBEKI, SIOBHAN', '035277', 'FS-1', '04/14/2026', '184.17']))).toBe(
      'Total Health Care',
    );
  });

  it('skips blank lines, a repeated header and the title lines of a new page', () => {
    const read = readerFor(compulinkProfile, COMPULINK_HEADER);
    expect(read(['', ' ', ''])).toEqual({ kind: 'skip', reason: 'blank' });
    expect(read([...COMPULINK_HEADER, ''])).toEqual({ kind: 'skip', reason: 'title' });
    for (const line of [
      'Ins. Receivables by Payor',
      'Page 2 of 3',
      'Printed: 11/20/2026 6:02 PM',
      'LOCATION GROUP (Svc Loc): MAIN',
    ]) {
      expect(read([line])).toEqual({ kind: 'skip', reason: 'title' });
    }
  });

  it('joins split first and last names', () => {
    const header = [
      'Invoice ID',
      'Service Date',
      'Patient Last Name',
      'Patient First Name',
      'Payer Name',
      'Insurance Balance',
    ];
    const read = readerFor(revolutionEhrProfile, header);
    const r = read(['743069-0', '2026-02-04', 'Lindqvist', 'Chidi', 'Cigna', '725.22']);
    expect(r.kind === 'row' && r.row.patientName).toBe('Lindqvist, Chidi');
  });

  it("honours the profile's date order and decimal comma", () => {
    const european: FormatProfile = { ...genericProfile, id: 'eu', dateOrder: 'DMY', decimalComma: true };
    const read = readerFor(european, ['Claim #', 'Patient', 'Payer', 'DOS', 'Billed', 'Balance']);
    const r = read(['C-1', 'Müller, Jörg', 'AOK', '05/11/2026', '1.234,56', '1.000,50']);
    expect(r.kind === 'row' && [r.row.dateOfService, r.row.billedCents, r.row.balanceCents]).toEqual([
      '2026-11-05',
      123456,
      100050,
    ]);
  });

  it('passes on the errors of a bad row', () => {
    const read = readerFor(compulinkProfile, COMPULINK_HEADER);
    const row = compulinkRow('AETNA', '');
    row[5] = '02/30/2026';
    expect(read(row)).toEqual({
      kind: 'error',
      errors: [
        { column: 'Invoice #', value: '', message: 'Claim Number is required' },
        { column: 'Svc Date', value: '02/30/2026', message: '"02/30/2026" is not a real date' },
      ],
      claimKey: null,
      balanceCents: expect.any(Number),
    });
  });
});

describe('createRowReader warnings', () => {
  const read = readerFor(compulinkProfile, COMPULINK_HEADER);
  const row = (changes: Record<number, string>): string[] => {
    const cells = compulinkRow('AETNA', '544046-6');
    for (const [i, v] of Object.entries(changes)) cells[Number(i)] = v;
    return cells;
  };

  it('gives a consistent row no warning', () => {
    expect(read(row({}))).toMatchObject({ kind: 'row', warnings: [] });
  });

  it('warns when the aging columns do not add up to the balance', () => {
    expect(read(row({ 12: '700.00' }))).toMatchObject({
      kind: 'row',
      warnings: [
        {
          column: 'Ins Balance',
          value: '758.67',
          message: 'The aging columns add up to $700.00, but the balance is $758.67',
        },
      ],
    });
  });

  it('warns when the balance is more than the billed amount', () => {
    expect(read(row({ 6: '500' }))).toMatchObject({
      kind: 'row',
      warnings: [
        {
          column: 'Ins Balance',
          value: '758.67',
          message: 'The balance $758.67 is more than the billed amount $500.00',
        },
      ],
    });
  });

  it('warns when the date of service is after the report date', () => {
    expect(read(row({ 5: '2026-11-21', 8: '758.67', 12: '0' }))).toMatchObject({
      kind: 'row',
      warnings: [
        {
          column: 'Svc Date',
          value: '2026-11-21',
          message: 'The date of service 11/21/2026 is after the report date 11/20/2026',
        },
      ],
    });
  });

  it('stages the row with every warning it has', () => {
    const r = read(row({ 5: '2026-12-01', 6: '10', 12: '1' }));
    expect(r.kind === 'row' && r.warnings.map((w) => w.message)).toEqual([
      'The aging columns add up to $1.00, but the balance is $758.67',
      'The balance $758.67 is more than the billed amount $10.00',
      'The date of service 12/01/2026 is after the report date 11/20/2026',
    ]);
    expect(r.kind === 'row' && r.row.claimNumber).toBe('544046-6');
  });
});
