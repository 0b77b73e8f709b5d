import { csvCell, csvLine, neutralizeCell } from './csv-export.js';

describe('CSV export', () => {
  it.each(['=SUM(A1)', '+1', '-1+2', '@cmd', '\tx', '\rx'])('neutralizes %j', (v) => {
    expect(neutralizeCell(v)).toBe(`'${v}`);
  });
  it('leaves ordinary values alone and quotes commas and quotes', () => {
    expect(csvCell('Rivera, Ana')).toBe('"Rivera, Ana"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });
  it('writes a file back in its own delimiter, quoting what contains it', () => {
    expect(csvLine(['Rivera, Ana', '1,00', 'x;y'], ';')).toBe('Rivera, Ana;1,00;"x;y"\r\n');
    expect(csvLine(['a\tb', 'c'], '\t')).toBe('"a\tb"\tc\r\n');
  });
});
