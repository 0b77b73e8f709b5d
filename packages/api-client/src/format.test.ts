import {
  downloadName,
  formatBytes,
  formatBytesOf,
  formatCount,
  formatDate,
  formatDateTime,
  formatDuration,
  formatFlag,
  formatMoney,
  formatPercent,
  formatRate,
  formatRows,
  humanize,
  kindLabel,
  plural,
} from './format.js';

describe('numbers', () => {
  it('puts thousands separators in counts, and says 1 row but 2 rows', () => {
    expect(formatCount(150000)).toBe('150,000');
    expect(formatRows(1)).toBe('1 row');
    expect(formatRows(12000)).toBe('12,000 rows');
    expect(plural(1, 'payer')).toBe('1 payer');
    expect(plural(10, 'new payer')).toBe('10 new payers');
    expect(plural(2, 'patient is', 'patients are')).toBe('2 patients are');
    expect(formatRate(3100.4)).toBe('3,100 rows/s');
  });

  it('writes durations the way people say them', () => {
    expect(formatDuration(7.4)).toBe('7 s');
    expect(formatDuration(120)).toBe('2 min');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(3720)).toBe('1 h 2 min');
    expect(formatDuration(-3)).toBe('0 s');
  });

  it('writes cents as dollars, credits with a minus sign', () => {
    expect(formatMoney(514525)).toBe('$5,145.25');
    expect(formatMoney(-1200)).toBe('-$12.00');
    expect(formatMoney(5)).toBe('$0.05');
    expect(formatMoney(123456789)).toBe('$1,234,567.89');
  });

  it('writes sizes, and an upload as done of total in one unit', () => {
    expect(formatBytes(512 * 1024 * 1024)).toBe('512 MB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(100000)).toBe('97.7 KB');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytesOf(12.3 * 1024 ** 2, 27.1 * 1024 ** 2)).toBe('12.3 of 27.1 MB');
    expect(formatBytesOf(10, 200)).toBe('10 of 200 bytes');
  });

  it('never shows 100% before the end or 0% once something moved', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.2)).toBe('1%');
    expect(formatPercent(99.6)).toBe('99%');
    expect(formatPercent(100)).toBe('100%');
    expect(formatPercent(42.4)).toBe('42%');
  });

  it('says Yes and No for flags', () => {
    expect(formatFlag(true)).toBe('Yes');
    expect(formatFlag(false)).toBe('No');
    expect(formatFlag('true')).toBe('Yes');
    expect(formatFlag(null)).toBe('');
  });
});

describe('dates', () => {
  it('writes a business date one way, MM/DD/YYYY, whatever the time zone', () => {
    expect(formatDate('2026-11-23')).toBe('11/23/2026');
    expect(formatDate('2026-01-02')).toBe('01/02/2026');
    expect(formatDate(null)).toBe('');
  });

  it('writes a moment in local time, "today" for today', () => {
    const now = new Date('2026-11-23T20:00:00Z');
    const o = { timeZone: 'America/Chicago', now };
    expect(formatDateTime('2026-11-23T15:05:00Z', o)).toBe('today 9:05 AM');
    expect(formatDateTime('2026-11-02T15:05:00Z', o)).toBe('11/02/2026 9:05 AM');
    expect(formatDateTime('2026-11-02T15:05:00Z', { timeZone: 'UTC' })).toBe('11/02/2026 3:05 PM');
    expect(formatDateTime(null)).toBe('');
  });
});

describe('names', () => {
  it('turns ids into words and kinds into their labels', () => {
    expect(humanize('patient_balances')).toBe('Patient balances');
    expect(humanize('dateOfService')).toBe('Date of service');
    expect(kindLabel('aging')).toBe('Insurance aging');
    expect(kindLabel('patient_credits')).toBe('Patient credits');
  });

  it('names downloads after the file, without its extension twice', () => {
    expect(downloadName('aging-with-errors.csv', 'errors')).toBe('aging-with-errors (errors).csv');
    expect(downloadName('Riverside: Nov.xlsx', 'rejected rows')).toBe('Riverside_ Nov (rejected rows).csv');
    expect(downloadName('.csv', 'errors')).toBe('import (errors).csv');
  });
});
