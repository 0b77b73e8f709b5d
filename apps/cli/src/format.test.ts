import { formatBytes, formatDuration, formatMoney, formatRate, formatRows } from './format.js';

describe('format', () => {
  it('writes durations the way people say them', () => {
    expect(formatDuration(7.4)).toBe('7 s');
    expect(formatDuration(120)).toBe('2 min');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3720)).toBe('1 h 2 min');
    expect(formatDuration(-3)).toBe('0 s');
  });

  it('writes cents as dollars, credits with a minus sign', () => {
    expect(formatMoney(514525)).toBe('$5,145.25');
    expect(formatMoney(-1200)).toBe('-$12.00');
    expect(formatMoney(5)).toBe('$0.05');
  });

  it('writes rows, rates and sizes', () => {
    expect(formatRows(1)).toBe('1 row');
    expect(formatRows(12000)).toBe('12,000 rows');
    expect(formatRate(3100.4)).toBe('3,100 rows/s');
    expect(formatBytes(512 * 1024 * 1024)).toBe('512 MB');
    expect(formatBytes(1536)).toBe('1.5 KB');
  });
});
