import type pg from 'pg';
import { SELF_PAY_KEY } from '@ledgerport/core';
import type { ImportChunkState } from '../imports/lock-import.js';
import type { LocationLock } from '../locks/location-lock.js';
import type { Tx } from '../transaction.js';
import { CLAIM_FIGURES, claimFigures, setClaimFiguresFrom } from './claim-columns.js';
import { sharePracticePayers } from './payer-locks.js';

/** The last staged row number of the next chunk to merge, or null when everything is merged. */
export async function nextMergeBound(
  client: pg.PoolClient,
  importId: string,
  after: number,
  chunkRows: number,
): Promise<number | null> {
  const { rows } = await client.query<{ row_no: number }>(
    `select row_no from staged_claims where import_id = $1 and row_no > $2 order by row_no offset $3 limit 1`,
    [importId, after, chunkRows - 1],
  );
  if (rows[0]) return rows[0].row_no;
  const { rows: last } = await client.query<{ max: number | null }>(
    'select max(row_no) as max from staged_claims where import_id = $1 and row_no > $2',
    [importId, after],
  );
  return last[0]?.max ?? null;
}

export interface MergeCounts {
  claimsNew: number;
  claimsUpdated: number;
  claimsUnchanged: number;
  payersCreated: number;
  balanceCentsApplied: number;
  rows: number;
}

/**
 * Creates the payers a chunk names that the practice does not have yet, and notifies every active user
 * of each. ON CONFLICT makes two imports racing for one payer create it once: the loser inserts nothing
 * and so notifies nobody.
 */
async function createPayers(
  client: pg.PoolClient,
  s: ImportChunkState,
  from: number,
  to: number,
  chunkPayers: ReadonlyMap<string, string> | undefined,
): Promise<number> {
  if (chunkPayers?.size === 0) return 0;
  // The chunk's payers first (a handful), then one lookup each. Given by the caller, they need no
  // pass over the staged rows.
  const keys = chunkPayers
    ? `select * from unnest($3::text[], $4::text[]) as k(payer_key, payer_name)`
    : `select distinct on (payer_key) payer_name, payer_key
       from staged_claims
       where import_id = $1 and row_no > $3 and row_no <= $4
       order by payer_key, row_no`;
  // No notification per payer here: a file bringing ten new payers is one notification, written when
  // the import completes (notifyNewPayers), not ten burying "Import completed".
  const { rows } = await client.query<{ created: number }>(
    `with keys as (${keys}), new_payers as (
       insert into payers (practice_id, name, normalized_name, created_by_import, kind)
       select $2::uuid, k.payer_name, k.payer_key, $1::uuid, case when k.payer_key = $5 then 'self_pay' else 'insurance' end
       from keys k
       where not exists (select 1 from payers p where p.practice_id = $2 and p.normalized_name = k.payer_key)
         -- A name merged into another payer (staged before the merge) is that payer: not made again.
         and not exists (select 1 from payer_aliases a where a.practice_id = $2 and a.normalized_name = k.payer_key)
       order by k.payer_key
       on conflict (practice_id, normalized_name) do nothing
       returning id
     )
     select (select count(*) from new_payers)::int as created`,
    chunkPayers
      ? [s.id, s.practiceId, [...chunkPayers.keys()], [...chunkPayers.values()], SELF_PAY_KEY]
      : [s.id, s.practiceId, from, to, SELF_PAY_KEY],
  );
  return rows[0]?.created ?? 0;
}

const FIGURES = claimFigures();
const FIGURES_CHANGED = (from: string, to: string) => `(${claimFigures(from)}) is distinct from (${claimFigures(to)})`;
/** The claim's figures as the chunk found them, under their own names (old_claim_number, …). */
const OLD_FIGURES = CLAIM_FIGURES.map((c) => `c.${c} as old_${c}`).join(', ');
const OLD_FIGURES_NAMED = CLAIM_FIGURES.map((c) => `old_${c}`).join(', ');

/**
 * The staged rows ($4, $5] of import $1 with their payer's id (`s`), looked up in practice $2: the
 * start of both statements below.
 */
const CHUNK_WITH_PAYERS = `with chunk as (
       select st.* from staged_claims st where st.import_id = $1 and st.row_no > $4 and st.row_no <= $5
     ), chunk_payers as materialized (
       -- Each payer the chunk names looked up once, not once a row: a chunk of 5,000 rows names a
       -- handful (0.75 s of a 1,000,000-row merge, measured on a kept bench database). As two arrays,
       -- which each row reads by position: joined as a table, the chunk (no statistics) was taken for
       -- one row and every row scanned the chunk's payers, 3-7 ms more a chunk (0.6-1.4 s of a
       -- 1,000,000-row import).
       select array_agg(k.payer_key) as keys, array_agg(coalesce(
           (select id from payers p where p.practice_id = $2 and p.normalized_name = k.payer_key),
           (select a.payer_id from payer_aliases a where a.practice_id = $2 and a.normalized_name = k.payer_key)
         )) as ids
       from (select distinct payer_key from chunk) k
     ), s as (
       select chunk.*, cp.ids[array_position(cp.keys, chunk.payer_key)] as payer_id from chunk cross join chunk_payers cp
     )`;

/** One statement per chunk: see mergeStagedRowsIntoClaims. $1 import, $2 practice, $3 location, rows ($4, $5]. */
const MERGE_SQL = `${CHUNK_WITH_PAYERS}, cur as materialized (
       -- Each staged row with the claim it names, if the location has it: new (no claim), touched
       -- (its figures change, or it was resolved and is open again) or unchanged.
       select s.*, c.id as claim_id, c.resolved_at as old_resolved_at, c.resolved_by_import as old_resolved_by_import,
         c.last_seen_import as old_last_seen_import, c.updated_at as old_updated_at, ${OLD_FIGURES},
         c.id is not null and (c.resolved_at is not null or ${FIGURES_CHANGED('c', 's')}) as touched
       from s
       left join lateral (select * from claims x where x.practice_id = $2 and x.location_id = $3 and x.claim_key = s.claim_key offset 0) c on true
     ), before as (
       insert into claim_versions (import_id, claim_id, ${FIGURES}, last_seen_import, resolved_at, resolved_by_import, updated_at)
       select $1, claim_id, ${OLD_FIGURES_NAMED}, old_last_seen_import, old_resolved_at, old_resolved_by_import, old_updated_at
       from cur where touched
       on conflict do nothing
       returning 1
     ), ins as (
       -- A plain insert, not an upsert: the location lock keeps every other writer of this location's
       -- claims out, and the staging key keeps a claim from coming twice in one file.
       insert into claims (practice_id, location_id, claim_key, ${FIGURES}, first_seen_import, last_seen_import)
       select $2, $3, claim_key, ${FIGURES}, $1, $1
       from cur where claim_id is null
       returning 1
     ), upd as (
       -- Only the claims that change. A claim the file lists as it is now is not written, nor locked (an
       -- upsert's ON CONFLICT locks every row it meets, which writes each of them and its WAL): on a
       -- nightly re-import that is most of them. The snapshot's missing claims are found from what the
       -- file staged (listMissingClaims), not from a stamp on every claim it saw.
       update claims c set ${setClaimFiguresFrom('cur')},
         last_seen_import = $1, resolved_at = null, resolved_by_import = null, updated_at = now()
       from cur where cur.touched and c.id = cur.claim_id
       returning 1
     )
     select count(*)::int as rows,
       (select count(*) from ins)::int as new,
       (select count(*) from upd)::int as updated,
       (count(*) filter (where claim_id is not null and not touched))::int as unchanged,
       sum(balance_cents)::bigint as balance,
       (select count(*) from before)::int as versions
     from cur`;

/**
 * MERGE_SQL for a location that had no claims when the import began merging: every staged row is a
 * new claim (see mergeStagedRowsIntoClaims), so no row looks for the claim it names. The claims'
 * unique key still stands behind that: a claim there after all fails the chunk, it is never doubled.
 */
const INSERT_ALL_SQL = `${CHUNK_WITH_PAYERS}, ins as (
       insert into claims (practice_id, location_id, claim_key, ${FIGURES}, first_seen_import, last_seen_import)
       select $2, $3, claim_key, ${FIGURES}, $1, $1
       from s
       returning balance_cents
     )
     select count(*)::int as rows, count(*)::int as new, 0 as updated, 0 as unchanged, sum(balance_cents)::bigint as balance
     from ins`;

/**
 * Merges staged rows (from, to] into claims in one statement. The CTEs read the claims as they were
 * before the statement, which is what lets one pass classify new / updated / unchanged and keep a
 * before-image of every claim it changes (for revert and cancel). New claims are inserted without an
 * upsert, which is only right under the location's lock (`lock`): no one else writes its claims.
 *
 * Claims are looked up per staged row (LATERAL … OFFSET 0 keeps the planner from turning the lookup
 * back into a join it may order the other way round): a chunk is a few thousand rows and a location up
 * to millions of claims, and this way the work is one index probe per row whatever the statistics say.
 * Payers are looked up once per payer the chunk names. Run it after preferIndexLookups.
 *
 * `chunkPayers` (normalized name → name as first written), when the caller knows them, are the payers
 * of these rows that may not exist yet; without it they are read from the staged rows.
 *
 * `locationWasEmpty`: the location had no claim at all, open or resolved, when this import's first
 * chunk was merged (locationClaimsBefore). Under its lock only this import has written its claims
 * since, from staged rows whose claim keys are unique in the file, each range once: every staged row
 * is then a new claim, and is inserted without looking for it first (INSERT_ALL_SQL). That is a
 * location's first file, its largest: the lookups were a tenth of such a chunk's merge.
 */
export async function mergeStagedRowsIntoClaims(
  client: Tx,
  s: ImportChunkState,
  lock: LocationLock,
  from: number,
  to: number,
  opts: { chunkPayers?: ReadonlyMap<string, string>; locationWasEmpty?: boolean } = {},
): Promise<MergeCounts> {
  const { chunkPayers, locationWasEmpty = false } = opts;
  if (!s.locationId) throw new Error('aging import without a location');
  if (lock.locationId !== s.locationId) throw new Error(`import ${s.id}: merged under the lock of another location`);
  // Before any payer or claim is read: a payer merge in flight is waited for, and one that starts waits.
  await sharePracticePayers(client, s.practiceId);
  const payersCreated = await createPayers(client, s, from, to, chunkPayers);
  const { rows } = await client.query<{
    rows: number;
    new: number;
    updated: number;
    unchanged: number;
    balance: number | null;
  }>(locationWasEmpty ? INSERT_ALL_SQL : MERGE_SQL, [s.id, s.practiceId, s.locationId, from, to]);
  const r = rows[0];
  return {
    rows: r?.rows ?? 0,
    claimsNew: r?.new ?? 0,
    claimsUpdated: r?.updated ?? 0,
    claimsUnchanged: r?.unchanged ?? 0,
    payersCreated,
    balanceCentsApplied: r?.balance ?? 0,
  };
}

/** Names listed in a new-payers notification; the rest are counted ("and 12 more"), all on the import's page. */
const PAYER_NAMES_LISTED = 20;

/**
 * One notification per active user of the practice for the payers an import created, however many:
 * "aging.csv brought 10 new payers: Aetna, Cigna, …". The uploader hears it in their "Import
 * completed", so gets none of these. Called as the import completes, in its transaction.
 */
export async function notifyNewPayers(
  client: pg.PoolClient,
  imp: { id: string; practiceId: string; createdBy: string; originalName: string },
): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select name from payers where created_by_import = $1 and kind = 'insurance' order by name`,
    [imp.id],
  );
  const names = rows.map((r) => r.name);
  if (names.length === 0) return names;
  const listed = names.slice(0, PAYER_NAMES_LISTED).join(', ');
  const more =
    names.length > PAYER_NAMES_LISTED
      ? `, and ${(names.length - PAYER_NAMES_LISTED).toLocaleString('en-US')} more`
      : '';
  const count = `${names.length.toLocaleString('en-US')} new payer${names.length === 1 ? '' : 's'}`;
  await client.query(
    `insert into notifications (user_id, kind, message, link)
     select u.id, 'payers_created', $3, '/imports/' || $2
     from users u where u.practice_id = $1 and u.active and u.id <> $4`,
    [imp.practiceId, imp.id, `${imp.originalName} brought ${count}: ${listed}${more}.`, imp.createdBy],
  );
  return names;
}
