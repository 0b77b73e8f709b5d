import { CopyLines, copyField } from './copy-text.js';

describe('COPY text fields', () => {
  it('writes null, and a field left out, as \\N, never as text', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
  });

  it('escapes backslashes, tabs and line breaks, and leaves other text as it is', () => {
    expect(copyField('O\\Brien\tx\ny\rz')).toBe('O\\\\Brien\\tx\\ny\\rz');
    expect(copyField('Doe, Jane')).toBe('Doe, Jane');
    expect(copyField(-1200)).toBe('-1200');
  });
});

describe('COPY lines written as bytes', () => {
  /** The line as copyField writes it, encoded: what the bytes must be. */
  const expected = (fields: Array<string | number | null | undefined>) =>
    Buffer.from(fields.map((v) => copyField(v)).join('\t') + '\n', 'utf8');
  const written = (lines: CopyLines, fields: Array<string | number | null | undefined>) => {
    fields.forEach((v, i) => (i === fields.length - 1 ? lines.lastField(v) : lines.field(v)));
  };

  it("writes exactly copyField's text as UTF-8, whatever the characters, growing past its first size", () => {
    const lines = new CopyLines(16);
    const rows: Array<Array<string | number | null | undefined>> = [
      [2, 'K-1', 'Doe, Jane', null, undefined, -1200, 0],
      [3, 'O\\Brien\tx\ny\rz', 'back\\slash at the end\\', '\\N', 'tab\tthen é\tand\\ more'],
      [4, 'Müller, José', '山田 太郎', '\u{1F600} smile\t', 'lone \ud800 surrogate', 'é\\'],
      [5, 'x'.repeat(100), '\t\t\t\n\n\r\r\\\\', ''],
    ];
    for (const r of rows) written(lines, r);
    expect(lines.bytes().equals(Buffer.concat(rows.map(expected)))).toBe(true);
  });

  it('matches copyField on random text of every kind of character', () => {
    const alphabet = ['a', 'Z', '0', ' ', ',', '"', '\\', '\t', '\n', '\r', 'é', 'ß', '中', '\u{1F600}', '\ud800', '\udc00', 'N'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const lines = new CopyLines(1);
    const all: Array<Array<string | null>> = [];
    for (let r = 0; r < 300; r++) {
      const fields = Array.from({ length: 1 + Math.floor(next() * 5) }, () =>
        next() < 0.1 ? null : Array.from({ length: Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
      );
      all.push(fields);
      written(lines, fields);
    }
    expect(lines.bytes().equals(Buffer.concat(all.map(expected)))).toBe(true);
  });

  it('starts over on clear(), keeping nothing of the text before', () => {
    const lines = new CopyLines(8);
    lines.lastField('a long first chunk');
    lines.clear();
    expect(lines.bytes().length).toBe(0);
    lines.field('b');
    lines.lastField(null);
    expect(lines.bytes().toString()).toBe('b\t\\N\n');
  });
});
