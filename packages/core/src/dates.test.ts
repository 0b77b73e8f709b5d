import { daysBetween, isTimeZone, parseDate, todayIso } from './dates.js';
import type { ParseDateOptions } from './dates.js';

const today = '2026-11-23';
const service: ParseDateOptions = { today, role: 'service' };
const birth: ParseDateOptions = { today, role: 'birth' };

describe('parseDate', () => {
  it.each([
    ['11/20/2026', '2026-11-20'],
    ['1/2/2026', '2026-01-02'],
    ['11-20-2026', '2026-11-20'],
    ['2026-11-20', '2026-11-20'],
    ['2026/11/20', '2026-11-20'],
    ['2026-1-5', '2026-01-05'],
    ['2026-11-20T00:00:00', '2026-11-20'],
    ['2026-11-20T23:59:59.999Z', '2026-11-20'],
    ['2026-11-20 00:00:00', '2026-11-20'],
    ['11/20/2026 3:15 PM', '2026-11-20'],
    ['11/20/2026 12:00:00 AM', '2026-11-20'],
    ['11/20/2026 15:15', '2026-11-20'],
    ['20261120', '2026-11-20'],
    ['20-Nov-2026', '2026-11-20'],
    ['Nov 20, 2026', '2026-11-20'],
    ['  09/02/2026 ', '2026-09-02'],
    ['02/29/2024', '2024-02-29'],
  ])('reads %j as %s', (text, iso) => {
    expect(parseDate(text, service)).toEqual({ ok: true, value: iso });
  });

  it('reads the day first for a DMY profile', () => {
    expect(parseDate('20/11/2026', { ...service, order: 'DMY' })).toEqual({ ok: true, value: '2026-11-20' });
    expect(parseDate('02/03/2026', { ...service, order: 'DMY' })).toEqual({ ok: true, value: '2026-03-02' });
    expect(parseDate('2026-03-02', { ...service, order: 'DMY' })).toEqual({ ok: true, value: '2026-03-02' });
  });

  it('reads the year first for a YMD profile', () => {
    expect(parseDate('26/11/20', { ...service, order: 'YMD' })).toEqual({ ok: true, value: '2026-11-20' });
  });

  it.each(['', '   ', '01/01/0001', '0001-01-01', '1900-01-01', '01/01/1900', '00/00/0000', '0000-00-00', '0'])(
    'reads the empty or sentinel date %j as null',
    (text) => {
      expect(parseDate(text, service)).toEqual({ ok: true, value: null });
    },
  );

  it.each(['02/30/2026', '13/45/2026', '02/29/2026', '04/31/2026', '00/10/2026', '11/00/2026', '2026-13-01'])(
    'refuses %j as not a real date',
    (text) => {
      expect(parseDate(text, service)).toEqual({ ok: false, error: `"${text}" is not a real date` });
    },
  );

  it('says which order it expected when it cannot read a date at all', () => {
    expect(parseDate('abc', service)).toEqual({ ok: false, error: '"abc" is not a date (expected MM/DD/YYYY)' });
    expect(parseDate('11/20', service)).toEqual({ ok: false, error: '"11/20" is not a date (expected MM/DD/YYYY)' });
    expect(parseDate('yesterday', { ...service, order: 'DMY' })).toEqual({
      ok: false,
      error: '"yesterday" is not a date (expected DD/MM/YYYY)',
    });
  });

  describe('two-digit years', () => {
    it('puts a birth date in the latest year that is not after today', () => {
      expect(parseDate('04/05/56', birth)).toEqual({ ok: true, value: '1956-04-05' });
      expect(parseDate('08/08/07', birth)).toEqual({ ok: true, value: '2007-08-08' });
      expect(parseDate('07/03/30', birth)).toEqual({ ok: true, value: '1930-07-03' });
      expect(parseDate('11/23/26', birth)).toEqual({ ok: true, value: '2026-11-23' });
      expect(parseDate('11/24/26', birth)).toEqual({ ok: true, value: '1926-11-24' });
      expect(parseDate('1/1/00', birth)).toEqual({ ok: true, value: '2000-01-01' });
    });

    it('puts a service date in the century nearest today', () => {
      expect(parseDate('11/13/26', service)).toEqual({ ok: true, value: '2026-11-13' });
      expect(parseDate('10/17/25', service)).toEqual({ ok: true, value: '2025-10-17' });
      expect(parseDate('01/15/27', service)).toEqual({ ok: true, value: '2027-01-15' });
      expect(parseDate('12/31/46', service)).toEqual({ ok: true, value: '2046-12-31' });
      expect(parseDate('01/01/47', service)).toEqual({ ok: true, value: '1947-01-01' });
      expect(parseDate('06/30/99', service)).toEqual({ ok: true, value: '1999-06-30' });
    });

    it('treats a report date like a service date', () => {
      expect(parseDate('11/20/26', { today, role: 'report' })).toEqual({ ok: true, value: '2026-11-20' });
      expect(parseDate('11/20/30', { today })).toEqual({ ok: true, value: '2030-11-20' });
      expect(parseDate('11/20/30', birth)).toEqual({ ok: true, value: '1930-11-20' });
    });

    it('checks 29 February in the chosen century', () => {
      expect(parseDate('02/29/24', birth)).toEqual({ ok: true, value: '2024-02-29' });
      expect(parseDate('02/29/27', birth)).toEqual({ ok: false, error: '"02/29/27" is not a real date' });
    });
  });

  describe('Excel serial numbers', () => {
    it.each([
      ['45000', '2023-03-15'],
      ['46346', '2026-11-20'],
      ['46346.6458', '2026-11-20'],
      ['2', '1900-01-02'],
      ['59', '1900-02-28'],
      ['61', '1900-03-01'],
      ['2958465', '9999-12-31'],
    ])('reads 1900-system serial %s as %s', (text, iso) => {
      expect(parseDate(text, service)).toEqual({ ok: true, value: iso });
    });

    it('refuses serial 60, the 29 February 1900 that Excel invented', () => {
      expect(parseDate('60', service)).toEqual({ ok: false, error: '"60" is not a real date' });
    });

    it('reads serial 1 (1900-01-01) as the empty-date sentinel', () => {
      expect(parseDate('1', service)).toEqual({ ok: true, value: null });
    });

    it('refuses serials past 9999-12-31', () => {
      expect(parseDate('2958466', service)).toEqual({ ok: false, error: '"2958466" is not a real date' });
    });

    it('counts from 1904-01-01 in the 1904 system', () => {
      const mac: ParseDateOptions = { ...service, excel1904: true };
      expect(parseDate('43538', mac)).toEqual({ ok: true, value: '2023-03-15' });
      expect(parseDate('1', mac)).toEqual({ ok: true, value: '1904-01-02' });
      expect(parseDate('60', mac)).toEqual({ ok: true, value: '1904-03-01' });
      expect(parseDate('44884', mac)).toEqual({ ok: true, value: '2026-11-20' });
    });
  });
});

describe('daysBetween', () => {
  it('counts whole calendar days', () => {
    expect(daysBetween('2026-09-02', '2026-11-20')).toBe(79);
    expect(daysBetween('2026-11-20', '2026-11-20')).toBe(0);
    expect(daysBetween('2026-11-21', '2026-11-20')).toBe(-1);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    // Across a daylight-saving change in any local zone: the arithmetic is in UTC.
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31);
  });

  it('agrees with Date arithmetic on every day from 1899 to 2101, and on years before 100', () => {
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const base = Date.UTC(2026, 10, 20);
    // About 73,800 days: one assertion over the list of disagreements (an expect per day cost seconds).
    const mismatches: Array<{ day: string; got: number; want: number }> = [];
    for (let ms = Date.UTC(1899, 0, 1); ms < Date.UTC(2101, 0, 1); ms += 86_400_000) {
      const got = daysBetween(iso(ms), '2026-11-20');
      const want = Math.round((base - ms) / 86_400_000);
      if (got !== want) mismatches.push({ day: iso(ms), got, want });
    }
    expect(mismatches).toEqual([]);
    const early = new Date(0);
    early.setUTCFullYear(50, 1, 28);
    expect(daysBetween('0050-02-28', '0050-03-01')).toBe(1);
    expect(daysBetween('0050-02-28', '2026-11-20')).toBe(Math.round((base - early.getTime()) / 86_400_000));
  });

  it('throws on something that is not an ISO date', () => {
    expect(() => daysBetween('11/20/2026', '2026-11-20')).toThrow(
      'Expected an ISO date (YYYY-MM-DD), got "11/20/2026"',
    );
  });
});

describe('todayIso', () => {
  it('gives the UTC calendar date', () => {
    expect(todayIso(new Date('2026-11-23T23:30:00-05:00'))).toBe('2026-11-24');
    expect(todayIso(new Date('2026-11-23T00:00:00Z'))).toBe('2026-11-23');
  });

  it('defaults to now', () => {
    expect(todayIso()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('todayIso in a time zone', () => {
  it("is the practice's own date, not UTC's", () => {
    const lateEvening = new Date('2026-12-01T03:30:00Z'); // 10:30 pm on Nov 30 in New York
    expect(todayIso(lateEvening)).toBe('2026-12-01');
    expect(todayIso(lateEvening, 'America/New_York')).toBe('2026-11-30');
    expect(todayIso(lateEvening, 'Asia/Tokyo')).toBe('2026-12-01');
    expect(isTimeZone('America/Chicago')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
