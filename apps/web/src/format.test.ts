import { formatBytes, formatDuration, formatMoney, formatWhen, humanize } from './format';

describe('format', () => {
  it('writes durations, money and sizes the way the CLI does', () => {
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatMoney(-1200)).toBe('-$12.00');
    expect(formatMoney(514525)).toBe('$5,145.25');
    expect(formatBytes(100000)).toBe('97.7 KB');
  });

  it('says "today" for today and the date otherwise', () => {
    const now = new Date(2026, 10, 23, 15, 0);
    expect(formatWhen(new Date(2026, 10, 23, 9, 5).toISOString(), now)).toBe('today 9:05 AM');
    expect(formatWhen(new Date(2026, 10, 2, 9, 5).toISOString(), now)).toBe('Nov 2, 9:05 AM');
    expect(formatWhen(null, now)).toBe('');
  });

  it('turns a kind id into words', () => {
    expect(humanize('patient_balances')).toBe('Patient balances');
    expect(humanize('dateOfService')).toBe('Date of service');
  });
});
