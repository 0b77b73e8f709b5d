import type pg from 'pg';
import {
  UnrecoverableImportError,
  genericProfile,
  isBlankRow,
  mapHeader,
  validateAgingRow,
  type HeaderMapping,
  type RowContext,
} from '@ledgerport/core';
import {
  copyStagedClaims,
  insertRowErrors,
  lockImport,
  rejectDuplicateKeys,
  withTransaction,
  type ImportRecord,
  type StagedClaim,
  type StagedRowError,
} from '@ledgerport/db';
import { csvRows, sniffDelimiter } from './csv-rows.js';
import { openText, sniffEncoding, type ByteCounter } from './file-source.js';
import { CheckpointMoved, ImportCancelled, WorkerStopping } from './signals.js';

export interface StageDeps {
  pool: pg.Pool;
  chunkRows: number;
  today: string;
  shouldStop: () => boolean;
  onChunk: (p: { rowsRead: number; bytesRead: number }) => Promise<void>;
}

interface Chunk {
  staged: StagedClaim[];
  errors: StagedRowError[];
  rowsRead: number;
  rejectedRows: number;
  balanceCents: number;
  lastLine: number;
}

const emptyChunk = (): Chunk => ({ staged: [], errors: [], rowsRead: 0, rejectedRows: 0, balanceCents: 0, lastLine: 0 });

/**
 * Streams the file, validates each row and stages the good ones, one chunk per transaction. The
 * transaction also moves the import's stage checkpoint (last file line done), so a retry or another
 * worker resumes after it and no line is staged twice.
 */
export async function stageAgingFile(imp: ImportRecord, filePath: string, deps: StageDeps): Promise<void> {
  const { encoding, head } = await sniffEncoding(filePath);
  const delimiter = sniffDelimiter(head);
  const counter: ByteCounter = { bytes: 0 };
  const reportDate = imp.reportDate ?? deps.today;
  await deps.pool.query('update imports set encoding = $2, report_date = $3, updated_at = now() where id = $1', [imp.id, encoding, reportDate]);

  let mapping: HeaderMapping | null = null;
  let header: string[] = [];
  let checkpoint = imp.stageCheckpoint;
  let chunk = emptyChunk();

  const flush = async (final: boolean) => {
    const c = chunk;
    chunk = emptyChunk();
    const newCheckpoint = final ? Math.max(checkpoint, c.lastLine, 1) : c.lastLine;
    await withTransaction(deps.pool, async (client) => {
      const s = await lockImport(client, imp.id);
      if (s.stageCheckpoint !== checkpoint) throw new CheckpointMoved(imp.id, checkpoint, s.stageCheckpoint);
      if (s.cancelRequested) throw new ImportCancelled();
      await copyStagedClaims(client, imp.id, c.staged);
      await insertRowErrors(client, imp.id, c.errors);
      const dups = c.staged.length ? await rejectDuplicateKeys(client, imp.id, checkpoint) : 0;
      const counters = { ...s.counters };
      counters.balanceCentsInFile = (counters.balanceCentsInFile ?? 0) + c.balanceCents;
      counters.duplicateRows = (counters.duplicateRows ?? 0) + dups;
      if (dups) {
        const { rows } = await client.query<{ sum: number | null }>(
          `select sum(balance_cents)::bigint as sum from staged_claims where import_id = $1 and row_no > $2`,
          [imp.id, checkpoint],
        );
        counters.balanceCentsInFile = (s.counters.balanceCentsInFile ?? 0) + (rows[0]?.sum ?? 0);
      }
      await client.query(
        `update imports set stage_checkpoint = $2, rows_read = rows_read + $3, rows_accepted = rows_accepted + $4,
           rows_rejected = rows_rejected + $5, bytes_read = $6, counters = $7, header = coalesce(header, $8),
           phase = case when $9 then 'staged' else 'staging' end, updated_at = now()
         where id = $1`,
        [imp.id, newCheckpoint, c.rowsRead, c.staged.length - dups, c.rejectedRows + dups, Math.min(counter.bytes, imp.sizeBytes), counters, JSON.stringify(header), final],
      );
    });
    checkpoint = newCheckpoint;
    await deps.onChunk({ rowsRead: c.rowsRead, bytesRead: counter.bytes });
    if (!final && deps.shouldStop()) throw new WorkerStopping();
  };

  let ctx: RowContext | null = null;
  for await (const { line, cells } of csvRows(openText(filePath, encoding, counter), delimiter)) {
    if (!mapping) {
      if (isBlankRow(cells)) continue;
      header = cells.map((c) => c.trim());
      const mapped = mapHeader(header, genericProfile);
      if (!mapped.ok) throw new UnrecoverableImportError('unusable_header', mapped.error);
      mapping = mapped.value;
      ctx = { profile: genericProfile, mapping, header, reportDate, today: deps.today };
      await deps.pool.query('update imports set header = $2, format = coalesce(format, $3) where id = $1', [imp.id, JSON.stringify(header), genericProfile.id]);
      continue;
    }
    if (line <= checkpoint || !ctx || isBlankRow(cells)) continue;
    chunk.rowsRead++;
    chunk.lastLine = line;
    const v = validateAgingRow(cells, ctx);
    if (v.ok) {
      chunk.staged.push({ rowNo: line, ...v.row });
      chunk.balanceCents += v.row.balanceCents;
    } else {
      chunk.rejectedRows++;
      for (const e of v.errors) chunk.errors.push({ rowNumber: line, ...e });
    }
    if (chunk.rowsRead >= deps.chunkRows) await flush(false);
  }
  if (!mapping) throw new UnrecoverableImportError('empty_file', 'The file has no header row and no claims.');
  await flush(true);
}
