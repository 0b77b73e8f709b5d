// Claims have no foreign key to payers (migration 2026-12-02-0701): whatever writes a claim's payer_id
// must hold that payer FOR KEY SHARE, as the key's check did, or a payer merge running beside it moves
// the claims it can see, deletes the payer, and the other transaction then commits claims that point
// at a payer that no longer exists (dropped from every by-payer total, and from the payer list's money).
import {
  lockImport,
  mergeStagedRowsIntoClaims,
  mergePayers,
  undoClaimChanges,
  withLocationLock,
  withTransaction,
} from '@ledgerport/db';
import { addLocation } from './support/claims.js';
import { client, waitForImport } from './support/http.js';
import { AGING_HEADER } from './support/generate.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let staff: ReturnType<typeof client>;
beforeAll(async () => {
  stack = await startTestStack();
  staff = client(stack.url, stack.staff);
});
afterAll(() => stack.close());

const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;
const row = (n: number, payer: string, cents: number) =>
  `R-${n},A${n},"Race${n}, Pat",01/02/1960,${payer},03/04/2026,20.00,${(cents / 100).toFixed(2)}`;
const file = (rows: string[]) => [AGING_HEADER, ...rows].join('\n') + '\n';

/** Claims whose payer_id names no payer: each one is money missing from the by-payer totals. */
const orphans = (locationId: string) =>
  q('select id, payer_id from claims c where c.location_id = $1 and not exists (select 1 from payers p where p.id = c.payer_id)', [locationId]);

/**
 * Resolves once a statement about payers, or a transaction's advisory lock (the practice's payers lock),
 * waits for a lock in this database, or once `done` settled.
 */
async function blockedOrDone(done: Promise<unknown>): Promise<'blocked' | 'done'> {
  let settled = false;
  void done.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (;;) {
    if (settled) return 'done';
    const [r] = await q(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
         and (query ilike '%payer%' or query ilike '%advisory_xact_lock%')`,
    );
    if (r.n > 0) return 'blocked';
    await new Promise((res) => setTimeout(res, 20));
  }
}

it('a payer merge during an undo waits for it, then moves the claims the undo gave back their old payer', async () => {
  const loc = stack.seed.locations[0]!.id;
  const first = await staff.upload(file([row(1, 'Race Alpha', 1000), row(2, 'Race Gamma', 2000)]), { kind: 'aging', locationId: loc }, 'first.csv');
  expect((await waitForImport(stack.url, stack.staff, first.body.id)).status).toBe('completed');
  // R-1 moves from Alpha to Beta: its before-image names Alpha.
  const second = await staff.upload(file([row(1, 'Race Beta', 1000), row(2, 'Race Gamma', 2000)]), { kind: 'aging', locationId: loc }, 'second.csv');
  expect((await waitForImport(stack.url, stack.staff, second.body.id)).status).toBe('completed');
  const payers = new Map((await q('select id, name from payers')).map((p: any) => [p.name, Number(p.id)]));
  const alpha = payers.get('Race Alpha')!;
  const gamma = payers.get('Race Gamma')!;

  const pool = stack.db.handle.pool;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let restored!: () => void;
  const undone = new Promise<void>((r) => (restored = r));
  // Undo the second import (as a revert, a cancel or a held review does), and hold its transaction open.
  const undo = withLocationLock(pool, loc, (lock) =>
    withTransaction(pool, async (tx) => {
      const s = await lockImport(tx, second.body.id);
      await undoClaimChanges(tx, s, lock);
      restored();
      await gate;
    }),
  );
  await undone;
  // An admin merges Alpha into Gamma meanwhile.
  const merge = withTransaction(pool, (tx) => mergePayers(tx, stack.seed.practice.id, alpha, gamma));
  // Whether it waits (for the payer, or for a before-image the undo deletes) or not, the undo then commits.
  await blockedOrDone(merge);
  release();
  await undo;
  await merge;

  expect(await orphans(loc)).toEqual([]);
  expect(await q(`select claim_key, payer_id::int from claims where location_id = $1 order by claim_key`, [loc])).toEqual([
    { claim_key: 'R-1', payer_id: gamma },
    { claim_key: 'R-2', payer_id: gamma },
  ]);
});

it('a chunk whose payer was merged away while it waited holds the payer it was merged into, so a second merge waits too', async () => {
  const north = stack.seed.locations[1]!.id;
  const south = await addLocation(stack.db.handle.pool, stack.seed.practice.id, 'Chain South');
  const names = ['Chain Alpha', 'Chain Beta', 'Chain Zeta'];
  const seen = await staff.upload(file(names.map((p, i) => row(10 + i, p, 500))), { kind: 'aging', locationId: south }, 'payers.csv');
  expect((await waitForImport(stack.url, stack.staff, seen.body.id)).status).toBe('completed');
  // Read while "Chain Alpha" is a payer of its own; merged below while the Save's chunk waits for it.
  const preview = await staff.upload(file([row(20, 'Chain Alpha', 700), row(21, 'Chain Alpha', 800)]), { kind: 'aging', locationId: north, mode: 'preview' }, 'chain.csv');
  expect((await waitForImport(stack.url, stack.staff, preview.body.id, ['ready'])).status).toBe('ready');
  const payers = new Map((await q('select id, name from payers')).map((p: any) => [p.name, Number(p.id)]));
  const [alpha, beta, zeta] = names.map((n) => payers.get(n)!) as [number, number, number];

  const pool = stack.db.handle.pool;
  const gate = () => {
    let open!: () => void;
    const p = new Promise<void>((r) => (open = r));
    return { p, open };
  };
  const firstMerge = gate();
  const chunkMerged = gate();
  const chunkCommit = gate();
  const merging = gate();
  // An admin's merge of Alpha into Beta holds both payers …
  const first = withTransaction(pool, async (tx) => {
    await mergePayers(tx, stack.seed.practice.id, alpha, beta);
    merging.open();
    await firstMerge.p;
  });
  await merging.p;
  // … while the Save's chunk of the preview (rows naming Alpha) starts and waits for Alpha.
  const chunk = withLocationLock(pool, north, (lock) =>
    withTransaction(pool, async (tx) => {
      const s = await lockImport(tx, preview.body.id);
      await mergeStagedRowsIntoClaims(tx, s, lock, 0, 1_000_000_000);
      chunkMerged.open();
      await chunkCommit.p;
    }),
  );
  expect(await blockedOrDone(chunk)).toBe('blocked');
  firstMerge.open();
  await first;
  await chunkMerged.p;
  // The chunk's claims now name Beta; a merge of Beta into Zeta must wait for the chunk to commit.
  const second = withTransaction(pool, (tx) => mergePayers(tx, stack.seed.practice.id, beta, zeta));
  await blockedOrDone(second);
  chunkCommit.open();
  await chunk;
  await second;

  expect(await orphans(north)).toEqual([]);
  expect(await q(`select claim_key, payer_id::int from claims where location_id = $1 order by claim_key`, [north])).toEqual([
    { claim_key: 'R-20', payer_id: zeta },
    { claim_key: 'R-21', payer_id: zeta },
  ]);
});

it('a chunk that moves a claim off a payer being merged keeps a before-image naming the payer it was merged into, so an undo gives back one that exists', async () => {
  const loc = await addLocation(stack.db.handle.pool, stack.seed.practice.id, 'Image Lane');
  const first = await staff.upload(file([row(30, 'Image Alpha', 900), row(31, 'Image Zeta', 900)]), { kind: 'aging', locationId: loc }, 'images.csv');
  expect((await waitForImport(stack.url, stack.staff, first.body.id)).status).toBe('completed');
  // The next file moves R-30 from Alpha to Beta; staged now, merged below while Alpha is merged into Zeta.
  // (It names neither payer of the merge: nothing of the chunk's own payers makes it wait.)
  const preview = await staff.upload(file([row(30, 'Image Beta', 900)]), { kind: 'aging', locationId: loc, mode: 'preview' }, 'moved.csv');
  expect((await waitForImport(stack.url, stack.staff, preview.body.id, ['ready'])).status).toBe('ready');
  const payers = new Map((await q('select id, name from payers')).map((p: any) => [p.name, Number(p.id)]));
  const [alpha, zeta] = [payers.get('Image Alpha'), payers.get('Image Zeta')] as [number, number];

  const pool = stack.db.handle.pool;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let merging!: () => void;
  const merged = new Promise<void>((r) => (merging = r));
  const merge = withTransaction(pool, async (tx) => {
    await mergePayers(tx, stack.seed.practice.id, alpha, zeta);
    merging();
    await gate;
  });
  await merged;
  const chunk = withLocationLock(pool, loc, (lock) =>
    withTransaction(pool, async (tx) => {
      const s = await lockImport(tx, preview.body.id);
      await mergeStagedRowsIntoClaims(tx, s, lock, 0, 1_000_000_000);
    }),
  );
  await blockedOrDone(chunk);
  release();
  await merge;
  await chunk;
  // The chunk is undone (a cancel, a held review, a failed last attempt): R-30 goes back to the payer
  // Alpha now is.
  await withLocationLock(pool, loc, (lock) =>
    withTransaction(pool, async (tx) => undoClaimChanges(tx, await lockImport(tx, preview.body.id), lock)),
  );

  expect(await orphans(loc)).toEqual([]);
  expect(await q(`select claim_key, payer_id::int from claims where location_id = $1 order by claim_key`, [loc])).toEqual([
    { claim_key: 'R-30', payer_id: zeta },
    { claim_key: 'R-31', payer_id: zeta },
  ]);
});
