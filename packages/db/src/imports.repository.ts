import { isUuid } from '@ledgerport/core';
import type { ExpressionBuilder, Selectable } from 'kysely';
import type { Db } from './connection.js';
import type { Database, ImportCounters, ImportNotice, ImportPhase, ImportStatus, ImportsTable } from './schema.js';

export interface ImportRecord {
  id: string;
  practiceId: string;
  locationId: string | null;
  locationName: string | null;
  kind: string;
  format: string | null;
  encoding: string | null;
  mode: 'commit' | 'preview';
  onInvalid: 'skip' | 'block';
  options: Record<string, unknown>;
  originalName: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  status: ImportStatus;
  phase: ImportPhase;
  cancelRequested: boolean;
  reportDate: string | null;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsWarned: number;
  rowsCommitted: number;
  bytesRead: number;
  stageCheckpoint: number;
  commitCheckpoint: number;
  counters: ImportCounters;
  summary: ImportCounters | null;
  header: string[] | null;
  lastError: string | null;
  lastErrorCode: string | null;
  attempts: number;
  createdBy: string;
  createdByName: string | null;
  createdAt: Date;
  startedAt: Date | null;
  phaseStartedAt: Date | null;
  updatedAt: Date;
  finishedAt: Date | null;
  revertedAt: Date | null;
  revertedBy: string | null;
  previousImportId: string | null;
  /** why it waits for an administrator (status ready), with what it would close */
  review: Record<string, unknown> | null;
  resolveApprovedBy: string | null;
  notices: ImportNotice[];
  /** when the retention policy (or a discard) deleted the stored file and the rejected rows' cells */
  fileDeletedAt: Date | null;
  /** a failed import an administrator set aside: it no longer needs attention */
  dismissedAt: Date | null;
  dismissedBy: string | null;
  /** the CSV's field separator as read; null for workbooks */
  delimiter: string | null;
}

type Row = Selectable<ImportsTable> & { location_name: string | null; created_by_name: string | null };

function toRecord(r: Row): ImportRecord {
  return {
    id: r.id,
    practiceId: r.practice_id,
    locationId: r.location_id,
    locationName: r.location_name,
    kind: r.kind,
    format: r.format,
    encoding: r.encoding,
    mode: r.mode,
    onInvalid: r.on_invalid,
    options: r.options,
    originalName: r.original_name,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    storageKey: r.storage_key,
    status: r.status,
    phase: r.phase,
    cancelRequested: r.cancel_requested,
    reportDate: r.report_date,
    rowsRead: r.rows_read,
    rowsAccepted: r.rows_accepted,
    rowsRejected: r.rows_rejected,
    rowsWarned: r.rows_warned,
    rowsCommitted: r.rows_committed,
    bytesRead: r.bytes_read,
    stageCheckpoint: r.stage_checkpoint,
    commitCheckpoint: r.commit_checkpoint,
    counters: r.counters,
    summary: r.summary,
    header: r.header,
    lastError: r.last_error,
    lastErrorCode: r.last_error_code,
    attempts: r.attempts,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
    startedAt: r.started_at,
    phaseStartedAt: r.phase_started_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
    revertedAt: r.reverted_at,
    revertedBy: r.reverted_by,
    previousImportId: r.previous_import_id,
    review: r.review,
    resolveApprovedBy: r.resolve_approved_by,
    notices: r.notices,
    fileDeletedAt: r.file_deleted_at,
    dismissedAt: r.dismissed_at,
    dismissedBy: r.dismissed_by,
    delimiter: r.delimiter,
  };
}

function baseQuery(db: Db) {
  return db
    .selectFrom('imports as i')
    .leftJoin('locations as l', 'l.id', 'i.location_id')
    .leftJoin('users as u', 'u.id', 'i.created_by')
    .selectAll('i')
    .select(['l.name as location_name', 'u.name as created_by_name']);
}

export interface NewImport {
  id?: string;
  practiceId: string;
  locationId: string | null;
  kind: string;
  format: string | null;
  mode: 'commit' | 'preview';
  onInvalid: 'skip' | 'block';
  options: Record<string, unknown>;
  originalName: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  createdBy: string;
}

export async function insertImport(db: Db, n: NewImport): Promise<ImportRecord> {
  const { id } = await db
    .insertInto('imports')
    .values({
      ...(n.id ? { id: n.id } : {}),
      practice_id: n.practiceId,
      location_id: n.locationId,
      kind: n.kind,
      format: n.format,
      mode: n.mode,
      on_invalid: n.onInvalid,
      options: JSON.stringify(n.options),
      original_name: n.originalName,
      size_bytes: n.sizeBytes,
      sha256: n.sha256,
      storage_key: n.storageKey,
      created_by: n.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return getImport(db, id).then((r) => r ?? Promise.reject(new Error(`import ${id} vanished after insert`)));
}

/**
 * Takes back an import the API inserted but could not queue (Redis did not answer): it never ran and
 * nothing refers to it yet, so it goes, rather than wait as `queued` for a job that does not exist.
 * Returns whether it did; false when a worker got to it after all (the job was queued and only the
 * reply was lost), and then it stays.
 */
export async function deleteUnqueuedImport(db: Db, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('imports')
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .where('attempts', '=', 0)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function getImport(db: Db, id: string): Promise<ImportRecord | null> {
  const r = await baseQuery(db).where('i.id', '=', id).executeTakeFirst();
  return r ? toRecord(r) : null;
}

/** An import as its own practice sees it; another practice's import is simply not there. */
export async function getImportForPractice(db: Db, practiceId: string, id: string): Promise<ImportRecord | null> {
  if (!isUuid(id)) return null;
  const r = await baseQuery(db).where('i.id', '=', id).where('i.practice_id', '=', practiceId).executeTakeFirst();
  return r ? toRecord(r) : null;
}

export interface ImportListFilter {
  status?: ImportStatus[];
  kind?: string[];
  locationId?: string;
  createdBy?: string;
  /** created on or after / before, ISO dates */
  from?: string;
  to?: string;
  /** false: without the failed imports an administrator dismissed; true: only those */
  dismissed?: boolean;
}

/** The imports of a practice that a list asks for, as one condition over `imports as i`. */
function importsWhere(practiceId: string, f: ImportListFilter) {
  return (eb: ExpressionBuilder<Database & { i: ImportsTable }, 'i'>) => {
    const c = [eb('i.practice_id', '=', practiceId)];
    if (f.status?.length) c.push(eb('i.status', 'in', f.status));
    if (f.kind?.length) c.push(eb('i.kind', 'in', f.kind));
    if (f.locationId) c.push(eb('i.location_id', '=', f.locationId));
    if (f.createdBy) c.push(eb('i.created_by', '=', f.createdBy));
    if (f.from) c.push(eb('i.created_at', '>=', new Date(`${f.from}T00:00:00Z`)));
    if (f.to) c.push(eb('i.created_at', '<', new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000)));
    if (f.dismissed === false) c.push(eb('i.dismissed_at', 'is', null));
    if (f.dismissed === true) c.push(eb('i.dismissed_at', 'is not', null));
    return eb.and(c);
  };
}


export async function listImports(
  db: Db,
  practiceId: string,
  opts: { limit: number; offset: number } & ImportListFilter,
): Promise<{ items: ImportRecord[]; total: number }> {
  const items = await baseQuery(db)
    .where(importsWhere(practiceId, opts))
    .orderBy('i.created_at', 'desc')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
  const { total } = await db
    .selectFrom('imports as i')
    .where(importsWhere(practiceId, opts))
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  return { items: items.map(toRecord), total: Number(total) };
}

export async function findCompletedDuplicate(db: Db, n: { locationId: string | null; kind: string; sha256: string; practiceId: string }) {
  let q = db
    .selectFrom('imports')
    .where('practice_id', '=', n.practiceId)
    .where('kind', '=', n.kind)
    .where('sha256', '=', n.sha256)
    .where('status', '=', 'completed');
  q = n.locationId ? q.where('location_id', '=', n.locationId) : q.where('location_id', 'is', null);
  return q.select(['id', 'created_at as createdAt']).orderBy('created_at', 'desc').executeTakeFirst();
}

/** The first rows of a file whose layout was not recognised (kept by keepFirstRows), for mapping its columns. */
export async function getFirstRows(db: Db, id: string): Promise<string[][]> {
  const r = await db.selectFrom('imports').where('id', '=', id).select('first_rows').executeTakeFirst();
  return r?.first_rows ?? [];
}
