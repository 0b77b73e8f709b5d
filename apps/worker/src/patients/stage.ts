import type pg from 'pg';
import {
  KIND_SPECS,
  UnrecoverableImportError,
  isBlankRow,
  mapKindHeader,
  readKindRow,
  type KindMapping,
  type PatientKind,
  type RowValues,
} from '@ledgerport/core';
import { insertStagedRows, rejectUnusableStagedRows, type ImportRecord, type StagedRow } from '@ledgerport/db';
import type { FileLayout, RowHandler } from '../stage/stage-file.js';
import type { FileRow } from '../read/row-source.js';

/** Patients, balances and credits: rows read by the kind's column list, staged as JSON for the preview. */
export function patientRowHandler(imp: ImportRecord, kind: PatientKind, today: string): RowHandler<StagedRow> {
  const spec = KIND_SPECS[kind];
  const skipInactive = kind === 'patients' && imp.options.skipInactive !== false;
  let header: string[] = [];
  let mapping: KindMapping | null = null;
  return {
    analyzeAsItGrows: 'staged_rows',
    start(first: FileRow[]): FileLayout {
      const headerRow = first.find((r) => !isBlankRow(r.cells));
      if (!headerRow) throw new UnrecoverableImportError('empty_file', 'The file has no header row.');
      header = headerRow.cells.map((c) => c.trim());
      const mapped = mapKindHeader(header, spec.columns);
      if (!mapped.ok) throw new UnrecoverableImportError('unusable_header', mapped.error);
      mapping = mapped.value;
      return { headerLine: headerRow.line, header, format: kind };
    },
    row(r) {
      if (!mapping) throw new Error('row before header');
      const v = readKindRow(r.cells, header, mapping, spec.columns, today);
      if (!v.ok) return { kind: 'rejected', errors: v.errors };
      if (skipInactive && v.values.active === false) return { kind: 'skip', counter: 'skippedInactive' };
      return {
        kind: 'staged',
        value: { rowNo: r.line, key: rowKey(kind, v.values), data: v.values },
        cents: cents(kind, v.values),
      };
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

function cents(kind: PatientKind, v: RowValues): number {
  const x = kind === 'patient_balances' ? v.balance : kind === 'patient_credits' ? v.amount : 0;
  return typeof x === 'number' ? x : 0;
}
