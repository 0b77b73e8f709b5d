import type pg from 'pg';
import {
  UnrecoverableImportError,
  createRowReader,
  detectLayout,
  isBlankRow,
  type AgingField,
  type RowReading,
  type SavedColumnMapping,
} from '@ledgerport/core';
import { ensureStagedClaimsPartition, stageClaimsChunk, type ImportRecord, type StagedClaim } from '@ledgerport/db';
import type { FileLayout, RowHandler } from './stage-file.js';
import type { FileRow, RowSource } from './row-source.js';

/**
 * Aging files: detect the PM system's layout from the first rows (or use the one named at upload, or
 * the practice's saved mapping), then read each row through it and COPY the claims into staged_claims.
 */
export function agingRowHandler(imp: ImportRecord, pool: pg.Pool, today: string): RowHandler<StagedClaim> {
  let read: ((cells: string[]) => RowReading) | null = null;
  return {
    analyzeAsItGrows: null,
    async start(first: FileRow[], source: RowSource): Promise<FileLayout> {
      const rows = first.map((r) => r.cells);
      const det = detectLayout(rows, {
        fileType: source.fileType,
        formatHint: typeof imp.options.formatHint === 'string' ? imp.options.formatHint : undefined,
        savedMappings: await savedMappings(pool, imp.practiceId),
        today,
      });
      if (!det.ok) {
        // Kept so staff can map this layout themselves (GET /imports/:id/header, POST /column-mappings).
        await pool.query('update imports set first_rows = $2 where id = $1', [
          imp.id,
          JSON.stringify(rows.filter((r) => !isBlankRow(r)).slice(0, 12)),
        ]);
        throw new UnrecoverableImportError('unrecognized_layout', det.error);
      }
      const d = det.value;
      const headerRow = first[d.headerIndex];
      if (!headerRow) throw new UnrecoverableImportError('unrecognized_layout', 'The header row could not be found.');
      const header = headerRow.cells.map((c) => c.trim());
      const reportDate = d.reportDate ?? imp.reportDate ?? today;
      await assertNotOlder(pool, imp, reportDate);
      await ensureStagedClaimsPartition(pool, imp.id);
      const decimalComma =
        d.profile.decimalComma ||
        (source.delimiter === ';' && usesDecimalComma(first.slice(d.headerIndex + 1), d.mapping.columns));
      read = createRowReader(
        decimalComma === d.profile.decimalComma ? d : { ...d, profile: { ...d.profile, decimalComma } },
        { header, reportDate, today },
      );
      return {
        headerLine: headerRow.line,
        header,
        format: d.savedMappingId ? `mapping:${d.savedMappingId}` : d.profile.id,
        reportDate,
      };
    },
    row(r) {
      if (!read) throw new Error('row before header');
      const v = read(r.cells);
      if (v.kind === 'skip') return { kind: 'skip', counter: v.reason === 'blank' ? undefined : `skipped_${v.reason}` };
      if (v.kind === 'error') return { kind: 'rejected', errors: v.errors };
      const c = v.row;
      // Only what staged_claims holds: a chunk of full rows (details and all) would be held twice as long.
      const value: StagedClaim = {
        rowNo: r.line,
        claimKey: c.claimKey,
        claimNumber: c.claimNumber,
        patientName: c.patientName,
        patientAccount: c.patientAccount,
        dateOfBirth: c.dateOfBirth,
        payerName: c.payerName,
        payerKey: c.payerKey,
        dateOfService: c.dateOfService,
        billedCents: c.billedCents,
        balanceCents: c.balanceCents,
        agingBucket: c.agingBucket,
      };
      return { kind: 'staged', value, cents: c.balanceCents, warnings: v.warnings };
    },
    async stage(client: pg.PoolClient, staged: StagedClaim[], prevCheckpoint: number) {
      const rejectedLines = await stageClaimsChunk(client, imp.id, staged);
      if (!rejectedLines.length) return { rejectedLines };
      const { rows } = await client.query<{ sum: number | null }>(
        'select coalesce(sum(balance_cents), 0)::bigint as sum from staged_claims where import_id = $1 and row_no > $2',
        [imp.id, prevCheckpoint],
      );
      return { rejectedLines, cents: rows[0]?.sum ?? 0 };
    },
  };
}

const MONEY_FIELDS: AgingField[] = ['balance', 'billed', 'paid', 'adjustments'];

/**
 * A semicolon-separated export usually comes from a machine set to decimal commas; the money cells
 * tell: "12,50" or "1.234,56" (a comma then one or two digits at the end) and no "12.50".
 */
function usesDecimalComma(rows: FileRow[], columns: Partial<Record<AgingField, number>>): boolean {
  let comma = 0;
  let dot = 0;
  for (const r of rows) {
    for (const f of MONEY_FIELDS) {
      const i = columns[f];
      const cell = i === undefined ? '' : (r.cells[i] ?? '').trim().replace(/[)\-]$/, '');
      if (/\d,\d{1,2}$/.test(cell)) comma++;
      else if (/\d\.\d{1,2}$/.test(cell)) dot++;
    }
  }
  return comma > 0 && comma >= dot;
}

async function savedMappings(pool: pg.Pool, practiceId: string): Promise<SavedColumnMapping[]> {
  const { rows } = await pool.query<{ id: string; header: string[]; columns: Partial<Record<AgingField, number>> }>(
    'select id, header, columns from column_mappings where practice_id = $1',
    [practiceId],
  );
  return rows;
}

/** Each aging file is a snapshot: one older than the snapshot already applied would undo newer facts. */
export async function assertNotOlder(
  db: pg.Pool | pg.PoolClient,
  imp: ImportRecord,
  reportDate: string,
): Promise<void> {
  const { rows } = await db.query<{ last: string | null; name: string }>(
    'select last_report_date as last, name from locations where id = $1',
    [imp.locationId],
  );
  const last = rows[0]?.last;
  if (last && reportDate < last) {
    throw new UnrecoverableImportError(
      'older_snapshot',
      `This aging report is as of ${usDate(reportDate)}, but ${rows[0]?.name ?? 'this location'} already has a newer one applied (as of ${usDate(last)}). ` +
        'Upload the latest report instead; an older one would undo newer payments.',
    );
  }
}

function usDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${m}/${d}/${y}`;
}
