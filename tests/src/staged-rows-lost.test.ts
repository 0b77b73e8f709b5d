// Closing a snapshot reads what the file staged to know which claims it no longer lists. Staged rows
// live in an unlogged table a database crash empties: an import that had merged every row when that
// happened must read its file again, never close the claims it listed as paid.
import { stagedClaimsPartition } from '@ledgerport/db';
import { client, waitForImport } from './support/http.js';
import { generateAgingCsv, reimportSummary } from './support/generate.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { waitUntil } from './support/wait.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ env: { CHUNK_ROWS: '50' } });
});
afterAll(() => stack.close());

const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;

it('starts the file over when its staged rows vanished after every row was merged, and resolves only what it left out', async () => {
  const staff = client(stack.url, stack.staff);
  const locationId = stack.seed.locations[1]!.id;
  const base = { rows: 150, startAt: 6_100_001 };
  const first = await staff.upload(generateAgingCsv(base), { kind: 'aging', locationId }, 'base.csv');
  expect((await waitForImport(stack.url, stack.staff, first.body.id)).status).toBe('completed');

  // The next file merges every row, then its first attempt fails as it closes the snapshot (the
  // database refuses to resolve a claim): the crash is played in the 2 s before its retry.
  await q(`alter table claims add constraint lp_test_no_resolving check (resolved_by_import is null) not valid`);
  const next = { ...base, changeEvery: 6, dropEvery: 10 };
  const up = await staff.upload(generateAgingCsv(next), { kind: 'aging', locationId }, 'next.csv');
  const attempt = async () =>
    (await q('select last_error, commit_checkpoint, stage_checkpoint from imports where id = $1', [up.body.id]))[0];
  await waitUntil('next.csv to fail its first attempt', async () => Boolean((await attempt()).last_error));
  const failed = await attempt();
  expect(failed.commit_checkpoint).toBe(failed.stage_checkpoint);
  await q(`truncate ${stagedClaimsPartition(up.body.id)}`);
  await q('alter table claims drop constraint lp_test_no_resolving');

  const done = await waitForImport(stack.url, stack.staff, up.body.id, undefined, 60_000);
  expect(done.status).toBe('completed');
  expect(done.summary).toMatchObject(reimportSummary(next));
  const [open] = await q(
    `select count(*)::int n, sum(balance_cents)::bigint::text cents from claims where location_id = $1 and resolved_at is null`,
    [locationId],
  );
  const lines = generateAgingCsv(next).trim().split('\n').slice(1);
  expect(open).toEqual({ n: lines.length, cents: String(lines.reduce((s, l) => s + Math.round(Number(l.split(',').at(-1)) * 100), 0)) });
});
