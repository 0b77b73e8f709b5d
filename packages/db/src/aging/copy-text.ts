// COPY … FROM STDIN in text format: tab-separated, \N for null, backslash escapes.
export type CopyValue = string | number | null;

/** The characters COPY's text format escapes, each with the letter that follows its backslash. */
const ESCAPES: Record<string, string> = { '\\': '\\', '\t': 't', '\n': 'n', '\r': 'r' };
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPE_ALL = new RegExp(NEEDS_ESCAPE.source, 'g');
/** ESCAPES by character code, for CopyLines' loop over ASCII: 0 where nothing is escaped. */
const ESCAPE_LETTER = new Uint8Array(0x80);
for (const [c, letter] of Object.entries(ESCAPES)) ESCAPE_LETTER[c.charCodeAt(0)] = letter.charCodeAt(0);

export function copyField(v: CopyValue | undefined): string {
  // undefined too: a field left out must be NULL, never the text "undefined".
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  // Nearly no cell needs escaping; testing first spares a replace per cell at a million rows.
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(ESCAPE_ALL, (c) => `\\${ESCAPES[c] ?? c}`);
}

const LF = 0x0a;
const TAB = 0x09;
const BACKSLASH = 0x5c;

/**
 * A chunk's COPY text, written field by field as UTF-8 bytes into a buffer kept from one chunk to the
 * next. Built as one string instead (a template a line, `text += line` 5,000 times), the chunk was a
 * tree of pieces that encoding it for the socket had to flatten into fresh memory every chunk: 1.45 s
 * of a core per 1,000,000 rows against 0.36 s as bytes; escaping and encoding each field in one pass
 * over its characters, rather than a line string a row, took another third off
 * (docs/performance.md, thirteenth session). The bytes are exactly those of copyField's text.
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

  /** A field and the tab after it. */
  field(v: CopyValue | undefined): void {
    this.write(v, TAB);
  }

  /** The line's last field and its line break. */
  lastField(v: CopyValue | undefined): void {
    this.write(v, LF);
  }

  /** The text so far; a view of the buffer, valid until the next clear(). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  private write(v: CopyValue | undefined, end: number): void {
    // undefined too: a field left out must be NULL, never the text "undefined".
    const text = v === null || v === undefined ? '\\N' : typeof v === 'number' ? String(v) : v;
    const escape = typeof v === 'string';
    const n = text.length;
    // Plain ASCII, every character escaped, and the end: the most this field can take.
    this.ensure(2 * n + 1);
    const buf = this.buf;
    let o = this.used;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) {
        // Past ASCII (rare in a claim): the rest of the field escaped as text, then encoded.
        this.used = o;
        this.writeEncoded(copyField(text.slice(i)), end);
        return;
      }
      const letter = escape ? (ESCAPE_LETTER[c] ?? 0) : 0;
      if (letter !== 0) {
        buf[o++] = BACKSLASH;
        buf[o++] = letter;
      } else buf[o++] = c;
    }
    buf[o++] = end;
    this.used = o;
  }

  private writeEncoded(text: string, end: number): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair, 2 units, takes 4).
    this.ensure(3 * text.length + 1);
    this.used += this.buf.write(text, this.used, 'utf8');
    this.buf[this.used++] = end;
  }

  private ensure(room: number): void {
    if (this.used + room <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.used + room, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }
}
