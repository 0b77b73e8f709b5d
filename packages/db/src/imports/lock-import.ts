import type pg from 'pg';
import type { Tx } from '../transaction.js';

/** What a chunk of any kind of import reads from its import row: its status and its checkpoints. */
export interface ImportChunkState {
  id: string;
  practiceId: string;
  locationId: string | null;
  status: string;
  cancelRequested: boolean;
  stageCheckpoint: number;
  commitCheckpoint: number;
  previousImportId: string | null;
  counters: Record<string, number>;
  /** the administrator who confirmed that this import may close what it closes (a review, an empty report) */
  resolveApprovedBy: string | null;
}

/**
 * Locks the import row for the chunk's transaction: the checkpoint it holds decides what is left to do.
 * FOR NO KEY UPDATE, not FOR UPDATE: the foreign keys of rows a concurrent merge writes (claims,
 * claim_versions → imports) take KEY SHARE on this row, which FOR UPDATE would block for the whole of
 * the other transaction.
 */
export async function lockImport(tx: Tx, importId: string): Promise<ImportChunkState> {
  return importState(tx, importId, 'for no key update');
}

/** The import's chunk state as of now, without a lock (a merge that checks it again under the lock at its end). */
export async function readImportState(client: pg.PoolClient, importId: string): Promise<ImportChunkState> {
  return importState(client, importId, '');
}

async function importState(client: pg.PoolClient, importId: string, lock: string): Promise<ImportChunkState> {
  const { rows } = await client.query<{
    id: string;
    practice_id: string;
    location_id: string | null;
    status: string;
    cancel_requested: boolean;
    stage_checkpoint: number;
    commit_checkpoint: number;
    previous_import_id: string | null;
    counters: Record<string, number>;
    resolve_approved_by: string | null;
  }>(
    `select id, practice_id, location_id, status, cancel_requested, stage_checkpoint, commit_checkpoint, previous_import_id, counters,
       resolve_approved_by
     from imports where id = $1 ${lock}`,
    [importId],
  );
  const r = rows[0];
  if (!r) throw new Error(`import ${importId} does not exist`);
  return {
    id: r.id,
    practiceId: r.practice_id,
    locationId: r.location_id,
    status: r.status,
    cancelRequested: r.cancel_requested,
    stageCheckpoint: r.stage_checkpoint,
    commitCheckpoint: r.commit_checkpoint,
    previousImportId: r.previous_import_id,
    counters: r.counters,
    resolveApprovedBy: r.resolve_approved_by,
  };
}
