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
});
