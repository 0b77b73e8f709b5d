import { SeenKeys } from './seen-keys.js';

const key = (i: number) => `C-${String(i).padStart(8, '0')}|bluecrossblueshield|2026-02-${(i % 28) + 1}|${i % 997}`;

describe('SeenKeys', () => {
  it('never says a key it was given is new', () => {
    const seen = new SeenKeys(20);
    for (let i = 0; i < 100_000; i++) seen.add(key(i));
    let missed = 0;
    for (let i = 0; i < 100_000; i++) if (!seen.add(key(i))) missed++;
    expect(missed).toBe(0);
  });

  it('says "perhaps" for few keys it was never given, at the size it is made for', () => {
    const seen = new SeenKeys(24);
    for (let i = 0; i < 200_000; i++) seen.add(key(i));
    let perhaps = 0;
    for (let i = 200_000; i < 400_000; i++) if (seen.add(key(i))) perhaps++;
    // 16.7M bits, 200,000 to 400,000 keys, two hashes: well under 1 %.
    expect(perhaps / 200_000).toBeLessThan(0.01);
  });

  it('tells keys apart that differ in one character or only in order', () => {
    const seen = new SeenKeys(26);
    expect(seen.add('C-1|aetna|2026-01-02')).toBe(false);
    expect(seen.add('C-1|aetna|2026-01-03')).toBe(false);
    expect(seen.add('aetna|C-1|2026-01-02')).toBe(false);
    expect(seen.add('C-1|aetna|2026-01-02')).toBe(true);
  });

  it('refuses a size it cannot hold', () => {
    expect(() => new SeenKeys(3)).toThrow(RangeError);
    expect(() => new SeenKeys(32)).toThrow(RangeError);
  });
});
