// Deterministic aging files of any size in the layout of each PM system's report (the shapes of
// ../shared/samples: title lines, the header, payer groups with their subtotal lines, a total line),
// written as CSV or as XLSX without holding the file in memory.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { writeXlsx, type XlsxCell } from './xlsx-writer.js';

export const LAYOUT_PROFILES = [
  'generic',
  'compulink',
  'crystalpm',
  'eyefinity',
  'officemate',
  'revolutionehr',
] as const;
export type LayoutProfile = (typeof LAYOUT_PROFILES)[number];

/** Money in cents, a date (ISO), a whole number, text, or an empty cell. */
export type LayoutCell = string | { cents: number } | { date: string } | { int: number } | null;

const PAYERS = [
  'Aetna',
  'Blue Cross Blue Shield',
  'Cigna',
  'Humana',
  'Medicare Part B',
  'UnitedHealthcare',
  'VSP Vision Care',
  'EyeMed',
];
// Claims per payer group in the grouped layouts (Compulink, OfficeMate).
const GROUP = 1000;
const REPORT_DATE = '11/20/2026';

const HEADERS: Record<LayoutProfile, string[]> = {
  generic: [
    'Claim Number',
    'Patient Account',
    'Patient Name',
    'Date of Birth',
    'Payer',
    'Date of Service',
    'Billed Amount',
    'Balance',
  ],
  compulink: [
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
  ],
  crystalpm: [
    'Patient Name',
    'Patient ID',
    'DOB',
    'Insurance',
    'Policy #',
    'Claim #',
    'Service Date',
    'Billed Date',
    'Amount Billed',
    'Insurance Paid',
    'Adjustments',
    'Amount Due',
    'Days Past',
  ],
  eyefinity: [
    'Claim ID',
    'Patient',
    'Patient DOB',
    'Carrier Name',
    'Plan Name',
    'Service Date',
    'Claim Status',
    'Location',
    'Billed Amount',
    'Balance',
    'Aging Bucket',
  ],
  officemate: [
    'Insurance',
    'Patient',
    'Patient #',
    'Fee Slip #',
    'Date of Service',
    'Fee Slip Balance',
    '0-30',
    '31-60',
    '61-90',
    '91-120',
    '121+',
  ],
  revolutionehr: [
    'Invoice ID',
    'Invoice Date',
    'Service Date',
    'Patient ID',
    'Patient Last Name',
    'Patient First Name',
    'Patient DOB',
    'Payer Name',
    'Location',
    'Provider',
    'Total Charges',
    'Insurance Balance',
    'Patient Balance',
    'Aging Days',
  ],
};

const TITLES: Record<LayoutProfile, string[][]> = {
  generic: [],
  compulink: [
    ['Ins. Receivables by Payor'],
    ['LOCATION GROUP (Svc Loc): MAIN'],
    [`Svc Date: 01/01/2000 - ${REPORT_DATE}`],
    [],
  ],
  crystalpm: [['Insurance Receivable'], [`Printed: ${REPORT_DATE} 6:02 PM`], ['Location: All Locations'], []],
  eyefinity: [],
  officemate: [['Insurance Aging by Patient Detail'], [`As of ${REPORT_DATE}`], []],
  revolutionehr: [],
};

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Claim i, the same in every layout and container. */
function claim(i: number) {
  const billed = 5000 + ((i * 7919) % 200000);
  const balance = i % 101 === 0 ? -((i % 50) + 1) * 100 : Math.floor(billed / 2) + (i % 13);
  const serviceMonth = 1 + (i % 10);
  const serviceDay = 1 + (i % 28);
  const days = 30 + ((i * 37) % 300);
  return {
    number: `C-${pad(i, 8)}`,
    account: pad(i % 1_000_000, 6),
    last: `Patient${i}`,
    first: 'Test',
    dob: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 9}`,
    dos: `2026-${pad(serviceMonth, 2)}-${pad(serviceDay, 2)}`,
    billed,
    balance,
    days,
    /** which of five aging buckets the balance sits in */
    bucket: Math.min(4, Math.floor(days / 30) - 1),
  };
}

const money = (cents: number): LayoutCell => ({ cents });
const buckets = (bucket: number, cents: number): LayoutCell[] =>
  [0, 1, 2, 3, 4].map((b) => money(b === bucket ? cents : 0));
const nextDay = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Every line of the file: title lines, the header, the claims with their group and total lines. */
export function* layoutRows(profile: LayoutProfile, claims: number): Generator<LayoutCell[]> {
  yield* TITLES[profile];
  yield HEADERS[profile];
  let billedSum = 0;
  let balanceSum = 0;
  let groupSum = 0;
  for (let i = 1; i <= claims; i++) {
    const c = claim(i);
    const payer = PAYERS[Math.floor((i - 1) / GROUP) % PAYERS.length] ?? 'Aetna';
    const groupStart = (i - 1) % GROUP === 0;
    const groupEnd = i % GROUP === 0 || i === claims;
    billedSum += c.billed;
    balanceSum += c.balance;
    groupSum += c.balance;
    switch (profile) {
      case 'generic':
        yield [
          c.number,
          `A${c.account}`,
          `${c.last}, ${c.first}`,
          { date: c.dob },
          PAYERS[i % PAYERS.length] ?? payer,
          { date: c.dos },
          money(c.billed),
          money(c.balance),
        ];
        break;
      case 'compulink':
        if (groupStart) yield [payer.toUpperCase()];
        yield [
          '',
          c.account,
          `${c.last}, ${c.first}`,
          { date: c.dob },
          c.number,
          { date: c.dos },
          money(c.billed),
          money(c.balance),
          ...buckets(c.bucket, c.balance),
        ];
        if (groupEnd) yield ['Payor Total:', null, null, null, null, null, null, money(groupSum)];
        break;
      case 'crystalpm':
        yield [
          `${c.last}, ${c.first}`,
          c.account,
          { date: c.dob },
          PAYERS[i % PAYERS.length] ?? payer,
          `P${c.account}9`,
          c.number,
          { date: c.dos },
          { date: nextDay(c.dos) },
          money(c.billed),
          money(0),
          money(c.billed - c.balance),
          money(c.balance),
          { int: c.days },
        ];
        break;
      case 'eyefinity':
        yield [
          c.number,
          `${c.first} ${c.last}`,
          { date: c.dob },
          PAYERS[i % PAYERS.length] ?? payer,
          'Standard',
          { date: c.dos },
          c.balance < 0 ? 'Credit Balance' : 'Submitted',
          'Main Street',
          money(c.billed),
          money(c.balance),
          ['0-30', '31-60', '61-90', '91-120', '120+'][c.bucket] ?? '120+',
        ];
        break;
      case 'officemate':
        yield [
          payer,
          `${c.last}, ${c.first}`.toUpperCase(),
          c.account,
          `FS-${c.number.slice(2)}`,
          { date: c.dos },
          money(c.balance),
          ...buckets(c.bucket, c.balance),
        ];
        if (groupEnd) yield [`${payer} Total`, null, null, null, null, money(groupSum), null, null, null, null, null];
        break;
      case 'revolutionehr':
        yield [
          c.number,
          { date: nextDay(c.dos) },
          { date: c.dos },
          c.account,
          c.last,
          c.first,
          { date: c.dob },
          PAYERS[i % PAYERS.length] ?? payer,
          'Main Street',
          'Dr. Avery Lin',
          money(c.billed),
          money(c.balance),
          money(0),
          { int: c.days },
        ];
        break;
    }
    if (groupEnd) groupSum = 0;
  }
  if (profile === 'compulink')
    yield ['Grand Total:', null, null, null, null, null, money(billedSum), money(balanceSum)];
  if (profile === 'crystalpm')
    yield [
      'Total',
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      money(billedSum),
      money(0),
      null,
      money(balanceSum),
      null,
    ];
  if (profile === 'officemate') yield ['Report Totals', null, null, null, null, money(balanceSum)];
}

/** The balance total of the claims, in cents, as an import must find it. */
export function layoutBalanceCents(claims: number): number {
  let sum = 0;
  for (let i = 1; i <= claims; i++) sum += claim(i).balance;
  return sum;
}

function csvText(cell: LayoutCell, isoDates: boolean): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  if ('cents' in cell) return (cell.cents / 100).toFixed(2);
  if ('int' in cell) return String(cell.int);
  return isoDates ? cell.date : `${cell.date.slice(5, 7)}/${cell.date.slice(8, 10)}/${cell.date.slice(0, 4)}`;
}

function xlsxCell(cell: LayoutCell): XlsxCell {
  if (cell === null || typeof cell === 'string') return cell;
  if ('cents' in cell) return cell.cents / 100;
  if ('int' in cell) return cell.int;
  return cell;
}

/** The layout as its system saves CSV (RevolutionEHR's dates are ISO, the others MM/DD/YYYY). */
export async function writeLayoutCsv(file: string, profile: LayoutProfile, claims: number): Promise<void> {
  const out = createWriteStream(file);
  const iso = profile === 'revolutionehr';
  let buf = '';
  for (const row of layoutRows(profile, claims)) {
    buf += row.map((c) => csvText(c, iso)).join(',') + '\r\n';
    if (buf.length >= 65_536) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

/** The layout as an Excel workbook: text as shared strings, real dates and numbers. */
export function writeLayoutXlsx(
  file: string,
  profile: LayoutProfile,
  claims: number,
  opts: { date1904?: boolean } = {},
): Promise<void> {
  return writeXlsx(
    file,
    () =>
      (function* () {
        for (const row of layoutRows(profile, claims)) yield row.map(xlsxCell);
      })(),
    { sheetName: 'Aging', date1904: opts.date1904 },
  );
}
