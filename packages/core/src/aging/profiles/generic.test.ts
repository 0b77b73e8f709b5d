import { normalizeHeader } from '../../normalize.js';
import { AGING_FIELDS } from '../fields.js';
import { genericProfile } from './generic.js';
import { PROFILES, getProfile } from './index.js';

describe('genericProfile', () => {
  it('reads CSV and both Excel formats', () => {
    expect(genericProfile.id).toBe('generic');
    expect(genericProfile.fileTypes).toEqual(['csv', 'xls', 'xlsx']);
  });

  it('has aliases for every field', () => {
    for (const field of AGING_FIELDS) {
      expect(genericProfile.aliases[field]?.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('gives no alias to two fields, so no column is read as the wrong thing', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const field of AGING_FIELDS) {
      for (const alias of genericProfile.aliases[field] ?? []) {
        const key = normalizeHeader(alias);
        const other = owner.get(key);
        if (other !== undefined && other !== field) clashes.push(`${alias}: ${other} / ${field}`);
        owner.set(key, field);
      }
    }
    expect(clashes).toEqual([]);
  });
});

describe('profile registry', () => {
  it('finds a profile by id', () => {
    expect(getProfile('generic')).toBe(genericProfile);
    expect(getProfile('nope')).toBeUndefined();
    expect(PROFILES).toContain(genericProfile);
  });
});
