import { csvCell, csvLine, neutralizeCell } from './csv-export.js';

describe('CSV export', () => {
  it.each(['=SUM(A1)', '+1', '-1+2', '@cmd', '\tx', '\rx', '\t-12.00', '\r12'])('neutralizes %j', (v) => {
    expect(neutralizeCell(v)).toBe(`'${v}`);
  });

  it.each([' =1+1', '  @SUM(A1)', '\r=HYPERLINK("x")', '\n=1+1', ' \t+1', '\u00a0=1', '\u3000-1+1', '＝1+1', ' ＠cmd'])(
    'neutralizes %j, whose first non-blank character starts a formula',
    (v) => {
      expect(neutralizeCell(v)).toBe(`'${v}`);
    },
  );

  it.each(['-12.00', '-1,234.56', '-$12.00', '-0.5', '-12'])('leaves the plain negative amount %j a number', (v) => {
    expect(neutralizeCell(v)).toBe(v);
  });

  it.each(['-12.00 ', ' -12.00', '- 12', '-12,00', '-1,2345.00', '-12.00+1', '-$A$1', '--12', '-1e5'])(
    'neutralizes %j, which is not a plain amount',
    (v) => {
      expect(neutralizeCell(v)).toBe(`'${v}`);
    },
  );

  it('writes our own numbers as numbers, negative ones included', () => {
    expect(csvLine([-1200, 3, 0.5])).toBe('-1200,3,0.5\r\n');
  });

  it('leaves ordinary values alone and quotes commas and quotes', () => {
    expect(csvCell('Rivera, Ana')).toBe('"Rivera, Ana"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('12.00')).toBe('12.00');
    expect(csvCell('(12.00)')).toBe('(12.00)');
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });

  it('quotes a neutralized cell that holds a comma or a line break', () => {
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  });

  it('writes a file back in its own delimiter, quoting what contains it', () => {
    expect(csvLine(['Rivera, Ana', '1,00', 'x;y'], ';')).toBe('Rivera, Ana;1,00;"x;y"\r\n');
    expect(csvLine(['a\tb', 'c'], '\t')).toBe('"a\tb"\tc\r\n');
  });
});
