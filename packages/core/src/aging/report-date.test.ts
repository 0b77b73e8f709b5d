import { findReportDate } from './report-date.js';

const TODAY = '2026-11-23';
const from = (...lines: string[]): string | null =>
  findReportDate(
    lines.map((l) => [l]),
    TODAY,
  );

describe('findReportDate', () => {
  it.each([
    ['As of 11/20/2026', '2026-11-20'],
    ['As Of: 11/20/2026', '2026-11-20'],
    ['AS OF 11/20/26', '2026-11-20'],
    ['Aged as of November 20, 2026', '2026-11-20'],
    ['Report Date: 2026-11-20', '2026-11-20'],
    ['Run Date: 11/20/2026 10:41:07', '2026-11-20'],
    ['Printed: 11/20/2026 3:15 PM', '2026-11-20'],
    ['Printed: Friday, Nov 20, 2026', '2026-11-20'],
    ['Printed on 20-Nov-2026', '2026-11-20'],
    ['Through 11/20/2026', '2026-11-20'],
    ['Svc Date: 01/01/2020 - 11/20/2026', '2026-11-20'],
    ['Date Range: 01/01/2020 to 11/20/2026', '2026-11-20'],
    ['Aging Report - 11/20/2026', '2026-11-20'],
  ])('reads "%s"', (line, iso) => {
    expect(from(line)).toBe(iso);
  });

  it('reads the title lines of the samples', () => {
    expect(from('Insurance Receivable', 'Printed: 11/20/2026 6:02 PM', 'Location: All Locations', '')).toBe(
      '2026-11-20',
    );
    expect(from('Insurance Aging by Patient Detail', 'As of 11/20/2026', '')).toBe('2026-11-20');
    expect(
      from('Ins. Receivables by Payor', 'LOCATION GROUP (Svc Loc): MAIN', 'Svc Date: 01/01/2000 - 11/20/2026'),
    ).toBe('2026-11-20');
  });

  it('reads a label and its date from neighbouring cells, as Excel exports put them', () => {
    expect(findReportDate([['As of:', '', '2026-11-20', '']], TODAY)).toBe('2026-11-20');
  });

  it('prefers the "as of" date to the date the report was printed', () => {
    expect(from('Printed: 11/22/2026', 'As of 11/20/2026')).toBe('2026-11-20');
    expect(from('Svc Date: 01/01/2000 - 11/21/2026', 'Report Date: 11/20/2026')).toBe('2026-11-20');
  });

  it('ignores dates after today, such as the open end of a filter', () => {
    expect(from('Svc Date: 01/01/2000 - 12/31/2099')).toBeNull();
    expect(from('As of 12/31/2026', 'Printed: 11/20/2026')).toBe('2026-11-20');
  });

  it('is null when the title lines name no date or several unlabelled ones', () => {
    expect(from('Insurance Receivable', 'Location: All Locations')).toBeNull();
    expect(from('Claims 11/01/2026 11/15/2026')).toBeNull();
    expect(findReportDate([], TODAY)).toBeNull();
  });
});
