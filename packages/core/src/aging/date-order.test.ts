import { contradicts, dateEvidence, decideDateOrder, isAmbiguousDate } from './date-order.js';

describe('dateEvidence', () => {
  it.each([
    ['02/25/2026', 'MDY'],
    ['25/02/2026', 'DMY'],
    ['25.09.2026', 'DMY'],
    ['2026-02-09', 'YMD'],
    ['02/09/2026', null],
    ['13/13/2026', null],
    ['', null],
    ['Nov 20, 2026', null],
  ])('%s proves %s', (cell, want) => {
    expect(dateEvidence(cell)).toBe(want);
  });
});

describe('decideDateOrder', () => {
  const base = { profileOrder: 'MDY' as const, decimalComma: false };

  it('is decided by any value whose first part is above 12, whatever the other values', () => {
    expect(decideDateOrder({ ...base, values: ['02/09/2026', '03/04/2026', '25/09/2026'] })).toEqual({
      order: 'DMY',
      decided: true,
      assumption: '',
    });
  });

  it('is decided month-first by a second part above 12', () => {
    expect(decideDateOrder({ ...base, values: ['02/09/2026', '09/25/2026'] })).toMatchObject({ order: 'MDY', decided: true });
  });

  it('lets most values win when they disagree', () => {
    expect(decideDateOrder({ ...base, values: ['25/09/2026', '26/09/2026', '09/27/2026'] }).order).toBe('DMY');
  });

  it("assumes the profile's order when nothing decides it, and says so", () => {
    const d = decideDateOrder({ ...base, values: ['02/09/2026', '03/04/2026'] });
    expect(d).toMatchObject({ order: 'MDY', decided: false });
    expect(d.assumption).toMatch(/read month first \(MM\/DD\/YYYY\)/);
  });

  it('leans day-first for dotted dates in a decimal-comma file', () => {
    const d = decideDateOrder({ ...base, decimalComma: true, values: ['02.09.2026'] });
    expect(d).toMatchObject({ order: 'DMY', decided: false });
    expect(d.assumption).toMatch(/decimal commas/);
  });

  it('takes the order the uploader named', () => {
    expect(decideDateOrder({ ...base, stated: 'DMY', values: ['09/25/2026'] })).toMatchObject({ order: 'DMY', decided: true });
  });
});

describe('contradicts and isAmbiguousDate', () => {
  it('names the order a value proves against an assumed one', () => {
    expect(contradicts('MDY', '25/09/2026')).toBe('DMY');
    expect(contradicts('DMY', '09/25/2026')).toBe('MDY');
    expect(contradicts('MDY', '09/25/2026')).toBeNull();
    expect(contradicts('MDY', '02/09/2026')).toBeNull();
  });

  it('knows a date that reads both ways', () => {
    expect(isAmbiguousDate('02/09/2026')).toBe(true);
    expect(isAmbiguousDate('02/25/2026')).toBe(false);
    expect(isAmbiguousDate('2026-02-09')).toBe(false);
  });
});
