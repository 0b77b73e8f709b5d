// CSV for spreadsheets (OWASP "CSV injection"): a cell a spreadsheet could run as a formula gets a
// leading apostrophe. Excel and LibreOffice skip blanks before a formula sign (" =1+1" and "\r=1+1"
// run), so the test is on the first non-blank character; a leading tab or CR is refused outright, as
// is the full-width form of each sign (some East Asian Excel locales read "＝" as "=").
const FORMULA_AFTER_BLANKS = /^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
const CONTROL_START = /^[\t\r]/;

/**
 * A negative amount ("-12.00", "-1,234.56", "-$12.00") starts with "-" but is all digits, separators
 * and one sign: no spreadsheet can read a function or a cell reference into it, and an apostrophe
 * would turn the money of an exported (or re-uploaded, after a fix) row into text. So it stays as it
 * is, a number the spreadsheet adds up; "-1+2", "- 12" or "-12 " are not plain amounts and are
 * neutralised. Numbers we write ourselves (row numbers, cents) are JavaScript numbers and never
 * neutralised.
 */
const PLAIN_NEGATIVE_AMOUNT = /^-\$?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;

export function neutralizeCell(value: string): string {
  if (CONTROL_START.test(value)) return `'${value}`;
  if (!FORMULA_AFTER_BLANKS.test(value) || PLAIN_NEGATIVE_AMOUNT.test(value)) return value;
  return `'${value}`;
}

export function csvCell(value: string | number | null | undefined, delimiter = ','): string {
  const s =
    value === null || value === undefined
      ? ''
      : typeof value === 'number' && Number.isFinite(value)
        ? String(value)
        : neutralizeCell(String(value));
  return /["\r\n]/.test(s) || s.includes(delimiter) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One line; `delimiter` is the upload's own (`;` for a file with decimal commas, a tab) when writing it back. */
export function csvLine(values: ReadonlyArray<string | number | null | undefined>, delimiter = ','): string {
  return values.map((v) => csvCell(v, delimiter)).join(delimiter) + '\r\n';
}
