// COPY … FROM STDIN in text format: tab-separated, \N for null, backslash escapes.
export type CopyValue = string | number | null;

const NEEDS_ESCAPE = /[\\\t\n\r]/;

export function copyField(v: CopyValue | undefined): string {
  // undefined too: a field left out must be NULL, never the text "undefined".
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  // Nearly no cell needs escaping; testing first spares a replace per cell at a million rows.
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/**
 * A chunk's COPY text, encoded to UTF-8 line by line into a buffer kept from one chunk to the next.
 * Built as one string instead (`text += line`, 5,000 times), the chunk was a tree of pieces that
 * encoding it for the socket had to flatten into fresh memory, every chunk: 1.45 s of a core per
 * 1,000,000 rows against 0.36 s this way, on the reading thread an import waits for
 * (docs/performance.md, thirteenth session).
 */
export class CopyLines {
  private buf: Buffer;
  private used = 0;

  constructor(initialBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /**
   * Starts a new text over the old one's bytes: only once the COPY that was sent them has finished
   * (a round trip answered after it), since the socket may hold on to them until then.
   */
  clear(): void {
    this.used = 0;
  }

  add(line: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair, 2 units, takes 4).
    const room = line.length * 3;
    if (this.used + room > this.buf.length) this.grow(this.used + room);
    this.used += this.buf.write(line, this.used, 'utf8');
  }

  /** The text so far; a view of the buffer, valid until the next clear(). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }
}
