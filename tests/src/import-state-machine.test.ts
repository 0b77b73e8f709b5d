// The import state machine (packages/db/src/imports/transitions.ts) against real Postgres: every
// transition happens from the statuses it accepts and from no other, leaving a refused import as it
// was; "half-applied" is what the merge and its undo record, not a time window; the location lock is
// one module, and revert asks it without waiting.
import {
  cancelImport,
  cancelUnstartedImport,
  claimImport,
  clearMergeProgress,
  completeAgingImport,
  completePatientImport,
  confirmEmptyReport,
  discardImport,
  expireUnsavedImports,
  failImport,
  findHalfAppliedImport,
  holdForReview,
  insertImport,
  markReadyForSave,
  recordMergedChunk,
  requestCancel,
  requeueAfterFailedAttempt,
  requeueImport,
  resetReadingProgress,
  retryFailedImport,
  revertAgingImport,
  revertImport,
  saveStagedImport,
  seedDemo,
  tryWithLocationLock,
  withLocationLock,
  withTransaction,
  type ImportStatus,
  type SeedResult,
  type Tx,
} from '@ledgerport/db';
import { createTestDatabase, type TestDatabase } from './support/test-db.js';

let db: TestDatabase;
let seed: SeedResult;
beforeAll(async () => {
  db = await createTestDatabase();
  seed = await seedDemo(db.handle.db);
});
afterAll(() => db.drop());

const q = async (sql: string, params: unknown[] = []) => (await db.handle.pool.query(sql, params)).rows;
const STATUSES: ImportStatus[] = ['queued', 'running', 'ready', 'completed', 'failed', 'cancelled', 'reverted'];

/** A new aging import put in `status` by hand (test set-up), with `set` for the rest of its row. */
async function importIn(status: ImportStatus, set: Record<string, unknown> = {}): Promise<string> {
  const imp = await insertImport(db.handle.db, {
    practiceId: seed.practice.id,
    locationId: seed.locations[0]!.id,
    kind: 'aging',
    format: null,
    mode: 'commit',
    onInvalid: 'skip',
    options: {},
    originalName: `${status}.csv`,
    sizeBytes: 1,
    sha256: `${status}-${Math.random()}`,
    storageKey: 'none',
    createdBy: seed.users[0]!.id,
  });
  const cols = { status, ...set };
  const names = Object.keys(cols);
  await q(`update imports set ${names.map((n, i) => `${n} = $${i + 2}`).join(', ')} where id = $1`, [imp.id, ...Object.values(cols)]);
  return imp.id;
}

const statusOf = async (id: string) => (await q('select status from imports where id = $1', [id]))[0].status as string;
const inTx = <T>(fn: (tx: Tx) => Promise<T>) => withTransaction(db.handle.pool, fn);
const admin = () => seed.users.find((u) => u.role === 'admin')!.id;

interface Case {
  name: string;
  from: ImportStatus[];
  to: ImportStatus;
  run: (tx: Tx, id: string) => Promise<unknown>;
  set?: Record<string, unknown>;
}

const CASES: Case[] = [
  { name: 'claimImport', from: ['queued', 'running', 'failed'], to: 'running', run: (tx, id) => claimImport(tx, id) },
  { name: 'requeueImport', from: ['running'], to: 'queued', run: (tx, id) => requeueImport(tx, id) },
  { name: 'requeueAfterFailedAttempt', from: ['running'], to: 'queued', run: (tx, id) => requeueAfterFailedAttempt(tx, id, 'try again', 'x') },
  { name: 'markReadyForSave', from: ['running'], to: 'ready', run: (tx, id) => markReadyForSave(tx, id, null) },
  { name: 'holdForReview', from: ['running'], to: 'ready', run: (tx, id) => holdForReview(tx, id, {}, { message: 'too much' }) },
  { name: 'completeAgingImport', from: ['running'], to: 'completed', run: (tx, id) => completeAgingImport(tx, id, {}) },
  { name: 'completePatientImport', from: ['running'], to: 'completed', run: (tx, id) => completePatientImport(tx, id, {}, 0) },
  { name: 'failImport', from: ['queued', 'running'], to: 'failed', run: (tx, id) => failImport(tx, { id, message: 'broken', code: 'x' }) },
  { name: 'saveStagedImport', from: ['ready'], to: 'queued', run: (tx, id) => saveStagedImport(tx, id, null) },
  { name: 'discardImport', from: ['ready'], to: 'cancelled', run: (tx, id) => discardImport(tx, id, admin()) },
  { name: 'cancelUnstartedImport', from: ['queued', 'ready'], to: 'cancelled', run: (tx, id) => cancelUnstartedImport(tx, id) },
  { name: 'cancelImport', from: ['queued', 'running', 'ready', 'failed'], to: 'cancelled', run: (tx, id) => cancelImport(tx, id) },
  { name: 'retryFailedImport', from: ['failed'], to: 'queued', run: (tx, id) => retryFailedImport(tx, id, admin()) },
  {
    name: 'confirmEmptyReport',
    from: ['failed'],
    to: 'queued',
    set: { last_error_code: 'no_claims' },
    run: (tx, id) => confirmEmptyReport(tx, id, admin()),
  },
  { name: 'revertImport', from: ['completed'], to: 'reverted', run: (tx, id) => revertImport(tx, id, admin()) },
];

describe.each(CASES)('$name', (c) => {
  it.each(STATUSES)(`from %s: happens only from ${c.from.join(' / ')}`, async (status) => {
    const id = await importIn(status, c.set);
    const r = await inTx((tx) => c.run(tx, id));
    const allowed = c.from.includes(status);
    expect(Boolean(r)).toBe(allowed);
    expect(await statusOf(id)).toBe(allowed ? c.to : status);
  });
});

it('expireUnsavedImports discards only staged imports that waited too long', async () => {
  const old = new Date(Date.now() - 8 * 86_400_000);
  const ids = await Promise.all(STATUSES.map((s) => importIn(s, { updated_at: old })));
  const fresh = await importIn('ready');
  const expired = await inTx((tx) => expireUnsavedImports(tx, new Date()));
  expect(expired).toEqual([ids[STATUSES.indexOf('ready')]]);
  expect(await statusOf(fresh)).toBe('ready');
});

it('refuses what the status alone would allow when the rest of the row says no', async () => {
  // Save of a staged import being cancelled; confirming an empty report that failed for another reason;
  // cancelling at once an import that merged something; the reconciler failing one a worker claimed since.
  const cancelling = await importIn('ready', { cancel_requested: true });
  expect(await inTx((tx) => saveStagedImport(tx, cancelling, null))).toBe(false);
  const otherFailure = await importIn('failed', { last_error_code: 'rows_rejected' });
  expect(await inTx((tx) => confirmEmptyReport(tx, otherFailure, admin()))).toBe(false);
  const merged = await importIn('queued', { commit_checkpoint: 10 });
  expect(await inTx((tx) => cancelUnstartedImport(tx, merged))).toBe(false);
  const claimedSince = await importIn('running', { attempts: 2 });
  expect(await inTx((tx) => failImport(tx, { id: claimedSince, message: 'gone', code: 'x', attempts: 1 }))).toBe(false);
  expect(await statusOf(claimedSince)).toBe('running');
  expect(await inTx((tx) => failImport(tx, { id: claimedSince, message: 'gone', code: 'x', attempts: 2 }))).toBe(true);
});

it('requestCancel flags only an unfinished import and leaves its status to whoever closes it', async () => {
  for (const status of STATUSES) {
    const id = await importIn(status);
    const r = await inTx((tx) => requestCancel(tx, id, admin()));
    expect(r).toBe(['queued', 'running', 'ready'].includes(status) ? status : null);
    expect(await statusOf(id)).toBe(status);
  }
});

describe('half-applied', () => {
  const location = () => seed.locations[1]!.id;
  const halfApplied = async (id: string) => (await q('select half_applied from imports where id = $1', [id]))[0].half_applied;

  it('is set by the merge of a chunk and blocks the location however long the import has been quiet', async () => {
    const id = await importIn('running', { location_id: location(), original_name: 'a.csv' });
    const other = await importIn('queued', { location_id: location() });
    expect(await findHalfAppliedImport(db.handle.pool, location(), other)).toBeNull();
    await inTx((tx) => recordMergedChunk(tx, id, { through: 40, rows: 40, counters: {} }));
    expect(await halfApplied(id)).toBe(true);
    // Waiting for its retry (backoff can be long): quiet for a day, still half-applied.
    await q(`update imports set status = 'queued', updated_at = now() - interval '1 day' where id = $1`, [id]);
    expect(await findHalfAppliedImport(db.handle.pool, location(), other)).toBe('a.csv');
    // Not itself, and not once it is over.
    expect(await findHalfAppliedImport(db.handle.pool, location(), id)).toBeNull();
    await inTx((tx) => cancelImport(tx, id));
    expect(await halfApplied(id)).toBe(false);
    expect(await findHalfAppliedImport(db.handle.pool, location(), other)).toBeNull();
  });

  it.each<[string, (tx: Tx, id: string) => Promise<unknown>]>([
    ['finalized', (tx: Tx, id: string) => completeAgingImport(tx, id, {})],
    ['held for review', (tx: Tx, id: string) => holdForReview(tx, id, {}, { message: 'review' })],
    ['undone after its last attempt', (tx: Tx, id: string) => clearMergeProgress(tx, id, {})],
    ['read again from the start', (tx: Tx, id: string) => resetReadingProgress(tx, id)],
  ])('is cleared when the import is %s', async (_what, clear) => {
    const id = await importIn('running', { location_id: location() });
    await inTx((tx) => recordMergedChunk(tx, id, { through: 10, rows: 10, counters: {} }));
    await inTx((tx) => clear(tx, id));
    expect(await halfApplied(id)).toBe(false);
  });
});

describe('location lock', () => {
  /** Holds the location's lock until the returned release() is called. */
  async function holdLock(locationId: string): Promise<() => Promise<void>> {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let taken!: () => void;
    const isTaken = new Promise<void>((r) => (taken = r));
    const held = withLocationLock(db.handle.pool, locationId, async () => {
      taken();
      await released;
    });
    await isTaken;
    return async () => {
      release();
      await held;
    };
  }

  it('a try-lock does not wait for a holder, and takes the lock once it is free', async () => {
    const locationId = seed.locations[0]!.id;
    const release = await holdLock(locationId);
    expect(await tryWithLocationLock(db.handle.pool, locationId, () => Promise.resolve('ran'))).toEqual({ locked: false });
    // Another location is not held.
    expect(await tryWithLocationLock(db.handle.pool, seed.locations[1]!.id, () => Promise.resolve('ran'))).toEqual({ locked: true, result: 'ran' });
    await release();
    expect(await tryWithLocationLock(db.handle.pool, locationId, (lock) => Promise.resolve(lock.locationId))).toEqual({
      locked: true,
      result: locationId,
    });
  });

  it('revert answers at once that the location is busy while a worker holds it, and reverts once it is free', async () => {
    const locationId = seed.locations[0]!.id;
    const id = await importIn('completed', { finished_at: new Date(Date.now() + 86_400_000) });
    const release = await holdLock(locationId);
    await expect(revertAgingImport(db.handle.pool, { id, locationId, finishedAt: new Date() }, admin())).rejects.toMatchObject({
      status: 409,
      code: 'location_busy',
      message: 'Another file for this location is being applied right now; try again in a few minutes.',
    });
    expect(await statusOf(id)).toBe('completed');
    await release();
    const [row] = await q('select finished_at from imports where id = $1', [id]);
    await revertAgingImport(db.handle.pool, { id, locationId, finishedAt: row.finished_at }, admin());
    expect(await statusOf(id)).toBe('reverted');
  });
});
