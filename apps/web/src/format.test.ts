import { formatWhen } from './format';

describe('format', () => {
  it('says "today" for today and the date, MM/DD/YYYY, otherwise', () => {
    const now = new Date(2026, 10, 23, 15, 0);
    expect(formatWhen(new Date(2026, 10, 23, 9, 5).toISOString(), now)).toBe('today 9:05 AM');
    expect(formatWhen(new Date(2026, 10, 2, 9, 5).toISOString(), now)).toBe('11/02/2026 9:05 AM');
    expect(formatWhen(null, now)).toBe('');
  });
});
