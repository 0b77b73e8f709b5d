// A stalled aging job handed to a second worker: two workers stage the same lines of the same import
// at the same time, both from the checkpoint they read when they began. An aging chunk writes its rows
// (a COPY into the import's partition) before it locks the import's row and checks the checkpoint
// (writesBeforeLock), so the second worker's COPY waits on the first one's uncommitted claim keys,
// then takes them for duplicates of the file's own, and only the checkpoint check after it rolls
// that back. Whatever the order, each line must be staged, counted and reported once.
import type pg from 'pg';
import { todayIso } from '@ledgerport/core';
import {
  claimImport,
  createDbHandle,
  getImport,
  markStaging,
  stagedClaimsPartition,
  withTransaction,
  type DbHandle,
  type StagedClaim,
} from '@ledgerport/db';
import { createUploadStore, storageConfigOf, type UploadStore } from '@ledgerport/storage';
import { loadWorkerConfig, workbookLimits } from '@ledgerport/worker';
import { agingRowHandler } from '../../apps/worker/src/aging/stage.js';
import { CheckpointMoved, WorkerStopping } from '../../apps/worker/src/job/attempt-interruptions.js';
import { stageFile, type RowHandler, type StageDeps } from '../../apps/worker/src/stage/stage-file.js';
import { client } from './support/http.js';
import { AGING_HEADER, agingLines } from './support/generate.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { waitUntil } from './support/wait.js';

const CHUNK_ROWS = 40;

let stack: TestStack;
let store: UploadStore;
/** each worker's own connections, as two processes would have */
let pools: DbHandle[];
beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  store = createUploadStore(storageConfigOf(loadWorkerConfig(stack.env)));
  pools = [createDbHandle(stack.db.url, 3), createDbHandle(stack.db.url, 3)];
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.destroy()));
  store.close();
  await stack.close();
});

const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;

/**
 * 120 claims in three chunks and a bit, with a later line for the claim of line 6 (a duplicate in the
 * file itself: its one row error must survive, once) and a line whose balance cannot be read
 * (rejected by the reader).
 */
function file(startAt: number) {
  const lines = [AGING_HEADER, ...agingLines({ rows: 120, startAt })];
  const unreadable = lines[7]!.replace(/^C-\d+/, `C-${startAt + 900}`).replace(/,[\d.]+$/, ',n/a');
  lines.splice(99, 0, lines[5]!.replace(/,[\d.]+$/, ',1.23'));
  lines.splice(60, 0, unreadable);
  const body = lines.slice(1);
  const cents = body.map((l) => {
    const m = /,([\d.]+)$/.exec(l);
    return m ? Math.round(Number(m[1]) * 100) : null;
  });
  return {
    csv: lines.join('\n') + '\n',
    lastLine: lines.length,
    rows: body.length,
    duplicateLine: lines.findIndex((l) => l.endsWith(',1.23')) + 1,
    duplicateClaim: `C-${String(startAt + 4).padStart(8, '0')}`,
    unreadableLine: lines.indexOf(unreadable) + 1,
    centsInFile: cents.reduce((s: number, c) => s + (c ?? 0), 0),
    duplicateCents: 123,
  };
}

/** An aging import uploaded, then claimed and staging as a worker's attempt leaves it before its first chunk. */
async function runningImport(csv: string, name: string) {
  const staff = client(stack.url, stack.staff);
  const up = await staff.upload(csv, { kind: 'aging', locationId: stack.seed.locations[1]!.id, mode: 'preview' }, name);
  expect(up.status).toBe(202);
  const id = up.body.id as string;
  expect(await withTransaction(stack.db.handle.pool, (tx) => claimImport(tx, id))).toBe(true);
  await markStaging(stack.db.handle.pool, id);
  const imp = await getImport(stack.db.handle.db, id);
  if (!imp) throw new Error('no import');
  expect(imp.stageCheckpoint).toBe(0);
  return imp;
}

const stageDeps = (pool: pg.Pool): StageDeps => ({
  pool,
  workbookLimits: workbookLimits(loadWorkerConfig(stack.env)),
  chunkRows: CHUNK_ROWS,
  shouldStop: () => false,
  onChunk: () => Promise.resolve(),
});

/** Whether a backend of this test's database waits on a lock that backend `pid` holds. */
async function blockedBy(pid: number): Promise<boolean> {
  const rows = await q(
    `select 1 from pg_stat_activity where datname = current_database() and $1 = any(pg_blocking_pids(pid))`,
    [pid],
  );
  return rows.length > 0;
}

it.each([
  ['its COPY waits on the first worker’s uncommitted chunk', 1],
  ['it reads lines the first worker committed while that one holds its next chunk open', 2],
])(
  'stages each line once when a second worker stages the same import at once: %s',
  async (_what, heldChunk) => {
    const f = file(heldChunk === 1 ? 8_000_001 : 8_100_001);
    const imp = await runningImport(f.csv, `race-${heldChunk}.csv`);
    const upload = { store, key: imp.storageKey };
    const today = todayIso();

    // The first worker stops inside one chunk's transaction, its rows written and not committed.
    let chunks = 0;
    let held: (pid: number) => void = () => undefined;
    const holding = new Promise<number>((resolve) => (held = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const first = agingRowHandler(imp, pools[0]!.pool, today);
    const firstWorker: RowHandler<StagedClaim> = {
      ...first,
      async stage(c, staged, prev) {
        const out = await first.stage(c, staged, prev);
        if (++chunks === heldChunk) {
          const { rows } = await c.query<{ pid: number }>('select pg_backend_pid() as pid');
          held(rows[0]!.pid);
          await released;
        }
        return out;
      },
    };
    const a = stageFile(imp, upload, firstWorker, stageDeps(pools[0]!.pool));
    a.catch(() => undefined);
    const pid = await Promise.race([
      holding,
      a.then(() => Promise.reject(new Error('the first worker never held a chunk'))),
    ]);

    // The second worker has the import as it was at the start (checkpoint 0) and the same file.
    const second = agingRowHandler(imp, pools[1]!.pool, today);
    /** what the second worker's stage() made of each chunk it wrote: the lines it took for duplicates */
    const secondWrote: Array<{ lines: number[]; rejected: number[] }> = [];
    const secondWorker: RowHandler<StagedClaim> = {
      ...second,
      async stage(c, staged, prev) {
        const out = await second.stage(c, staged, prev);
        secondWrote.push({ lines: staged.map((r) => r.rowNo), rejected: out.rejectedLines });
        return out;
      },
    };
    const b = stageFile(imp, upload, secondWorker, stageDeps(pools[1]!.pool));
    let bSettled = false;
    b.catch(() => undefined).finally(() => (bSettled = true));
    // Really at once: the second worker runs while the first one's chunk is open. Held in its first
    // chunk, the second one's COPY (or, locking first, its lock of the import's row) waits for it. Held
    // in its second, the second worker's first chunk meets lines already committed: writing first it is
    // refused at once, locking first it waits for the row the first one locked.
    if (heldChunk === 1)
      await waitUntil('the second worker to wait on the first one’s chunk', () => blockedBy(pid), 10_000);
    else
      await waitUntil(
        'the second worker to be refused or wait',
        async () => bSettled || (await blockedBy(pid)),
        10_000,
      );
    expect(chunks).toBe(heldChunk);
    release();
    const [ra, rb] = await Promise.allSettled([a, b]);

    expect(ra.status).toBe('fulfilled');
    expect(rb.status).toBe('rejected');
    expect((rb as PromiseRejectedResult).reason).toBeInstanceOf(CheckpointMoved);
    // Writing before the lock, the second worker got its first chunk through: every line of it taken
    // for a duplicate of the first worker's (a row error each), all rolled back by the checkpoint check.
    // Locking first, it was refused before it wrote anything.
    if (second.writesBeforeLock) {
      expect(secondWrote).toHaveLength(1);
      expect(secondWrote[0]!.rejected).toEqual(secondWrote[0]!.lines);
    } else expect(secondWrote).toEqual([]);

    // Each accepted line in the partition once, every line of the file but the two rejected ones.
    const staged = await q(`select row_no from ${stagedClaimsPartition(imp.id)} order by row_no`);
    const expectedLines = Array.from({ length: f.lastLine - 1 }, (_, i) => i + 2).filter(
      (n) => n !== f.duplicateLine && n !== f.unreadableLine,
    );
    expect(staged.map((r) => r.row_no)).toEqual(expectedLines);

    // One error for the real duplicate, the reader's for the unreadable line, none made up by the race.
    const errors = await q(
      `select row_number, column_name, message from import_row_errors where import_id = $1 order by row_number, message`,
      [imp.id],
    );
    expect(errors.filter((e) => /more than once/.test(e.message))).toEqual([
      {
        row_number: f.duplicateLine,
        column_name: 'Claim Number',
        message: `Claim number ${f.duplicateClaim} appears more than once in the file; only the first, on line 6, was used`,
      },
    ]);
    const perLine = new Map<number, string[]>();
    for (const e of errors) perLine.set(e.row_number, [...(perLine.get(e.row_number) ?? []), e.message]);
    expect([...perLine.keys()]).toEqual([f.unreadableLine, f.duplicateLine]);
    for (const messages of perLine.values()) expect(new Set(messages).size).toBe(messages.length);
    const rejected = await q(`select row_number from import_rejected_rows where import_id = $1 order by row_number`, [
      imp.id,
    ]);
    expect(rejected.map((r) => r.row_number)).toEqual([f.unreadableLine, f.duplicateLine]);

    // The import counts each line and each cent once.
    const [row] = await q(
      `select stage_checkpoint, phase, rows_read, rows_accepted, rows_rejected, counters from imports where id = $1`,
      [imp.id],
    );
    expect(row).toMatchObject({
      stage_checkpoint: f.lastLine,
      phase: 'staged',
      rows_read: f.rows,
      rows_accepted: f.rows - 2,
      rows_rejected: 2,
    });
    expect(row.counters).toMatchObject({
      centsInFile: f.centsInFile,
      centsRejected: f.duplicateCents,
      duplicateRows: 1,
      rowsAmountUnreadable: 1,
    });
    const [sum] = await q(`select sum(balance_cents)::bigint::text as cents from staged_claims where import_id = $1`, [
      imp.id,
    ]);
    expect(Number(sum.cents)).toBe(f.centsInFile - f.duplicateCents);
  },
  30_000,
);

it('lists a duplicate with its cells when the line it repeats was staged by the attempt before', async () => {
  // The worker keeps a staged row's cells only when its claim key may have come earlier in the file;
  // a resumed attempt learns the keys of the lines before its checkpoint by reading them again.
  const f = file(8_200_001);
  const imp = await runningImport(f.csv, 'resumed-duplicate.csv');
  const upload = { store, key: imp.storageKey };
  const today = todayIso();
  let chunks = 0;
  const stopping = stageFile(imp, upload, agingRowHandler(imp, pools[0]!.pool, today), {
    ...stageDeps(pools[0]!.pool),
    onChunk: () => Promise.resolve(void chunks++),
    shouldStop: () => chunks >= 1,
  });
  await expect(stopping).rejects.toBeInstanceOf(WorkerStopping);
  const resumed = await getImport(stack.db.handle.db, imp.id);
  if (!resumed) throw new Error('no import');
  expect(resumed.stageCheckpoint).toBeGreaterThan(6);
  expect(resumed.stageCheckpoint).toBeLessThan(f.duplicateLine);

  await stageFile(resumed, upload, agingRowHandler(resumed, pools[1]!.pool, today), stageDeps(pools[1]!.pool));
  // The file's cells as written (the generator quotes only the patient name, which holds a comma).
  const cells = [...f.csv.split('\n')[f.duplicateLine - 1]!.matchAll(/"([^"]*)"|([^,]+)/g)].map((m) => m[1] ?? m[2]);
  const rejected = await q(
    `select row_number, cells from import_rejected_rows where import_id = $1 order by row_number`,
    [imp.id],
  );
  expect(rejected).toEqual([
    { row_number: f.unreadableLine, cells: expect.any(Array) },
    { row_number: f.duplicateLine, cells },
  ]);
  expect(cells).toHaveLength(8);
  expect(cells).toContain(f.duplicateClaim);
  expect(cells).toContain('1.23');
  const [row] = await q(`select rows_read, rows_rejected, counters from imports where id = $1`, [imp.id]);
  expect(row).toMatchObject({ rows_read: f.rows, rows_rejected: 2 });
  expect(row.counters).toMatchObject({ duplicateRows: 1, centsInFile: f.centsInFile, centsRejected: f.duplicateCents });
}, 30_000);

it('lets the event loop turn every few rows while it reads, so Postgres’s answers to the chunks in flight do not wait for the parser', async () => {
  const rows = 600;
  const imp = await runningImport([AGING_HEADER, ...agingLines({ rows, startAt: 8_300_001 })].join('\n') + '\n', 'turns.csv');
  const handler = agingRowHandler(imp, pools[0]!.pool, todayIso());
  let read = 0;
  // Rows read between two turns of the event loop, at most: a timer or a socket's data waits that long.
  let most = 0;
  let atLastTurn = 0;
  let reading = true;
  const turn = () => {
    most = Math.max(most, read - atLastTurn);
    atLastTurn = read;
    if (reading) setImmediate(turn);
  };
  setImmediate(turn);
  try {
    await stageFile(imp, { store, key: imp.storageKey }, { ...handler, row: (r) => (read++, handler.row(r)) }, stageDeps(pools[0]!.pool));
  } finally {
    reading = false;
  }
  expect(read).toBe(rows);
  expect(most).toBeGreaterThan(0);
  // Ten rows are well under a millisecond of parsing; two hundred (as it was) held every answer 2-3 ms.
  expect(most).toBeLessThanOrEqual(10);
}, 30_000);
