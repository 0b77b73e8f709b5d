import type pg from 'pg';
import { UnrecoverableImportError, isBlankRow, type RowError } from '@ledgerport/core';
import {
  insertRejectedRows,
  insertRowErrors,
  lockImport,
  recordFileLayout,
  recordStagedChunk,
  withTransaction,
  insertKeptClaims,
  type ImportNotice,
  type ImportRecord,
  type StagedRowError,
} from '@ledgerport/db';
import type { UploadStore } from '@ledgerport/storage';
import { openStoredRows, type FileRow, type RowSource } from '../read/row-source.js';
import type { WorkbookLimits } from '../read/workbook-rows.js';
import { CheckpointMoved, ImportCancelled, WorkerStopping } from '../job/attempt-interruptions.js';

/**
 * Rows parsed between turns of the event loop (see the read loop in stageFile). Every answer Postgres
 * sends to the chunk in flight, and to the merge of the chunk before it, waits for the next turn: with
 * 200 rows between turns (2-3 ms of parsing) a 1,000,000-row first import's reading waited 6 s in all
 * for merges still in their round trips; with 10, 2.2 s (docs/performance.md, twelfth session).
 */
const YIELD_EVERY_ROWS = 10;

/** How many rows at the top of a file may hold title lines and the header. */
export const HEADER_SEARCH_ROWS = 50;

export type RowOutcome<S> =
  | { kind: 'skip'; counter?: string }
  | {
      kind: 'staged';
      value: S;
      warnings?: RowError[];
      cents?: number;
      /**
       * False when stage() certainly cannot refuse this row (its claim key is new to the file): its
       * cells are then let go of at once instead of being kept for the rejected-rows list until the
       * chunk is written. Absent means kept.
       */
      keepCells?: boolean;
    }
  | {
      kind: 'rejected';
      errors: RowError[];
      /** the claim the row names, when readable: it stays as it was (import_kept_claims) */
      keptKey?: string | null;
      /** the row's money when readable; null when the amount itself could not be read */
      cents?: number | null;
    };

export interface FileLayout {
  headerLine: number;
  header: string[];
  format?: string | null;
  reportDate?: string | null;
}

/** What a kind of import does with a file's rows; the chunking, checkpoints and counters are shared. */
export interface RowHandler<S> {
  /** Finds the header among the first rows; throws UnrecoverableImportError when it cannot. */
  start(firstRows: FileRow[], source: RowSource): Promise<FileLayout> | FileLayout;
  row(r: FileRow): RowOutcome<S>;
  /**
   * A row a resumed import already staged: read again only to rebuild what the handler carries from
   * row to row (a payer group, printed totals, the date order), its outcome discarded.
   */
  replay?(r: FileRow): void;
  /** At the end of the file: counters and notices about the file as a whole. */
  finish?(): { counters: Record<string, number>; notices: ImportNotice[] };
  /**
   * Writes one chunk of accepted rows; returns the lines it rejected after all (duplicates, unknown
   * patients) and, when it changed, the money left staged.
   */
  stage(
    client: pg.PoolClient,
    staged: S[],
    prevCheckpoint: number,
  ): Promise<{ rejectedLines: number[]; cents?: number }>;
  /**
   * Called when a chunk's transaction has committed, with the chunk's rows and the lines of them that
   * stage() rejected after all; takes what it needs from them at once and returns work to run on its
   * own connection while the next chunk is staged: an aging import that may apply as it reads merges
   * lines (from, through] there. That work runs one chunk at a time, in file order, and reading stays
   * at most two chunks ahead of it.
   */
  afterCommit?(
    from: number,
    through: number,
    staged: readonly S[],
    rejectedLines: ReadonlySet<number>,
  ): () => Promise<unknown>;
  /**
   * A table stage() fills whose duplicate checks need the planner to know its size: analyzed as it
   * doubles. Null when stage() makes its statements plan-proof instead (preferIndexLookups).
   */
  analyzeAsItGrows: 'staged_rows' | null;
  /**
   * Whether stage() runs before the import's row is locked (and its checkpoint checked), which keeps
   * the lock for a moment instead of the whole write: a merge of the chunk before, locking the row at
   * its end, no longer waits out this chunk's COPY. Only for a stage() that a second worker staging
   * the same lines cannot get through: it waits on the first one's unique keys, and whatever it wrote
   * is rolled back with the checkpoint check that follows.
   */
  writesBeforeLock: boolean;
}

export interface StageDeps {
  pool: pg.Pool;
  workbookLimits: WorkbookLimits;
  chunkRows: number;
  shouldStop: () => boolean;
  onChunk: (p: { rowsRead: number; bytesRead: number }) => Promise<void>;
}

interface Chunk<S> {
  staged: S[];
  errors: StagedRowError[];
  rejected: Array<{ rowNumber: number; cells: string[] }>;
  /** cells of the staged rows stage() may still refuse (keepCells), to list them as rejected if it does */
  stagedCells: Map<number, string[]>;
  rowsRead: number;
  warned: number;
  cents: number;
  /** keys of claims named on rejected rows */
  keptKeys: string[];
  counters: Record<string, number>;
  lastLine: number;
}

function keptCells(c: Chunk<unknown>, line: number): string[] {
  const cells = c.stagedCells.get(line);
  // A row refused after all that the handler said could not be: the rejected-rows list would lose it.
  if (!cells) throw new Error(`line ${line} was refused by the database but its cells were let go of (keepCells)`);
  return cells;
}

const emptyChunk = <S>(): Chunk<S> => ({
  staged: [],
  errors: [],
  rejected: [],
  stagedCells: new Map(),
  rowsRead: 0,
  warned: 0,
  cents: 0,
  keptKeys: [],
  counters: {},
  lastLine: 0,
});

/**
 * Streams the file and stages it one chunk per transaction. The transaction also moves the import's
 * stage checkpoint (last file line done), so a retry or another worker resumes after it and no line
 * is staged twice.
 */
export async function stageFile<S>(
  imp: ImportRecord,
  upload: StoredFile,
  handler: RowHandler<S>,
  deps: StageDeps,
): Promise<void> {
  const source = await openStoredRows(upload.store, upload.key, imp.sizeBytes, deps.workbookLimits);
  const iterator = source.rows[Symbol.asyncIterator]();
  try {
    await stageRows(imp, source, iterator, handler, deps);
  } finally {
    // Whatever stopped the read, the file is let go of: its stream, its request to the store, and a
    // local copy made of it.
    await Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

/** Where an import's file is: its store and key. */
export interface StoredFile {
  store: UploadStore;
  key: string;
}

async function stageRows<S>(
  imp: ImportRecord,
  source: RowSource,
  iterator: AsyncIterator<FileRow>,
  handler: RowHandler<S>,
  deps: StageDeps,
): Promise<void> {
  const first: FileRow[] = [];
  while (first.length < HEADER_SEARCH_ROWS) {
    const n = await iterator.next();
    if (n.done) break;
    first.push(n.value);
  }
  if (!first.some((r) => !isBlankRow(r.cells)))
    throw new UnrecoverableImportError('empty_file', 'The file has no header row and no rows.');
  const layout = await handler.start(first, source);
  await recordFileLayout(deps.pool, imp.id, {
    encoding: source.encoding,
    header: layout.header,
    format: layout.format ?? null,
    reportDate: layout.reportDate ?? null,
    delimiter: source.delimiter,
  });

  let checkpoint = imp.stageCheckpoint;
  let chunksDone = 0;
  /** afterCommit calls not yet awaited, oldest first; each starts when the one before it is done */
  const applying: Array<Promise<unknown>> = [];
  let chunk = emptyChunk<S>();
  const flush = async (final: boolean) => {
    const c = chunk;
    chunk = emptyChunk<S>();
    const newCheckpoint = final ? Math.max(checkpoint, c.lastLine, layout.headerLine) : c.lastLine;
    while (applying.length > 1) await applying.shift();
    let rejectedLines: number[] = [];
    await withTransaction(deps.pool, async (client) => {
      await client.query('set local synchronous_commit = off');
      const lock = async () => {
        const s = await lockImport(client, imp.id);
        if (s.stageCheckpoint !== checkpoint) throw new CheckpointMoved(imp.id, checkpoint, s.stageCheckpoint);
        if (s.cancelRequested) throw new ImportCancelled();
        return s;
      };
      const early = handler.writesBeforeLock ? null : await lock();
      const staged = c.staged.length ? await handler.stage(client, c.staged, checkpoint) : { rejectedLines: [] };
      const s = early ?? (await lock());
      rejectedLines = staged.rejectedLines;
      const lateRejects = staged.rejectedLines.length;
      await insertRowErrors(client, imp.id, c.errors);
      await insertKeptClaims(client, imp.id, c.keptKeys);
      await insertRejectedRows(client, imp.id, [
        ...c.rejected,
        ...staged.rejectedLines.map((n) => ({ rowNumber: n, cells: keptCells(c, n) })),
      ]);
      const counters: Record<string, number> = { ...s.counters };
      const add = (k: string, v: number) => {
        if (v !== 0) counters[k] = (counters[k] ?? 0) + v;
      };
      for (const [k, v] of Object.entries(c.counters)) add(k, v);
      // Money in the file is every readable amount, of rows applied or not; what a duplicate carried
      // (staged, then refused) is not applied either.
      add('centsInFile', c.cents + (c.counters.centsRejected ?? 0));
      add('centsRejected', c.cents - (staged.cents ?? c.cents));
      if (lateRejects) add('duplicateRows', lateRejects);
      let notices: ImportNotice[] | null = null;
      if (final && handler.finish) {
        const end = handler.finish();
        for (const [k, v] of Object.entries(end.counters)) counters[k] = v;
        notices = end.notices;
      }
      await recordStagedChunk(client, imp.id, {
        checkpoint: newCheckpoint,
        rowsRead: c.rowsRead,
        rowsAccepted: c.staged.length - lateRejects,
        rowsRejected: c.rejected.length + lateRejects,
        rowsWarned: c.warned,
        bytesRead: Math.min(source.counter.bytes, imp.sizeBytes),
        counters,
        final,
        notices,
      });
    });
    if (handler.afterCommit && newCheckpoint > checkpoint) {
      const work = handler.afterCommit(checkpoint, newCheckpoint, c.staged, new Set(rejectedLines));
      const prev = applying[applying.length - 1] ?? Promise.resolve();
      const next = prev.then(work);
      next.catch(() => undefined);
      applying.push(next);
    }
    checkpoint = newCheckpoint;
    chunksDone++;
    // Without statistics the planner takes the staging table for empty, and the duplicate check per
    // chunk turns into a scan of everything staged so far: quadratic. Analyze as it doubles.
    if (handler.analyzeAsItGrows && (chunksDone & (chunksDone - 1)) === 0)
      await deps.pool.query(`analyze ${handler.analyzeAsItGrows}`);
    await deps.onChunk({ rowsRead: c.rowsRead, bytesRead: source.counter.bytes });
    if (!final && deps.shouldStop()) throw new WorkerStopping();
  };

  /**
   * Adds a row to the chunk; true when the chunk is full. Not async: a promise and a turn of the
   * microtask queue per row, a million times, for the one row in 5,000 that has something to wait for.
   */
  const take = (r: FileRow): boolean => {
    if (r.line <= layout.headerLine || isBlankRow(r.cells)) return false;
    if (r.line <= checkpoint) {
      handler.replay?.(r);
      return false;
    }
    const out = handler.row(r);
    if (out.kind === 'skip') {
      if (out.counter) chunk.counters[out.counter] = (chunk.counters[out.counter] ?? 0) + 1;
      return false;
    }
    chunk.rowsRead++;
    chunk.lastLine = r.line;
    if (out.kind === 'staged') {
      chunk.staged.push(out.value);
      if (out.keepCells !== false) chunk.stagedCells.set(r.line, r.cells);
      chunk.cents += out.cents ?? 0;
      if (out.warnings?.length) {
        chunk.warned++;
        for (const w of out.warnings) chunk.errors.push({ rowNumber: r.line, ...w, severity: 'warning' });
      }
    } else {
      chunk.rejected.push({ rowNumber: r.line, cells: r.cells });
      for (const e of out.errors) chunk.errors.push({ rowNumber: r.line, ...e });
      const count = (k: string, v = 1) => {
        chunk.counters[k] = (chunk.counters[k] ?? 0) + v;
      };
      if (out.keptKey) chunk.keptKeys.push(out.keptKey);
      else if (out.keptKey === null) count('rowsKeyUnreadable');
      if (typeof out.cents === 'number') count('centsRejected', out.cents);
      else if (out.cents === null) count('rowsAmountUnreadable');
    }
    return chunk.rowsRead >= deps.chunkRows;
  };
  // One chunk in flight while the next is parsed: Postgres writes while Node reads. Chunks still
  // commit strictly in order, each moving the checkpoint past the one before.
  const flushFull = async () => {
    await inFlight;
    inFlight = flush(false);
    inFlight.catch(() => undefined);
  };

  let inFlight: Promise<void> = Promise.resolve();
  try {
    // Buffered rows come out of the parser through microtasks alone, which starve I/O callbacks: the
    // chunk in flight would get Postgres's answers only when the parser next reads the file, once per
    // few thousand rows, for each of its dozen round trips. Letting the event loop turn every few rows
    // keeps Postgres busy while Node parses. Counted, not awaited, per row: a promise a row is what
    // take() avoids.
    let sinceYield = 0;
    const turnDue = () => {
      if (++sinceYield < YIELD_EVERY_ROWS) return false;
      sinceYield = 0;
      return true;
    };
    const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
    for (const r of first) {
      if (take(r)) await flushFull();
      if (turnDue()) await nextTurn();
    }
    for (;;) {
      const n = await iterator.next();
      if (n.done) break;
      if (take(n.value)) await flushFull();
      if (turnDue()) await nextTurn();
    }
    await inFlight;
    await flush(true);
    for (const p of applying) await p;
  } finally {
    // Whatever stopped the read, no merge may outlive it: the caller's location lock is released next.
    await inFlight.catch(() => undefined);
    await Promise.allSettled(applying);
  }
}
