import { Readable } from 'node:stream';
import { csvRows, sniffDelimiter } from './csv-rows.js';

async function rows(text: string, delimiter = ',') {
  const out = [];
  for await (const r of csvRows(Readable.from([text]), delimiter)) out.push(r);
  return out;
}

describe('csv rows', () => {
  it.each([
    ['a,b,c\n1,2,3', ','],
    ['a;b;c\n1;2;3', ';'],
    ['a\tb\tc\n1\t2\t3', '\t'],
  ])('sniffs the delimiter of %j', (sample, d) => expect(sniffDelimiter(sample)).toBe(d));

  it('numbers records by physical line across CRLF, blank lines and quoted line breaks', async () => {
    const r = await rows('h1,h2\r\n\r\n"a\r\nb",2\r\nc,3\r\n');
    expect(r).toEqual([
      { line: 1, cells: ['h1', 'h2'] },
      { line: 3, cells: ['a\nb', '2'] },
      { line: 5, cells: ['c', '3'] },
    ]);
  });

  it('tolerates ragged rows: a trailing comma and a missing last cell', async () => {
    const r = await rows('a,b,c\n1,2,3,\n1,2\n');
    expect(r.map((x) => x.cells)).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3', ''],
      ['1', '2'],
    ]);
  });
});

describe('line endings', () => {
  it.each([
    ['CRLF', '\r\n'],
    ['CR', '\r'],
    ['LF', '\n'],
  ])('reads %s files with the same lines', async (_name, eol) => {
    const r = await rows(['a,b', '"x', 'y",1', '', 'z,2'].join(eol) + eol);
    expect(r).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x\ny', '1'] },
      { line: 5, cells: ['z', '2'] },
    ]);
  });

  it('keeps a CRLF split across two chunks as one line break', async () => {
    const out = [];
    for await (const r of csvRows(Readable.from(['a,b\r', '\nc,d\r', '\n']), ',')) out.push(r);
    expect(out).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['c', 'd'] },
    ]);
  });
});

describe('UTF-8 read as bytes', () => {
  /** The text cut into byte chunks of `size`: characters and CRLFs end up split between them. */
  async function byteRows(text: string, size: number) {
    const bytes = Buffer.from(text, 'utf8');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    const out = [];
    for await (const r of csvRows(Readable.from(chunks), ',')) out.push(r);
    return out;
  }
  const text = '\ufeffPatient,Payer\r\n"Müller, José",Aetna\r\r\n"a\r\nb",Łódź 日本\rlast,€\r';

  it.each([1, 2, 3, 5, 64])('reads the same rows, line numbers and characters in %d-byte chunks as from text', async (size) => {
    const fromText = await rows(text);
    expect(fromText).toEqual([
      { line: 1, cells: ['Patient', 'Payer'] },
      { line: 2, cells: ['Müller, José', 'Aetna'] },
      { line: 4, cells: ['a\nb', 'Łódź 日本'] },
      { line: 6, cells: ['last', '€'] },
    ]);
    expect(await byteRows(text, size)).toEqual(fromText);
  });
});

describe('bytes consumed', () => {
  it('counts the bytes of the records handed out, not of what the streams have read ahead', async () => {
    const line = 'C-1,A1,Jane Doe,01/02/1960,Aetna,03/04/2026,10.00,5.00';
    const text = Array.from({ length: 2000 }, () => line).join('\n') + '\n';
    const consumed = { bytes: 0 };
    const seen: number[] = [];
    for await (const r of csvRows(Readable.from([text]), ',', consumed))
      if (r.line % 500 === 0) seen.push(consumed.bytes);
    expect(seen).toEqual([500, 1000, 1500, 2000].map((n) => n * (line.length + 1)));
    expect(consumed.bytes).toBe(text.length);
  });

  it('ends at the bytes read from the file once the last row is out, quotes and all', async () => {
    const text = '"C-1","Doe, Jane",5.00\n"C-2","Roe, Ann",6.00\n';
    const consumed = { bytes: 0 };
    const read = { bytes: text.length };
    const during: number[] = [];
    for await (const r of csvRows(Readable.from([text]), ',', consumed, 1, read)) during.push(r.line && consumed.bytes);
    // The quotes are not counted as rows come out; the end is exact.
    expect(during[1]).toBeLessThan(text.length);
    expect(consumed.bytes).toBe(text.length);
  });

  it('counts two bytes a character for UTF-16', async () => {
    const consumed = { bytes: 0 };
    for await (const _ of csvRows(Readable.from(['a,b\nc,d\n']), ',', consumed, 2)) void _;
    expect(consumed.bytes).toBe(16);
  });
});
