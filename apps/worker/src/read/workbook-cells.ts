import * as XLSX from '@e965/xlsx';

// @e965/xlsx types its SSF formatter as any.
const ssf = XLSX.SSF as { is_date(format: string): boolean };

/** Whether a number format shows a date or time (SheetJS's own test, shared by both workbook readers). */
export function isDateFormat(format: string): boolean {
  return ssf.is_date(format);
}

/** Excel serial day → ISO date; 1900 system with its phantom 29 Feb 1900, or the 1904 system. */
export function serialToIso(serial: number, date1904: boolean): string {
  const days = Math.floor(serial);
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 31);
  const offset = date1904 ? days : days >= 60 ? days - 1 : days;
  return new Date(epoch + offset * 86400_000).toISOString().slice(0, 10);
}
