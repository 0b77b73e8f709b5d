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
  it('holds exactly the UTF-8 of the lines, whatever their characters, growing past its first size', () => {
    const lines = new CopyLines(16);
    const text = ['1\tMüller, José\n', '2\t山田 太郎\n', '3\t\u{1F600} smile\n', '4\tlone \ud800 surrogate\n', `5\t${'x'.repeat(100)}\n`];
    for (const l of text) lines.add(l);
    expect(lines.bytes().equals(Buffer.from(text.join(''), 'utf8'))).toBe(true);
    expect(lines.bytes().toString('utf8')).toBe(text.join('').replace('\ud800', '\ufffd'));
  });

  it('starts over on clear(), keeping nothing of the text before', () => {
    const lines = new CopyLines(8);
    lines.add('a long first chunk\n');
    lines.clear();
    expect(lines.bytes().length).toBe(0);
    lines.add('b\n');
    expect(lines.bytes().toString()).toBe('b\n');
  });
});
