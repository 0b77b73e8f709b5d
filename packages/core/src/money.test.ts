import { formatCents, parseMoney } from './money.js';

describe('parseMoney', () => {
  it.each([
    ['1234.5', 123450],
    ['1234', 123400],
    ['$1,234.56', 123456],
    ['-12.00', -1200],
    ['(12.00)', -1200],
    ['($12.00)', -1200],
    ['$(12.00)', -1200],
    ['-$12.00', -1200],
    ['$-12.00', -1200],
    ['12.00-', -1200],
    ['  $ 245.00  ', 24500],
    ['0.29', 29],
    ['.5', 50],
    ['12.', 1200],
    ['+7.10', 710],
    ['$1,000,000.01', 100000001],
    ['12.500', 1250],
    ['(0.00)', 0],
    ['\u00a0$880.25\u200b', 88025],
  ])('reads %j as %d cents', (text, cents) => {
    expect(parseMoney(text)).toEqual({ ok: true, value: cents });
  });

  it('reads plain amounts (the shortcut) exactly as the general reading does', () => {
    // A leading space takes the general way; the shortcut must never give another answer.
    const samples = ['0', '7', '12.5', '12.50', '0.29', '4.35', '1.10', '00012.05', '9999999999999.99', '1234567890123'];
    for (let i = 0; i < 2000; i++) {
      const whole = String(Math.floor(Math.random() * 10 ** (1 + (i % 13))));
      samples.push(i % 3 === 0 ? whole : `${whole}.${String(i % 100).padStart(2, '0').slice(0, 1 + (i % 2))}`);
    }
    for (const text of samples) expect(parseMoney(text)).toEqual(parseMoney(` ${text}`));
    // Past the shortcut's shapes: left to the general reading, with its answers.
    expect(parseMoney('12345678901234')).toEqual({ ok: false, error: '"12345678901234" is too large an amount' });
    expect(parseMoney('00000000000000012.00')).toEqual({ ok: true, value: 1200 });
    expect(parseMoney('1.234')).toEqual({ ok: false, error: '"1.234" has more than two decimal places' });
    expect(parseMoney('12.5', { decimalComma: true })).toEqual({ ok: false, error: '"12.5" is not an amount of money' });
  });

  it('keeps cents exact where floating point would not', () => {
    // 1.1 * 100 and 4.35 * 100 are 110.00000000000001 and 434.99999999999994 in floating point.
    expect(parseMoney('1.10')).toEqual({ ok: true, value: 110 });
    expect(parseMoney('4.35')).toEqual({ ok: true, value: 435 });
    expect(parseMoney('$19,999,999.99')).toEqual({ ok: true, value: 1999999999 });
  });

  it('never returns negative zero', () => {
    const r = parseMoney('-0.00');
    expect(r.ok && Object.is(r.value, 0)).toBe(true);
  });

  it.each(['', '   ', '\u00a0'])('reads the empty cell %j as null', (text) => {
    expect(parseMoney(text)).toEqual({ ok: true, value: null });
  });

  it.each([
    ['1.234,56', 123456],
    ['-12,5', -1250],
    ['12', 1200],
    ['(1.000,00)', -100000],
    ['3,40', 340],
  ])('reads %j with a decimal comma as %d cents', (text, cents) => {
    expect(parseMoney(text, { decimalComma: true })).toEqual({ ok: true, value: cents });
  });

  it('refuses more than two decimal places', () => {
    expect(parseMoney('12.345')).toEqual({ ok: false, error: '"12.345" has more than two decimal places' });
    expect(parseMoney('12,345', { decimalComma: true })).toEqual({
      ok: false,
      error: '"12,345" has more than two decimal places',
    });
  });

  it.each([
    'abc',
    '12abc',
    '1,23.45',
    '--12',
    '(12.00',
    '$$12',
    '-(12.00)',
    '1 234.56',
    '$',
    '.',
    '12.3.4',
    '1.234,56',
  ])('refuses %j as not money', (text) => {
    expect(parseMoney(text)).toEqual({ ok: false, error: `"${text}" is not an amount of money` });
  });

  it('quotes the cleaned text in its message', () => {
    expect(parseMoney('  abc ')).toEqual({ ok: false, error: '"abc" is not an amount of money' });
  });

  it('refuses an amount too large to add up exactly', () => {
    expect(parseMoney('12345678901234.00')).toEqual({ ok: false, error: '"12345678901234.00" is too large an amount' });
  });
});

describe('formatCents', () => {
  it.each([
    [123456, '$1,234.56'],
    [-1200, '-$12.00'],
    [0, '$0.00'],
    [5, '$0.05'],
    [100000001, '$1,000,000.01'],
    [99, '$0.99'],
    [-1, '-$0.01'],
  ])('writes %d cents as %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });

  it('round-trips with parseMoney', () => {
    for (const cents of [0, 1, -1, 99999, -123456789]) {
      expect(parseMoney(formatCents(cents))).toEqual({ ok: true, value: cents });
    }
  });
});
