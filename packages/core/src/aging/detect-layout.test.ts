import type { DetectLayoutOptions } from './detect-layout.js';
import { detectLayout } from './detect-layout.js';

const TODAY = '2026-11-23';
const csv: DetectLayoutOptions = { fileType: 'csv', today: TODAY };
const xls: DetectLayoutOptions = { fileType: 'xls', today: TODAY };

// Headers and title lines of ../shared/samples, a data row under each.
const GENERIC = [
  [
    'Claim Number',
    'Patient Account',
    'Patient Name',
    'Date of Birth',
    'Payer',
    'Date of Service',
    'Billed Amount',
    'Balance',
  ],
  ['C-100001', 'A1001', 'Rivera, Ana', '03/14/1962', 'Blue Cross Blue Shield', '09/02/2026', '245.00', '245.00'],
];
const CRYSTAL = [
  ['Insurance Receivable'],
  ['Printed: 11/20/2026 6:02 PM'],
  ['Location: All Locations'],
  [''],
  [
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
  [
    'Nguyen, Mai',
    '090763',
    '07/28/1955',
    'Medicaid',
    'P0907639',
    '159647-0',
    '03/27/2026',
    '03/30/2026',
    '1700.46',
    '0.00',
    '640.46',
    '1060.00',
    '238',
  ],
];
const COMPULINK = [
  ['Ins. Receivables by Payor', '', ''],
  ['LOCATION GROUP (Svc Loc): MAIN', '', ''],
  ['Svc Date: 01/01/2000 - 11/20/2026', '', ''],
  ['', '', ''],
  [
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
  ['AETNA', '', ''],
];

describe('detectLayout', () => {
  it('finds the header below the title lines and reads the report date from them', () => {
    const r = detectLayout(CRYSTAL, csv);
    expect(r.ok && [r.value.profile.id, r.value.headerIndex, r.value.reportDate]).toEqual([
      'crystalpm',
      4,
      '2026-11-20',
    ]);
    expect(r.ok && r.value.mapping.columns).toMatchObject({
      claimNumber: 5,
      subscriberId: 4,
      balance: 11,
      daysOutstanding: 12,
    });
    expect(r.ok && r.value.mapping.unmatched).toEqual(['Billed Date']);
  });

  it('picks Compulink from its own column names and the end of its service date range', () => {
    const r = detectLayout(COMPULINK, xls);
    expect(r.ok && [r.value.profile.id, r.value.headerIndex, r.value.reportDate]).toEqual([
      'compulink',
      4,
      '2026-11-20',
    ]);
  });

  it('keeps the generic profile for a header every system could read but none claims', () => {
    const r = detectLayout(GENERIC, csv);
    expect(r.ok && [r.value.profile.id, r.value.headerIndex, r.value.reportDate]).toEqual(['generic', 0, null]);
  });

  it('lets a system win over generic as soon as two of its own columns are there', () => {
    const header = ['Claim #', 'Patient Name', 'Insurance', 'Service Date', 'Amount Due', 'Days Past'];
    const r = detectLayout([header], csv);
    expect(r.ok && r.value.profile.id).toBe('crystalpm');
    // One is not enough: "Payor" alone is a word many systems use.
    const one = detectLayout([['Patient Name', 'Payor', 'Service Date', 'Balance']], csv);
    expect(one.ok && one.value.profile.id).toBe('generic');
  });

  it('reads a re-saved export with its system profile, whatever the file type', () => {
    const r = detectLayout(COMPULINK, csv);
    expect(r.ok && r.value.profile.id).toBe('compulink');
  });

  it('refuses a tie between two systems and names both', () => {
    const header = [['Payor', 'Ins Balance', 'Claim ID', 'Claim Status', 'Patient', 'DOS']];
    expect(detectLayout(header, xls)).toEqual({
      ok: false,
      error:
        "This file's header fits Compulink — Ins. Receivables by Payor (Excel 97-2000 .xls) and Eyefinity Encompass — AR Detail Table (Excel) equally well. Choose the system that produced it when you upload.",
    });
    // Only Eyefinity exports .xlsx, which settles it.
    const r = detectLayout(header, { ...xls, fileType: 'xlsx' });
    expect(r.ok && r.value.profile.id).toBe('eyefinity');
  });

  it('lists the closest layouts and the columns it did not recognize when nothing fits', () => {
    expect(detectLayout([['Pt', 'Payor', 'Amt Owed', 'When']], csv)).toEqual({
      ok: false,
      error:
        "This file's header does not match any aging report layout we know. Closest: " +
        'Compulink — Ins. Receivables by Payor (Excel 97-2000 .xls), which needs Claim Number ("Invoice #"), Date of Service ("Svc Date") and Balance ("Ins Balance"); ' +
        'Generic aging report (CSV or Excel), which needs Date of Service and Balance. ' +
        'Columns we did not recognize: "Amt Owed", "When". Check that you exported the report named for your system, ' +
        'choose your system when uploading, or map the columns yourself for this header.',
    });
  });

  it('says so when a file looks like a system but lacks a column that system always has', () => {
    const noInvoice = [['Payor', 'Acct #', 'Patient', 'Svc Date', 'Ins Balance']];
    const r = detectLayout(noInvoice, xls);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(
      /^This file looks like Compulink — Ins\. Receivables by Payor \(Excel 97-2000 \.xls\), but its header has no column for Claim Number \("Invoice #"\)\./,
    );
  });

  it('says when no line of the file looks like a header', () => {
    const r = detectLayout([['Aging Report'], ['hello', 'world']], csv);
    expect(!r.ok && r.error).toMatch(/^We could not find the header row of this aging report/);
    expect(detectLayout([[''], []], csv)).toEqual({
      ok: false,
      error: 'The file is empty: it has no header row and no claims.',
    });
  });

  it('does not look for the header past the title lines a layout allows', () => {
    const titles = Array.from({ length: 11 }, (_, i) => [`Title line ${i + 1}`]);
    const r = detectLayout([...titles, ...GENERIC], csv);
    expect(!r.ok && r.error).toMatch(/^We could not find the header row/);
  });
});

describe('detectLayout with the system named by the uploader', () => {
  it('uses the named profile', () => {
    const r = detectLayout(CRYSTAL, { ...csv, formatHint: 'crystalpm' });
    expect(r.ok && r.value.profile.id).toBe('crystalpm');
    const generic = detectLayout(CRYSTAL, { ...csv, formatHint: 'generic' });
    expect(generic.ok && [generic.value.profile.id, generic.value.headerIndex]).toEqual(['generic', 4]);
    const detect = detectLayout(CRYSTAL, { ...csv, formatHint: 'detect' });
    expect(detect.ok && detect.value.profile.id).toBe('crystalpm');
  });

  it('explains that the named system does not export this file type', () => {
    expect(detectLayout(CRYSTAL, { ...csv, formatHint: 'compulink' })).toEqual({
      ok: false,
      error:
        'Compulink exports its aging report as an Excel 97-2000 (.xls) file, but this file is a CSV. ' +
        'In Compulink, run Ins. Receivables by Payor and save it as "Microsoft Excel 97-2000 – Data only". ' +
        'It looks like Crystal PM — Insurance Receivable (CSV) instead: choose Crystal PM or let us detect the layout.',
    });
    const r = detectLayout(COMPULINK, { ...xls, formatHint: 'crystalpm' });
    expect(!r.ok && r.error).toMatch(
      /^Crystal PM exports its aging report as a CSV file, but this file is an Excel 97-2000 \(\.xls\) file\./,
    );
  });

  it('explains that the header is not the named system’s', () => {
    expect(detectLayout([['Patient', 'Payer', 'Amount']], { ...csv, formatHint: 'officemate' })).toEqual({
      ok: false,
      error:
        "This file's header does not look like OfficeMate — Insurance Aging by Patient Detail (CSV): it has no column for " +
        'Claim Number ("Fee Slip #"), Date of Service or Balance ("Fee Slip Balance"). Its columns are: Patient, Payer, Amount.',
    });
  });

  it('refuses a header that carries another system’s own columns', () => {
    expect(detectLayout(CRYSTAL, { ...csv, formatHint: 'officemate' })).toEqual({
      ok: false,
      error:
        "You chose OfficeMate, but this file's header looks like Crystal PM — Insurance Receivable (CSV): " +
        '"Policy #", "Billed Date", "Amount Due" and "Days Past" are Crystal PM columns. Choose Crystal PM, or let us detect the layout.',
    });
  });

  it('lists the systems it knows when the name is not one of them', () => {
    expect(detectLayout(GENERIC, { ...csv, formatHint: 'medisoft' })).toEqual({
      ok: false,
      error:
        '"medisoft" is not a system we know. Choose one of compulink (Compulink), crystalpm (Crystal PM), ' +
        'eyefinity (Eyefinity Encompass), officemate (OfficeMate), openemr (OpenEMR), revolutionehr (RevolutionEHR) ' +
        'or generic (Generic aging report), ' +
        'or "detect" to let us tell from the file.',
    });
  });
});

describe('detectLayout with saved column mappings', () => {
  const OWN = ['Acct', 'Who', 'Ins', 'When', 'Owed', 'Notes'];
  const saved = {
    id: 'map-1',
    header: ['ACCT', 'who', 'Ins.', 'When', 'Owed', 'Notes', ''],
    columns: { patientAccount: 0, patientName: 1, payer: 2, dateOfService: 3, balance: 4 },
  };

  it('uses a saved mapping whose header is the file’s, ignoring case, punctuation and trailing blanks', () => {
    const r = detectLayout([['My Aging As of 11/20/2026'], OWN], { ...csv, savedMappings: [saved] });
    expect(r.ok && r.value).toEqual({
      profile: expect.objectContaining({ id: 'generic' }),
      headerIndex: 1,
      mapping: { profileId: 'generic', columns: saved.columns, unmatched: ['Notes'] },
      reportDate: '2026-11-20',
      savedMappingId: 'map-1',
    });
  });

  it('lets a saved mapping win outright over a profile that reads the header', () => {
    const swapped = {
      id: 'map-2',
      header: GENERIC[0] ?? [],
      columns: { patientName: 2, payer: 4, dateOfService: 5, balance: 6 },
    };
    const r = detectLayout(GENERIC, { ...csv, savedMappings: [swapped] });
    expect(r.ok && [r.value.savedMappingId, r.value.mapping.columns.balance]).toEqual(['map-2', 6]);
  });

  it('keeps the named system’s conventions with a saved mapping', () => {
    const withInvoice = { ...saved, columns: { ...saved.columns, claimNumber: 5 } };
    const r = detectLayout([OWN], { ...xls, formatHint: 'compulink', savedMappings: [withInvoice] });
    expect(r.ok && [r.value.profile.id, r.value.savedMappingId]).toEqual(['compulink', 'map-1']);
  });

  it('refuses a saved mapping that lacks a column an import needs', () => {
    const incomplete = { ...saved, columns: { patientName: 1, payer: 2, dateOfService: 3, balance: 9 } };
    expect(detectLayout([OWN], { ...csv, savedMappings: [incomplete] })).toEqual({
      ok: false,
      error:
        'The column mapping saved for this header has no column for Balance. Update the mapping and upload the file again.',
    });
  });
});

describe('a saved column mapping reads columns by their names', () => {
  const byName = {
    id: 'map-3',
    header: ['Ref', 'Who', 'Insurer', 'Seen On', 'Owed'],
    columns: { claimNumber: 'Ref', patientName: 'Who', payer: 'Insurer', dateOfService: 'Seen On', balance: 'Owed' },
  };

  it('still reads a later export whose columns were reordered and which has one more', () => {
    const later = ['Owed', 'Branch', 'Seen On', 'Who', 'Ref', 'Insurer'];
    const r = detectLayout([later], { ...csv, savedMappings: [byName] });
    expect(r.ok && r.value.mapping.columns).toEqual({ claimNumber: 4, patientName: 3, payer: 5, dateOfService: 2, balance: 0 });
    expect(r.ok && [r.value.savedMappingId, r.value.mapping.unmatched]).toEqual(['map-3', ['Branch']]);
  });

  it('does not apply to a file that lacks one of its columns', () => {
    const r = detectLayout([['Ref', 'Who', 'Insurer', 'Seen On']], { ...csv, savedMappings: [byName] });
    expect(r.ok).toBe(false);
  });

  it('refuses a file with two columns of a name it reads money from', () => {
    const r = detectLayout([['Ref', 'Who', 'Insurer', 'Seen On', 'Owed', 'Owed']], { ...csv, savedMappings: [byName] });
    expect(r).toEqual({
      ok: false,
      error:
        'Two columns of this file are both called "Owed", which your saved column mapping reads as Balance. Ledgerport cannot tell which one to use. Remove or rename one of them in the file, then upload it again.',
    });
  });
});

describe('detectLayout refuses a header with two columns for one field', () => {
  it('names both columns, with their letters, when two read as Balance', () => {
    const r = detectLayout(
      [['Claim Number', 'Patient Name', 'Payer', 'Date of Service', 'Balance', 'Notes', 'Balance'], ['C-1', 'Rivera, Ana', 'Aetna', '09/02/2026', '1.00', '', '2.00']],
      { fileType: 'csv', today: '2026-11-23' },
    );
    expect(r).toEqual({
      ok: false,
      error:
        'Two columns of this file both read as Balance: "Balance" (column E) and "Balance" (column G). Ledgerport cannot tell which one to use. Remove or rename one of them in the file, then upload it again.',
    });
  });

  it('still reads a second column for a field no claim is stored by (an extra aging bucket)', () => {
    const r = detectLayout(
      [['Claim Number', 'Patient Name', 'Payer', 'Date of Service', 'Balance', 'Current', 'Current']],
      { fileType: 'csv', today: '2026-11-23' },
    );
    expect(r.ok).toBe(true);
  });
});
