import { normalizeHeader } from '../../normalize.js';
import { AGING_FIELDS } from '../fields.js';
import { mapHeader } from '../header-map.js';
import { GENERIC_ALIASES, PROFILES, getProfile } from './index.js';

// The header row of each profile's sample in ../shared/samples.
const SAMPLE_HEADERS: Record<string, string[]> = {
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
  // The fixture in tests/fixtures/openemr: DOB, ID, Policy, Phone and Inactive Days ticked.
  openemr: [
    'Insurance',
    'Name',
    'DOB',
    'Pubpid',
    'Policy',
    'Phone',
    'Invoice',
    'DOS',
    'Referrer',
    'Provider',
    'Charge',
    'Adjust',
    'Paid',
    'Balance',
    'Aging Days',
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
};

// Columns of the samples that are deliberately read as nothing.
const IGNORED: Record<string, string[]> = {
  crystalpm: ['Billed Date'],
  // The patient's own share is not the insurance claim's balance.
  revolutionehr: ['Invoice Date', 'Patient Balance'],
  // A label ("120+") the report derives from the date; we compute our own bucket.
  eyefinity: ['Aging Bucket'],
  // Contact details and the referring doctor are not part of a claim.
  openemr: ['Phone', 'Referrer'],
};

describe.each(PROFILES.map((p) => [p.id, p] as const))('the %s profile', (id, profile) => {
  it('is found by its id', () => {
    expect(getProfile(id)).toBe(profile);
  });

  it("maps every column of its sample's header it should", () => {
    const mapped = mapHeader(SAMPLE_HEADERS[id] ?? [], profile);
    expect(mapped.ok && mapped.value.unmatched).toEqual(IGNORED[id] ?? []);
  });

  it('gives no alias to two fields, so no column is read as the wrong thing', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const field of AGING_FIELDS) {
      for (const alias of profile.aliases[field] ?? []) {
        const other = owner.get(normalizeHeader(alias));
        if (other !== undefined && other !== field) clashes.push(`${alias}: ${other} / ${field}`);
        owner.set(normalizeHeader(alias), field);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('reads every column name the generic profile reads', () => {
    for (const field of AGING_FIELDS) {
      expect(profile.aliases[field]).toEqual(expect.arrayContaining(GENERIC_ALIASES[field] ?? []));
    }
  });

  it('can skip total lines', () => {
    expect(profile.totalRowPatterns.length).toBeGreaterThan(0);
  });
});

describe('profile signatures', () => {
  it('belong to one system each, so two systems never claim the same column', () => {
    const owner = new Map<string, string>();
    const shared: string[] = [];
    for (const p of PROFILES) {
      for (const s of p.signature) {
        const other = owner.get(normalizeHeader(s));
        if (other !== undefined && other !== p.id) shared.push(`${s}: ${other} / ${p.id}`);
        owner.set(normalizeHeader(s), p.id);
      }
    }
    expect(shared).toEqual([]);
  });

  it('are absent from the generic sample header, so it stays generic', () => {
    const generic = new Set((SAMPLE_HEADERS.generic ?? []).map(normalizeHeader));
    const found = PROFILES.flatMap((p) => p.signature.filter((s) => generic.has(normalizeHeader(s))));
    expect(found).toEqual([]);
  });

  it("are in each system's sample header at least twice", () => {
    for (const p of PROFILES.filter((x) => x.id !== 'generic')) {
      const header = new Set((SAMPLE_HEADERS[p.id] ?? []).map(normalizeHeader));
      expect([p.id, p.signature.filter((s) => header.has(normalizeHeader(s))).length >= 2]).toEqual([p.id, true]);
    }
  });
});

describe('file types', () => {
  it('are those each system exports', () => {
    expect(Object.fromEntries(PROFILES.map((p) => [p.id, p.fileTypes]))).toEqual({
      compulink: ['xls'],
      crystalpm: ['csv'],
      eyefinity: ['xls', 'xlsx'],
      officemate: ['csv'],
      openemr: ['csv'],
      revolutionehr: ['csv'],
      generic: ['csv', 'xls', 'xlsx'],
    });
  });
});
