/**
 * Which keys a file may have named before, in a fixed amount of memory whatever the file's size (a
 * Bloom filter): `false` means certainly not seen, `true` means perhaps. The worker keeps a staged row's
 * cells only while the row could still be refused as a duplicate of an earlier line, and that is only
 * a row whose key may have come before. At 1,000,000 rows keeping every row's cells for its chunk cost
 * about 2 CPU-seconds of garbage collection; a false "perhaps" only keeps cells that were not needed.
 */
// Read once: a global looked up in the loop is slow where code runs in a vm context (jest's), and
// costs nothing to avoid elsewhere.
const imul = Math.imul;

export class SeenKeys {
  private readonly bits: Uint32Array;
  private readonly mask: number;

  /**
   * `log2Bits` 25 is 4 MiB, the same for every file so that the worker's memory stays flat: about
   * 0.3 % false "perhaps" after 1,000,000 keys, 20 % after 10,000,000 (8 % over such a file; those
   * rows keep their cells, as every row did before).
   */
  constructor(log2Bits = 25) {
    if (!Number.isInteger(log2Bits) || log2Bits < 5 || log2Bits > 31) throw new RangeError(`log2Bits ${log2Bits}`);
    this.bits = new Uint32Array(2 ** (log2Bits - 5));
    this.mask = 2 ** log2Bits - 1;
  }

  /** Notes the key; returns whether it may have been noted before. */
  add(key: string): boolean {
    // Two independent 32-bit FNV-1a style hashes of the UTF-16 code units (different offsets and
    // multipliers); cheap, and spread well enough for claim keys.
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = imul(h1 ^ c, 0x01000193);
      h2 = imul(h2 ^ c, 0x5bd1e995);
    }
    h2 ^= h2 >>> 15;
    const a = (h1 >>> 0) & this.mask;
    const b = (h2 >>> 0) & this.mask;
    const seen = this.test(a) && this.test(b);
    this.set(a);
    this.set(b);
    return seen;
  }

  private test(bit: number): boolean {
    return ((this.bits[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0;
  }

  private set(bit: number): void {
    const i = bit >>> 5;
    this.bits[i] = (this.bits[i] ?? 0) | (1 << (bit & 31));
  }
}
