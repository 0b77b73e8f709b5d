import type { Result } from './result.js';
import { err, ok } from './result.js';
import { cleanText } from './normalize.js';

export interface ParseMoneyOptions {
  /** European style `1.234,56`: comma before the cents, dots between thousands. */
  decimalComma?: boolean;
}

// Sums of many claims must stay exact integers; past this a cent amount loses precision.
const MAX_INTEGER_DIGITS = 13;

// Whole part with thousands separators (or none), then the cents.
const DECIMAL_POINT = /^(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/;
const DECIMAL_COMMA = /^(\d{1,3}(?:\.\d{3})+|\d*)(?:,(\d*))?$/;

interface Signed {
  body: string;
  negative: boolean;
}

/**
 * Peels the sign markers and dollar sign that PM systems put around an amount, in any of the
 * orders seen in exports: `-$12`, `$-12`, `($12)`, `$(12)`, `12-`. Returns null when the markers
 * contradict each other (two minus signs, an unclosed parenthesis).
 */
function peelSign(text: string): Signed | null {
  let s = text;
  let negatives = 0;
  let dollars = 0;
  for (;;) {
    const before = s;
    if (s.startsWith('$')) {
      s = s.slice(1).trim();
      dollars += 1;
    } else if (s.startsWith('(') && s.endsWith(')')) {
      s = s.slice(1, -1).trim();
      negatives += 1;
    } else if (s.startsWith('-')) {
      s = s.slice(1).trim();
      negatives += 1;
    } else if (s.endsWith('-')) {
      s = s.slice(0, -1).trim();
      negatives += 1;
    } else if (s.startsWith('+')) {
      s = s.slice(1).trim();
    }
    if (s === before) break;
  }
  if (negatives > 1 || dollars > 1) return null;
  return { body: s, negative: negatives === 1 };
}

/**
 * Parses an amount of money into integer cents. The digits are handled as text so `0.29` is
 * exactly 29 cents, never 28.999… Empty cells are `ok(null)`; the caller decides whether the
 * amount was required.
 */
export function parseMoney(text: string, opts: ParseMoneyOptions = {}): Result<number | null> {
  // Nearly every cell of an export is plain digits with a point and its cents: read by hand, as the
  // rest below would read it, without a clean, a sign peel and two regular expressions.
  if (opts.decimalComma !== true) {
    const plain = plainCents(text);
    if (plain !== null) return ok(plain);
  }
  const shown = cleanText(text);
  if (shown === '') return ok(null);
  const notMoney = (): Result<number | null> => err(`"${shown}" is not an amount of money`);

  const signed = peelSign(shown);
  if (signed === null) return notMoney();

  const match = (opts.decimalComma === true ? DECIMAL_COMMA : DECIMAL_POINT).exec(signed.body);
  if (match === null) return notMoney();

  const integerDigits = (match[1] ?? '').replace(/\D/g, '');
  let fraction = match[2] ?? '';
  if (integerDigits === '' && fraction === '') return notMoney();

  // Trailing zeros past the cents (`12.500`) lose nothing, so only real sub-cent amounts are refused.
  fraction = fraction.replace(/0+$/, '');
  if (fraction.length > 2) return err(`"${shown}" has more than two decimal places`);

  const trimmedInteger = integerDigits.replace(/^0+/, '');
  if (trimmedInteger.length > MAX_INTEGER_DIGITS) return err(`"${shown}" is too large an amount`);

  const cents = Number(trimmedInteger === '' ? '0' : trimmedInteger) * 100 + Number(fraction.padEnd(2, '0'));
  // -0 would print and compare oddly downstream.
  return ok(signed.negative && cents !== 0 ? -cents : cents);
}

/**
 * `123`, `123.4` or `123.45` (1 to 13 digits before the point) as cents, or null for anything else,
 * which the general reading then takes.
 */
function plainCents(text: string): number | null {
  const n = text.length;
  let i = 0;
  let whole = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    whole = whole * 10 + (c - 48);
    i++;
  }
  if (i === 0 || i > MAX_INTEGER_DIGITS) return null;
  if (i === n) return whole * 100;
  if (text.charCodeAt(i) !== 46 || n - i - 1 < 1 || n - i - 1 > 2) return null;
  const d1 = text.charCodeAt(i + 1) - 48;
  const d2 = n - i - 1 === 2 ? text.charCodeAt(i + 2) - 48 : 0;
  if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return null;
  return whole * 100 + d1 * 10 + d2;
}

/** `$1,234.56` / `-$12.00`, the way billing staff read amounts. */
export function formatCents(cents: number): string {
  const whole = Math.round(cents);
  const abs = Math.abs(whole);
  const dollars = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = (abs % 100).toString().padStart(2, '0');
  return `${whole < 0 ? '-' : ''}$${dollars}.${rest}`;
}
