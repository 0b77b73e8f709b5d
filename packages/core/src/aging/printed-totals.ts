/**
 * The totals a PM report prints under its rows ("Aetna Total", "Payor Total:", "Report Totals",
 * "Grand Total"), checked against the rows above them: a report with a claim row deleted, or a row we
 * could not read, no longer adds up to what the PM system printed.
 */
export interface PrintedTotal {
  line: number;
  label: string;
  printedCents: number;
  /** what the data rows it covers add up to (rows whose balance could not be read count as 0) */
  rowsCents: number;
  scope: 'group' | 'report';
}

export interface PrintedTotalsResult {
  /** every total line read, in file order */
  totals: PrintedTotal[];
  /** the ones that do not add up */
  mismatches: PrintedTotal[];
  /** the report's own grand total, when it prints one */
  reportTotalCents: number | null;
  /** the grand total minus what the rows add up to (0 when it matches or is not printed) */
  differenceCents: number;
}

/** A label that names the whole report's total rather than a group's ("Total", "Grand Total:", "Report Totals"). */
const REPORT_TOTAL = /^(?:grand|report|final|overall)?\s*totals?\s*:?$/i;

export class PrintedTotals {
  private all = 0;
  private sinceLast = 0;
  private readonly found: PrintedTotal[] = [];

  /** A data row, accepted or rejected, with its balance when readable. */
  row(balanceCents: number | null): void {
    const c = balanceCents ?? 0;
    this.all += c;
    this.sinceLast += c;
  }

  /**
   * A total line. It is a group's total when the rows since the previous total line add up to it,
   * the report's when all rows do; otherwise its label decides which it was meant to be.
   */
  total(line: number, label: string, printedCents: number | null): void {
    if (printedCents === null) return;
    const group = this.sinceLast;
    this.sinceLast = 0;
    let scope: PrintedTotal['scope'];
    let rowsCents: number;
    if (printedCents === group && !(REPORT_TOTAL.test(label.trim()) && printedCents === this.all)) {
      scope = 'group';
      rowsCents = group;
    } else if (printedCents === this.all || REPORT_TOTAL.test(label.trim())) {
      scope = 'report';
      rowsCents = this.all;
    } else {
      scope = 'group';
      rowsCents = group;
    }
    this.found.push({ line, label: label.trim(), printedCents, rowsCents, scope });
  }

  result(): PrintedTotalsResult {
    const report = [...this.found].reverse().find((t) => t.scope === 'report') ?? null;
    return {
      totals: [...this.found],
      mismatches: this.found.filter((t) => t.printedCents !== t.rowsCents),
      reportTotalCents: report?.printedCents ?? null,
      differenceCents: report === null ? 0 : report.printedCents - report.rowsCents,
    };
  }
}
