import type pg from 'pg';
import {
  KIND_SPECS,
  UnrecoverableImportError,
  agingReportUploadedAs,
  contradicts,
  decideDateOrder,
  describeDateOrder,
  isAmbiguousDate,
  isBlankRow,
  mapKindHeader,
  parseMoney,
  readKindRow,
  type DateOrder,
  type DateOrderDecision,
  type KindMapping,
  type PatientKind,
  type RowValues,
} from '@ledgerport/core';
import {
  insertStagedRows,
  rejectUnusableStagedRows,
  type ImportNotice,
  type ImportRecord,
  type StagedRow,
} from '@ledgerport/db';
import type { FileLayout, RowHandler } from '../stage/stage-file.js';
import type { FileRow, RowSource } from '../read/row-source.js';

const DATE_ORDERS: readonly string[] = ['MDY', 'DMY', 'YMD'];

/** The field holding a row's money, for the kinds that carry money. */
const MONEY_FIELD: Partial<Record<PatientKind, string>> = { patient_balances: 'balance', patient_credits: 'amount' };

/** Patients, balances and credits: rows read by the kind's column list, staged as JSON for the preview. */
export function patientRowHandler(imp: ImportRecord, kind: PatientKind, today: string): RowHandler<StagedRow> {
  const spec = KIND_SPECS[kind];
  const skipInactive = kind === 'patients' && imp.options.skipInactive !== false;
  const stated =
    typeof imp.options.dateOrder === 'string' && DATE_ORDERS.includes(imp.options.dateOrder)
      ? (imp.options.dateOrder as DateOrder)
      : undefined;
  const dateColumns = spec.columns.filter((c) => c.type === 'date').map((c) => c.field);
  const moneyField = MONEY_FIELD[kind];
  let header: string[] = [];
  let mapping: KindMapping | null = null;
  /** the day/month order the file's first rows decided (or the one named at upload), and what later rows said */
  let dates: { decision: DateOrderDecision; ambiguousSeen: boolean; contradicted: number } = {
    decision: { order: stated ?? 'MDY', decided: stated !== undefined, assumption: '' },
    ambiguousSeen: false,
    contradicted: 0,
  };
  const dateCells = (cells: string[]): string[] => {
    const out: string[] = [];
    for (const f of dateColumns) {
      const i = mapping?.columns[f];
      if (i !== undefined) out.push(cells[i] ?? '');
    }
    return out;
  };
  return {
    analyzeAsItGrows: 'staged_rows',
    // Under the lock, as ever: a second worker staging the same lines is refused before it writes them.
    writesBeforeLock: false,
    start(first: FileRow[], source: RowSource): FileLayout {
      const headerRow = first.find((r) => !isBlankRow(r.cells));
      if (!headerRow) throw new UnrecoverableImportError('empty_file', 'The file has no header row.');
      const aging = agingReportUploadedAs(kind, first.map((r) => r.cells), source.fileType, today);
      if (aging !== null) throw new UnrecoverableImportError('wrong_kind', aging);
      header = headerRow.cells.map((c) => c.trim());
      const mapped = mapKindHeader(header, spec.columns);
      if (!mapped.ok) throw new UnrecoverableImportError('unusable_header', mapped.error);
      mapping = mapped.value;
      // Decided from the first rows' dates, as an aging file's is: a date that can only be day-first
      // (25/09/1970) makes the file day-first, not the row rejected.
      const decision = decideDateOrder({
        values: first.filter((r) => r.line > headerRow.line).flatMap((r) => dateCells(r.cells)),
        profileOrder: 'MDY',
        decimalComma: false,
        ...(stated ? { stated } : {}),
      });
      dates = { decision, ambiguousSeen: false, contradicted: 0 };
      return { headerLine: headerRow.line, header, format: kind };
    },
    row(r) {
      if (!mapping) throw new Error('row before header');
      if (!dates.decision.decided)
        for (const cell of dateCells(r.cells)) {
          if (contradicts(dates.decision.order, cell) !== null) dates.contradicted++;
          else if (isAmbiguousDate(cell)) dates.ambiguousSeen = true;
        }
      const v = readKindRow(r.cells, header, mapping, spec.columns, { today, order: dates.decision.order });
      if (!v.ok) return { kind: 'rejected', errors: v.errors, ...(moneyField ? { cents: readableCents(r.cells, mapping.columns[moneyField]) } : {}) };
      if (skipInactive && v.values.active === false) return { kind: 'skip', counter: 'skippedInactive' };
      return {
        kind: 'staged',
        value: { rowNo: r.line, key: rowKey(kind, v.values), data: v.values },
        cents: cents(kind, v.values),
        warnings: v.warnings,
      };
    },
    finish() {
      const notices: ImportNotice[] = [];
      const order = describeDateOrder(dates.decision.order);
      if (dates.contradicted > 0)
        notices.push({
          code: 'date_order_contradicted',
          message:
            `The first rows of this file were read ${order}, but ${dates.contradicted.toLocaleString('en-US')} later date${dates.contradicted === 1 ? ' can' : 's can'} only be read the other way, so ${dates.contradicted === 1 ? 'its row was' : 'their rows were'} rejected. ` +
            'Upload the file again and choose the date order.',
        });
      else if (!dates.decision.decided && dates.ambiguousSeen)
        notices.push({ code: 'date_order_assumed', message: dates.decision.assumption });
      return { counters: {}, notices };
    },
    async stage(client: pg.PoolClient, staged: StagedRow[], prevCheckpoint: number) {
      await insertStagedRows(client, imp.id, staged);
      const rejectedLines = await rejectUnusableStagedRows(client, imp.id, imp.practiceId, prevCheckpoint, {
        needsPatient: kind !== 'patients',
        keyLabel: kind === 'patient_credits' ? 'This credit (account and reference)' : 'Account number',
      });
      if (!rejectedLines.length) return { rejectedLines };
      const field = kind === 'patient_balances' ? 'balance' : 'amount';
      const { rows } = await client.query<{ sum: number | null }>(
        `select coalesce(sum((data->>$3)::bigint), 0)::bigint as sum from staged_rows where import_id = $1 and row_no > $2`,
        [imp.id, prevCheckpoint, field],
      );
      return { rejectedLines, cents: kind === 'patients' ? 0 : (rows[0]?.sum ?? 0) };
    },
  };
}

/**
 * What makes two rows the same thing: the account for patients and balances; for credits the account
 * and the reference, or, for a credit without one, its amount, date and description: the same credit
 * in a corrected file (other bytes, other lines) is still the same credit.
 */
function rowKey(kind: PatientKind, v: RowValues): string {
  const account = String(v.account);
  if (kind !== 'patient_credits') return account;
  if (v.reference) return `${account}|ref:${String(v.reference)}`;
  const text = (x: unknown) => (typeof x === 'string' ? x.trim().toLowerCase().replace(/\s+/g, ' ') : '');
  return `${account}|credit:${String(v.amount)}|${text(v.date)}|${text(v.description)}`;
}

/**
 * The money of a rejected row, when its amount cell itself reads (a row rejected for its account still
 * counts in the file's money); null when it does not, so it is counted as a row with an unreadable amount.
 */
function readableCents(cells: string[], index: number | undefined): number | null {
  const m = parseMoney(index === undefined ? '' : (cells[index] ?? ''));
  return m.ok ? m.value : null;
}

function cents(kind: PatientKind, v: RowValues): number {
  const x = kind === 'patient_balances' ? v.balance : kind === 'patient_credits' ? v.amount : 0;
  return typeof x === 'number' ? x : 0;
}
