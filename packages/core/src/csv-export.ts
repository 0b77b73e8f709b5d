// CSV for spreadsheets: a cell that starts with = + - @ tab or CR could run as a formula when opened
// (OWASP "CSV injection"); such cells get a leading apostrophe.
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvCell(value: string | number | null | undefined): string {
  const s = neutralizeCell(value === null || value === undefined ? '' : String(value));
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return values.map(csvCell).join(',') + '\r\n';
}
