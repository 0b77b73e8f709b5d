import { isUuid, parseIntegerId } from './ids.js';

describe('isUuid', () => {
  it('takes an 8-4-4-4-12 hex id in either case', () => {
    expect(isUuid('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(true);
    expect(isUuid('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe(true);
  });
  it.each([
    '-'.repeat(36),
    '0f8fad5bd9cb469fa16570867728950e',
    '{0f8fad5b-d9cb-469f-a165-70867728950e}',
    '0f8fad5b-d9cb-469f-a165-70867728950e ',
    '0f8fad5b-d9cb-469f-a165-70867728950g',
    '0f8fad5-bd9cb-469f-a165-70867728950e',
    '',
    42,
    null,
  ])('refuses %p', (v) => {
    expect(isUuid(v)).toBe(false);
  });
});

describe('parseIntegerId', () => {
  it('takes digits', () => {
    expect(parseIntegerId('42')).toBe(42);
    expect(parseIntegerId('9007199254740991')).toBe(9007199254740991);
  });
  it.each(['0', '-1', '1e3', '0x10', ' 12', '12 ', '012', '1.0', '9007199254740992', '', '١٢'])('refuses %p', (v) => {
    expect(parseIntegerId(v)).toBeNull();
  });
});
