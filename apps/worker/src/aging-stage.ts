import type pg from 'pg';
import { UnrecoverableImportError, genericProfile, isBlankRow, mapHeader, validateAgingRow, type RowContext } from '@ledgerport/core';
import { copyStagedClaims, rejectDuplicateKeys, type ImportRecord, type StagedClaim } from '@ledgerport/db';
import type { FileLayout, RowHandler } from './stage-file.js';
import type { FileRow } from './row-source.js';

/** Aging files: find the header, validate each claim row, COPY the good ones into staged_claims. */
export function agingRowHandler(imp: ImportRecord, today: string): RowHandler<StagedClaim> {
  let ctx: RowContext | null = null;
  return {
    start(first: FileRow[]): FileLayout {
      const headerRow = first.find((r) => !isBlankRow(r.cells));
      if (!headerRow) throw new UnrecoverableImportError('empty_file', 'The file has no header row.');
      const header = headerRow.cells.map((c) => c.trim());
      const mapped = mapHeader(header, genericProfile);
      if (!mapped.ok) throw new UnrecoverableImportError('unusable_header', mapped.error);
      const reportDate = imp.reportDate ?? today;
      ctx = { profile: genericProfile, mapping: mapped.value, header, reportDate, today };
      return { headerLine: headerRow.line, header, format: genericProfile.id, reportDate };
    },
    row(r) {
      if (!ctx) throw new Error('row before header');
      const v = validateAgingRow(r.cells, ctx);
      if (!v.ok) return { kind: 'rejected', errors: v.errors };
      return { kind: 'staged', value: { rowNo: r.line, ...v.row }, cents: v.row.balanceCents };
    },
    async stage(client: pg.PoolClient, staged: StagedClaim[], prevCheckpoint: number) {
      await copyStagedClaims(client, imp.id, staged);
      const rejectedLines = await rejectDuplicateKeys(client, imp.id, prevCheckpoint);
      if (!rejectedLines.length) return { rejectedLines };
      const { rows } = await client.query<{ sum: number | null }>(
        'select sum(balance_cents)::bigint as sum from staged_claims where import_id = $1 and row_no > $2',
        [imp.id, prevCheckpoint],
      );
      return { rejectedLines, cents: rows[0]?.sum ?? 0 };
    },
  };
}
