import { claimKey } from './claim-key.js';
import type { ClaimKeyInput } from './claim-key.js';

const withoutNumber: ClaimKeyInput = {
  claimNumber: null,
  patientAccount: 'A1001',
  patientName: 'Rivera, Ana',
  dateOfBirth: '1962-03-14',
  payerKey: 'bluecrossblueshield',
  dateOfService: '2026-09-02',
  billedCents: 24500,
};

describe('claimKey', () => {
  it('is the claim number when there is one', () => {
    expect(claimKey({ ...withoutNumber, claimNumber: ' C-100001 ' })).toBe('C-100001');
    expect(claimKey({ ...withoutNumber, claimNumber: '000123' })).toBe('000123');
  });

  it('hashes patient, payer, date of service and billed amount when there is none', () => {
    expect(claimKey({ ...withoutNumber, claimNumber: '  ' })).toBe(claimKey(withoutNumber));
    expect(claimKey(withoutNumber)).toMatch(/^h:[0-9a-f]{32}$/);
  });

  // Frozen values: if these change, every stored claim without a claim number looks new.
  it('gives the same key in every run and release', () => {
    expect(claimKey(withoutNumber)).toBe('h:db5f46e116fea57208a3ed2b44dde7e3');
    expect(claimKey({ ...withoutNumber, patientAccount: null })).toBe('h:96234343c3eb65877989a54feac2f8c3');
  });

  it('identifies the patient by account, ignoring name spelling', () => {
    expect(claimKey({ ...withoutNumber, patientName: 'RIVERA, ANA M' })).toBe(claimKey(withoutNumber));
  });

  it('identifies a patient without an account by name and birth date, ignoring case and spacing', () => {
    const byName = { ...withoutNumber, patientAccount: null };
    expect(claimKey({ ...byName, patientName: 'RIVERA,  ana' })).toBe(claimKey(byName));
    expect(claimKey({ ...byName, patientName: 'Rivera,Ana' })).toBe(claimKey(byName));
    expect(claimKey({ ...byName, patientAccount: '' })).toBe(claimKey(byName));
    expect(claimKey({ ...byName, dateOfBirth: '1962-03-15' })).not.toBe(claimKey(byName));
    expect(claimKey({ ...byName, patientName: 'Rivera, Anna' })).not.toBe(claimKey(byName));
    expect(claimKey(byName)).not.toBe(claimKey(withoutNumber));
  });

  it('tells apart claims that differ in payer, date of service or billed amount', () => {
    const base = claimKey(withoutNumber);
    expect(claimKey({ ...withoutNumber, payerKey: 'aetna' })).not.toBe(base);
    expect(claimKey({ ...withoutNumber, dateOfService: '2026-09-03' })).not.toBe(base);
    expect(claimKey({ ...withoutNumber, billedCents: 24501 })).not.toBe(base);
    expect(claimKey({ ...withoutNumber, billedCents: null })).not.toBe(base);
  });
});
