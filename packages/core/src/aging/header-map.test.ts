import { genericProfile } from './profiles/generic.js';
import type { FormatProfile } from './profile.js';
import { mapHeader, scoreHeader } from './header-map.js';

// Header of ../shared/samples/aging-generic.csv (and of its Excel/Windows-1252 twin).
const GENERIC_HEADER = [
  'Claim Number',
  'Patient Account',
  'Patient Name',
  'Date of Birth',
  'Payer',
  'Date of Service',
  'Billed Amount',
  'Balance',
];

describe('mapHeader', () => {
  it("maps every column of aging-generic.csv's header", () => {
    expect(mapHeader(GENERIC_HEADER, genericProfile)).toEqual({
      ok: true,
      value: {
        profileId: 'generic',
        columns: {
          claimNumber: 0,
          patientAccount: 1,
          patientName: 2,
          dateOfBirth: 3,
          payer: 4,
          dateOfService: 5,
          billed: 6,
          balance: 7,
        },
        unmatched: [],
      },
    });
  });

  it('ignores case, spacing, punctuation and a byte-order mark', () => {
    const r = mapHeader(['\ufeffCLAIM #', 'patient_name', 'Insurance:', 'DOS', ' Balance Due '], genericProfile);
    expect(r.ok && r.value.columns).toEqual({ claimNumber: 0, patientName: 1, payer: 2, dateOfService: 3, balance: 4 });
  });

  it('maps the split patient names and the other layouts of the samples', () => {
    const revolution = [
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
    ];
    expect(mapHeader(revolution, genericProfile)).toEqual({
      ok: true,
      value: {
        profileId: 'generic',
        columns: {
          claimNumber: 0,
          dateOfService: 2,
          patientAccount: 3,
          patientLastName: 4,
          patientFirstName: 5,
          dateOfBirth: 6,
          payer: 7,
          location: 8,
          provider: 9,
          billed: 10,
          balance: 11,
          daysOutstanding: 13,
        },
        unmatched: ['Invoice Date', 'Patient Balance'],
      },
    });
  });

  it('keeps "Patient" (a name) and "Patient #" (an account) apart', () => {
    const officeMate = [
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
    ];
    const r = mapHeader(officeMate, genericProfile);
    expect(r.ok && r.value.columns).toEqual({
      payer: 0,
      patientName: 1,
      patientAccount: 2,
      claimNumber: 3,
      dateOfService: 4,
      balance: 5,
      bucketCurrent: 6,
      bucket30: 7,
      bucket60: 8,
      bucket90: 9,
      bucket120: 10,
    });
  });

  it('gives a field its first matching column and a column one field at most', () => {
    const r = mapHeader(
      ['Payer', 'Patient Name', 'DOS', 'Balance', 'Insurance', 'Balance', '', 'Notes'],
      genericProfile,
    );
    expect(r.ok && r.value).toEqual({
      profileId: 'generic',
      columns: { payer: 0, patientName: 1, dateOfService: 2, balance: 3 },
      unmatched: ['Insurance', 'Balance', 'Notes'],
      // Noted, for detection to refuse: a second payer and a second balance column are ambiguous.
      duplicates: [
        { field: 'payer', first: 0, second: 4 },
        { field: 'balance', first: 3, second: 5 },
      ],
    });
  });

  it('names the missing columns in the users words and lists the file columns', () => {
    expect(mapHeader(['Claim', 'Name', 'Amount'], genericProfile)).toEqual({
      ok: false,
      error:
        "The file's header is missing these columns: Payer, Date of Service, Balance. Its columns are: Claim, Name, Amount.",
    });
    expect(mapHeader(['Claim', 'Payer', 'DOS', 'Amount'], genericProfile)).toEqual({
      ok: false,
      error:
        "The file's header is missing these columns: Patient Name, Balance. Its columns are: Claim, Payer, DOS, Amount.",
    });
  });

  it('names the missing half of a split patient name', () => {
    const r = mapHeader(['First Name', 'Payer', 'DOS', 'Balance'], genericProfile);
    expect(r).toEqual({
      ok: false,
      error:
        "The file's header is missing these columns: Patient Last Name. Its columns are: First Name, Payer, DOS, Balance.",
    });
  });

  it('says so when the header row is empty', () => {
    expect(mapHeader(['', ' '], genericProfile)).toEqual({
      ok: false,
      error:
        "The file's header is missing these columns: Patient Name, Payer, Date of Service, Balance. Its header row is empty.",
    });
  });

  it('requires a claim number when the profile always has one', () => {
    const strict: FormatProfile = { ...genericProfile, id: 'strict', hasClaimNumber: true };
    const r = mapHeader(['Patient Name', 'Payer', 'DOS', 'Balance'], strict);
    expect(r).toEqual({
      ok: false,
      error:
        "The file's header is missing these columns: Claim Number. Its columns are: Patient Name, Payer, DOS, Balance.",
    });
    expect(mapHeader(['Claim #', 'Patient Name', 'Payer', 'DOS', 'Balance'], strict).ok).toBe(true);
  });
});

describe('scoreHeader', () => {
  it('counts the fields a header yields', () => {
    expect(scoreHeader(GENERIC_HEADER, genericProfile)).toBe(8);
    expect(scoreHeader(['Claim', 'Name', 'Amount'], genericProfile)).toBe(2);
    expect(scoreHeader(['Aging Report - 11/20/2026'], genericProfile)).toBe(0);
    expect(scoreHeader([], genericProfile)).toBe(0);
  });
});
