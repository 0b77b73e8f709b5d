// CSV for spreadsheets: a cell that starts with = + - @ tab or CR could run as a formula when opened
// (OWASP "CSV injection"); such cells get a leading apostrophe.
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvCell(value: string | number | null | undefined, delimiter = ','): string {
  const s = neutralizeCell(value === null || value === undefined ? '' : String(value));
  return /["\r\n]/.test(s) || s.includes(delimiter) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One line; `delimiter` is the upload's own (`;` for a file with decimal commas, a tab) when writing it back. */
export function csvLine(values: ReadonlyArray<string | number | null | undefined>, delimiter = ','): string {
  return values.map((v) => csvCell(v, delimiter)).join(delimiter) + '\r\n';
}
