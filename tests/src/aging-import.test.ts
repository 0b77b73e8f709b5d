import { createDbHandle, lockImport, mergeStagedRowsIntoClaims, withLocationLock, withTransaction } from '@ledgerport/db';
import { mergeChunkAndMoveCheckpoint } from '../../apps/worker/src/aging/commit.js';
import { client, sample, waitForImport } from './support/http.js';
import { addLocation } from './support/claims.js';
import { balanceCentsOf, generateAgingCsv } from './support/generate.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let staff: ReturnType<typeof client>;
let locationId: string;

beforeAll(async () => {
  stack = await startTestStack();
  staff = client(stack.url, stack.staff);
  locationId = stack.seed.locations[0]!.id;
});
afterAll(() => stack.close());

async function importFile(content: string | Buffer, fields: Record<string, string> = {}, name = 'aging.csv') {
  const up = await staff.upload(content, { kind: 'aging', locationId, ...fields }, name);
  expect(up.status).toBe(202);
  expect(up.body).toMatchObject({ id: expect.any(String), status: 'queued', statusUrl: `/imports/${up.body.id}` });
  return waitForImport(stack.url, stack.staff, up.body.id);
}

const count = async (sql: string, params: unknown[] = []) => Number((await stack.db.handle.pool.query(sql, params)).rows[0].n);

describe('aging import of the generic sample', () => {
  let imp: any;
  beforeAll(async () => {
    imp = await importFile(await sample('aging-generic.csv'), {}, 'aging-generic.csv');
  });

  it('completes with the claims, balance and payers of expected.json', async () => {
    expect(imp.status).toBe('completed');
    expect(imp).toMatchObject({ rowsRead: 12, rowsAccepted: 12, rowsRejected: 0, percent: 100, format: 'generic', encoding: 'utf-8' });
    expect(imp.summary).toMatchObject({ claimsNew: 12, claimsUpdated: 0, claimsUnchanged: 0, claimsResolved: 0, payersCreated: 8, balanceCentsInFile: 514525, balanceCentsApplied: 514525 });
    expect(await count('select count(*) n from claims where location_id = $1 and resolved_at is null', [locationId])).toBe(12);
    expect(await count('select sum(balance_cents) n from claims where location_id = $1', [locationId])).toBe(514525);
    expect(await count('select count(*) n from payers')).toBe(8);
  });

  it('keeps a negative balance in parentheses as a credit, exactly', async () => {
    const { rows } = await stack.db.handle.pool.query(`select balance_cents, billed_cents from claims where claim_key = 'C-100007'`);
    expect(rows[0]).toEqual({ balance_cents: -1200, billed_cents: 42000 });
  });

  it('makes one payer of spellings that differ in case, spacing and punctuation', async () => {
    const { rows } = await stack.db.handle.pool.query(`select name, status from payers order by name`);
    expect(rows.map((r) => r.name)).toEqual(['Aetna', 'Blue Cross Blue Shield', 'Cigna', 'EyeMed', 'Humana', 'Medicare Part B', 'UnitedHealthcare', 'VSP Vision Care']);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['Active']));
  });

  it('tells every other active user of the new payers once per import, and the uploader in its completion', async () => {
    // One notification per user for the file's eight new payers, never one per payer.
    expect(await count(`select count(*) n from notifications where kind = 'payer_created'`)).toBe(0);
    expect(await count(`select count(*) n from notifications where kind = 'payers_created'`)).toBe(1);
    const names = 'Aetna, Blue Cross Blue Shield, Cigna, EyeMed, Humana, Medicare Part B, UnitedHealthcare, VSP Vision Care';
    const { rows } = await stack.db.handle.pool.query(`select message from notifications where kind = 'payers_created'`);
    expect(rows[0].message).toBe(`aging-generic.csv brought 8 new payers: ${names}.`);
    const mine = await staff.get('/notifications?pageSize=100');
    expect(mine.status).toBe(200);
    expect(mine.body.items.filter((n: any) => n.kind === 'payers_created')).toHaveLength(0);
    const completed = mine.body.items.filter((n: any) => n.kind === 'import_completed');
    expect(completed).toHaveLength(1);
    expect(completed[0].message).toContain(`8 new payers: ${names}.`);
    const note = mine.body.items[0];
    const read = await staff.post(`/notifications/${note.id}/read`);
    expect(read.status).toBe(200);
    expect((await staff.get('/notifications')).body.unread).toBe(mine.body.unread - 1);
  });

  it('answers 409 with the earlier import when the same file is uploaded again', async () => {
    const again = await staff.upload(await sample('aging-generic.csv'), { kind: 'aging', locationId }, 'aging-generic.csv');
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'duplicate_file', importId: imp.id });
    expect(again.body.error.message).toMatch(/already imported for Main Street/);
  });

  it('lists the import, newest first, with who uploaded it', async () => {
    const list = await staff.get('/imports');
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ id: imp.id, kind: 'aging', createdBy: { name: 'Sam Staff' }, location: { name: 'Main Street' } });
  });
});

describe('a newer snapshot of the same location', () => {
  it('inserts, updates, leaves alone and resolves exactly the right claims, and reopens one that comes back', async () => {
    const loc = stack.seed.locations[1]!.id;
    const first = await importFile(generateAgingCsv({ rows: 300 }), { locationId: loc });
    expect(first.summary).toMatchObject({ claimsNew: 300, claimsResolved: 0 });
    // 300 rows: every 10th balance changes (30), every 7th claim is gone (42, 4 of them also "changed"), 20 new ones.
    const second = await importFile(generateAgingCsv({ rows: 320, changeEvery: 10, dropEvery: 7 }), { locationId: loc });
    const dropped = Math.floor(320 / 7);
    const droppedOld = Math.floor(300 / 7);
    const changed = Math.floor(300 / 10) - Math.floor(300 / 70);
    expect(second.summary).toMatchObject({
      claimsNew: 20 - (dropped - droppedOld),
      claimsUpdated: changed,
      claimsUnchanged: 300 - droppedOld - changed,
      claimsResolved: droppedOld,
    });
    expect(await count('select count(*) n from claims where location_id = $1', [loc])).toBe(300 + 20 - (dropped - droppedOld));
    expect(await count('select count(*) n from claims where location_id = $1 and resolved_at is not null', [loc])).toBe(droppedOld);
    // The paid claims are resolved, never deleted; the first snapshot comes back and reopens them.
    const third = await importFile(generateAgingCsv({ rows: 300 }) + '\n', { locationId: loc });
    expect(third.summary).toMatchObject({ claimsNew: 0, claimsUpdated: droppedOld + changed, claimsResolved: 20 - (dropped - droppedOld) });
    expect(await count('select count(*) n from claims where location_id = $1 and resolved_at is null', [loc])).toBe(300);
  });

  it('does not write a claim the file lists unchanged, and still resolves exactly the ones it leaves out', async () => {
    const [{ id: loc }] = (
      await stack.db.handle.pool.query(`insert into locations (practice_id, name) values ($1, 'Unchanged claims') returning id`, [stack.seed.practice.id])
    ).rows;
    const gen = { rows: 200, startAt: 9_100_001 };
    await importFile(generateAgingCsv(gen), { locationId: loc });
    const versions = async () =>
      new Map<string, string>(
        (await stack.db.handle.pool.query(`select claim_key, xmin::text v from claims where location_id = $1`, [loc])).rows.map((r) => [r.claim_key, r.v]),
      );
    // A row lock is a write too (the tuple's xmax and a WAL record): an upsert's ON CONFLICT takes one
    // on every row it meets, even one it then leaves as it is.
    const locked = async () =>
      (
        await stack.db.handle.pool.query<{ claim_key: string }>(
          `select claim_key from claims where location_id = $1 and xmax <> 0 order by claim_key`,
          [loc],
        )
      ).rows.map((r) => r.claim_key);
    const before = await versions();
    const next = await importFile(generateAgingCsv({ ...gen, changeEvery: 8, dropEvery: 9 }), { locationId: loc });
    const after = await versions();
    const keys = [...before.keys()];
    const n = (k: string) => Number(k.slice(2));
    const dropped = keys.filter((k) => n(k) % 9 === 0);
    const changed = keys.filter((k) => n(k) % 8 === 0 && n(k) % 9 !== 0);
    const same = keys.filter((k) => n(k) % 8 !== 0 && n(k) % 9 !== 0);
    expect(next.summary).toMatchObject({ claimsUpdated: changed.length, claimsUnchanged: same.length, claimsResolved: dropped.length });
    // Same row version: never rewritten. Changed and resolved claims are new versions.
    expect(same.filter((k) => after.get(k) !== before.get(k))).toEqual([]);
    expect((await locked()).filter((k) => same.includes(k))).toEqual([]);
    expect([...changed, ...dropped].filter((k) => after.get(k) === before.get(k))).toEqual([]);
    const [open] = (
      await stack.db.handle.pool.query(
        `select count(*)::int n, sum(balance_cents)::bigint::text cents from claims where location_id = $1 and resolved_at is null`,
        [loc],
      )
    ).rows;
    const file = generateAgingCsv({ ...gen, changeEvery: 8, dropEvery: 9 });
    expect(open).toEqual({ n: file.trim().split('\n').length - 1, cents: String(balanceCentsOf(file)) });
  });

  it("inserts a location's first file without looking for its claims, and a location with only resolved claims is not taken for empty", async () => {
    const pool = stack.db.handle.pool;
    const newLocation = (name: string) => addLocation(pool, stack.seed.practice.id, name);
    const money = async (loc: string) =>
      (
        await pool.query(
          `select count(*)::int n, count(distinct claim_key)::int keys, coalesce(sum(balance_cents) filter (where resolved_at is null), 0)::bigint::text open_cents
           from claims where location_id = $1`,
          [loc],
        )
      ).rows[0];

    // A location that never had a claim: every row is new, recorded with the first chunk.
    const empty = await newLocation('First file');
    const file = generateAgingCsv({ rows: 120, startAt: 9_300_001 });
    const first = await importFile(file, { locationId: empty });
    expect(first.summary).toMatchObject({ claimsNew: 120, claimsUpdated: 0, claimsUnchanged: 0, claimsResolved: 0, balanceCentsApplied: balanceCentsOf(file) });
    expect((await pool.query(`select counters from imports where id = $1`, [first.id])).rows[0].counters).toMatchObject({ locationHadClaims: 0, locationHadOpenClaims: 0 });
    expect(await money(empty)).toEqual({ n: 120, keys: 120, open_cents: String(balanceCentsOf(file)) });

    // Every claim of this one is resolved: it has no open claim, but it has claims, and a file that
    // lists one of them again reopens that claim instead of adding it a second time.
    const resolved = await newLocation('Only resolved claims');
    await importFile(generateAgingCsv({ rows: 40, startAt: 9_400_001 }), { locationId: resolved });
    await pool.query(`update claims set resolved_at = now() where location_id = $1`, [resolved]);
    const again = generateAgingCsv({ rows: 60, startAt: 9_400_021 });
    const back = await importFile(again, { locationId: resolved });
    expect(back.status).toBe('completed');
    expect(back.summary).toMatchObject({ claimsNew: 40, claimsUpdated: 20, claimsResolved: 0, balanceCentsApplied: balanceCentsOf(again) });
    expect((await pool.query(`select counters from imports where id = $1`, [back.id])).rows[0].counters).toMatchObject({ locationHadClaims: 1, locationHadOpenClaims: 0 });
    expect(await money(resolved)).toEqual({ n: 80, keys: 80, open_cents: String(balanceCentsOf(again)) });
  });

  /**
   * A pool of its own whose connections record the statements they are sent, and a merge of one
   * chunk of a staged (preview) import through it: how that chunk's claims were written.
   */
  const recordingMerges = () => {
    const handle = createDbHandle(stack.db.url, 3);
    const sent: string[] = [];
    handle.pool.on('connect', (c) => {
      const query = c.query.bind(c) as (...args: unknown[]) => unknown;
      c.query = ((...args: unknown[]) => {
        if (typeof args[0] === 'string') sent.push(args[0]);
        return query(...args);
      }) as typeof c.query;
    });
    const stage = async (loc: string, rows: number, startAt: number) => {
      const staged = await staff.upload(generateAgingCsv({ rows, startAt }), { kind: 'aging', locationId: loc, mode: 'preview' }, `merge-${startAt}.csv`);
      expect((await waitForImport(stack.url, stack.staff, staged.body.id, ['ready'])).status).toBe('ready');
      return staged.body.id as string;
    };
    const mergeChunk = async (loc: string, importId: string, chunkRows: number) => {
      sent.length = 0;
      // Its own lock and state read from the import's row, as an attempt resumed by another worker has.
      const merged = await withLocationLock(handle.pool, loc, (lock) =>
        mergeChunkAndMoveCheckpoint(handle.pool, lock, importId, { chunkRows }),
      );
      const merges = sent.filter((q) => /insert into claims/.test(q));
      expect(merges).toHaveLength(1);
      return { rows: merged?.rows, how: /left join lateral/.test(merges[0]!) ? 'looked up' : 'inserted' };
    };
    return { stage, mergeChunk, destroy: () => handle.destroy() };
  };

  it('merges an empty location\'s first file with the insert that looks nothing up, and a file into a location with claims with the lookups', async () => {
    const merges = recordingMerges();
    const mergedWith = async (loc: string, startAt: number) => merges.mergeChunk(loc, await merges.stage(loc, 20, startAt), 5_000);
    try {
      const pool = stack.db.handle.pool;
      const empty = await addLocation(pool, stack.seed.practice.id, 'Merged empty');
      expect(await mergedWith(empty, 9_600_001)).toEqual({ rows: 20, how: 'inserted' });
      const had = await addLocation(pool, stack.seed.practice.id, 'Merged with claims');
      await importFile(generateAgingCsv({ rows: 5, startAt: 9_700_001 }), { locationId: had });
      expect(await mergedWith(had, 9_700_001)).toEqual({ rows: 20, how: 'looked up' });
    } finally {
      await merges.destroy();
    }
  });

  it("goes on inserting a first file's chunks after a restart, from what its first chunk recorded, though the location now has that chunk's claims", async () => {
    const merges = recordingMerges();
    try {
      const pool = stack.db.handle.pool;
      const loc = await addLocation(pool, stack.seed.practice.id, 'Merged across a restart');
      const file = generateAgingCsv({ rows: 30, startAt: 9_800_001 });
      const id = await merges.stage(loc, 30, 9_800_001);
      // Each chunk merged by a call of its own, as if the worker had stopped after the one before.
      expect(await merges.mergeChunk(loc, id, 10)).toEqual({ rows: 10, how: 'inserted' });
      expect((await pool.query(`select count(*)::int as n from claims where location_id = $1`, [loc])).rows[0].n).toBe(10);
      expect(await merges.mergeChunk(loc, id, 10)).toEqual({ rows: 10, how: 'inserted' });
      expect(await merges.mergeChunk(loc, id, 10)).toEqual({ rows: 10, how: 'inserted' });
      const money = (
        await pool.query(
          `select count(*)::int as n, count(distinct claim_key)::int as keys, sum(balance_cents)::text as cents from claims where location_id = $1`,
          [loc],
        )
      ).rows[0];
      expect(money).toEqual({ n: 30, keys: 30, cents: String(balanceCentsOf(file)) });
    } finally {
      await merges.destroy();
    }
  });

  it('a claim that is there after all fails the chunk that took the location for empty, and nothing of it is applied', async () => {
    const pool = stack.db.handle.pool;
    const loc = await addLocation(pool, stack.seed.practice.id, 'Not so empty');
    const staged = await staff.upload(generateAgingCsv({ rows: 30, startAt: 9_500_001 }), { kind: 'aging', locationId: loc, mode: 'preview' }, 'not-empty.csv');
    expect((await waitForImport(stack.url, stack.staff, staged.body.id, ['ready'])).status).toBe('ready');
    const [{ claim_key: key }] = (await pool.query(`select claim_key from staged_claims where import_id = $1 order by row_no desc limit 1`, [staged.body.id])).rows;
    await pool.query(
      `insert into claims (practice_id, location_id, claim_key, patient_name, date_of_service, balance_cents, first_seen_import, last_seen_import)
       values ($1, $2, $3, 'Else, Someone', '2026-01-02', 1234, $4, $4)`,
      [stack.seed.practice.id, loc, key, staged.body.id],
    );
    const merge = withLocationLock(pool, loc, (lock) =>
      withTransaction(pool, async (tx) => {
        const s = await lockImport(tx, staged.body.id);
        await mergeStagedRowsIntoClaims(tx, s, lock, 0, 1_000_000_000, { locationWasEmpty: true });
      }),
    );
    // The claims' unique key: the claim is never doubled, and the chunk's other 29 rows are not applied.
    await expect(merge).rejects.toMatchObject({ code: '23505' });
    expect(
      (await pool.query(`select count(*)::int n, sum(balance_cents)::int cents from claims where location_id = $1`, [loc])).rows[0],
    ).toEqual({ n: 1, cents: 1234 });
  });

  it('rejects bad rows with line, column and value, and applies the rest', async () => {
    const csv = [
      'Claim Number,Patient Account,Patient Name,Date of Birth,Payer,Date of Service,Billed Amount,Balance',
      'X-1,A1,"Doe, Jane",01/02/1960,Aetna,02/30/2026,10.00,abc',
      'X-2,A2,"Roe, Rich",01/02/1961,Aetna,03/03/2026,10.00,5.00',
      'X-2,A2,"Roe, Rich",01/02/1961,Aetna,03/03/2026,10.00,5.00',
      ',A3,"Poe, Ed",01/02/1962,,03/03/2026,10.00,5.00',
    ].join('\r\n');
    const { rows } = await stack.db.handle.pool.query(`insert into locations (practice_id, name) values ($1, 'Bad Rows') returning id`, [stack.seed.practice.id]);
    const imp = await importFile(csv, { locationId: rows[0].id }, 'bad-rows.csv');
    // The last row has no payer: the patient's own balance, imported as self-pay, not an error.
    expect(imp).toMatchObject({ status: 'completed', rowsRead: 4, rowsAccepted: 2, rowsRejected: 2 });
    const errors = await staff.get(`/imports/${imp.id}/errors`);
    expect(errors.body.total).toBe(3);
    expect(errors.body.items).toEqual([
      { rowNumber: 2, column: 'Date of Service', value: '02/30/2026', message: expect.stringContaining('not a real date'), severity: 'error' },
      { rowNumber: 2, column: 'Balance', value: 'abc', message: expect.stringContaining('not an amount of money'), severity: 'error' },
      { rowNumber: 4, column: 'Claim Number', value: 'X-2', message: expect.stringContaining('appears more than once'), severity: 'error' },
    ]);
    const selfPay = await stack.db.handle.pool.query(
      `select p.name, p.kind, c.balance_cents from claims c join payers p on p.id = c.payer_id where c.location_id = $1 and c.patient_name = 'Poe, Ed'`,
      [rows[0].id],
    );
    expect(selfPay.rows).toEqual([{ name: 'Self-pay', kind: 'self_pay', balance_cents: 500 }]);
    const csvErrors = await staff.get(`/imports/${imp.id}/errors?format=csv`);
    expect(csvErrors.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csvErrors.text.replace(/^\ufeff/, '').split('\r\n')[0]).toBe('Row,Column,Value,Message,Severity');
    expect(csvErrors.text).toContain('2,Balance,abc,');
  });
});
