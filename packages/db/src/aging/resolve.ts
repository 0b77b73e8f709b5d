import type pg from 'pg';
import { isUuid } from '@ledgerport/core';
import type { ImportChunkState } from '../imports/lock-import.js';
import type { LocationLock } from '../locks/location-lock.js';
import { inTransaction, type Tx } from '../transaction.js';
import type { ImportCounters } from '../schema.js';
import { stagedClaimsLost } from './staging.js';

/** The rows an import staged are gone before its snapshot was closed; retried, it reads the file again. */
export class StagedRowsLost extends Error {
  constructor(importId: string) {
    super(
      `import ${importId}: its staged rows are gone (the database restarted?); the next attempt reads the file again`,
    );
    this.name = 'StagedRowsLost';
  }
}

/*
 * Closing an aging import's snapshot: the location's open claims the file no longer lists are
 * resolved (never deleted), except those it named on rows it could not read (kept). What a staged
 * import would resolve is shown before anything is applied (a preview, a review).
 */

/** Memory for the anti-join of listMissingClaims, per statement: a hash of the staged claim keys. */
const ANTI_JOIN_WORK_MEM = '64MB';

function uuidLiteral(id: string): string {
  // Only a well-formed uuid is written into the statement.
  if (!isUuid(id)) throw new Error(`not a uuid: ${JSON.stringify(id)}`);
  return `'${id}'::uuid`;
}

export interface MissingClaims {
  /** open claims of the location the file does not list: what closing the snapshot resolves */
  count: number;
  cents: number;
  /** open claims the file named only on rows it could not read: kept as they are */
  keptOpen: number;
}

/**
 * Claims of the location compared with the file per statement while the snapshot is closed: about half
 * a second each. On a kept bench database (1,000,000 claims, 950,000 staged) the close took 2.1-2.2 s
 * in slices of 100,000, 250,000 or 1,000,000 alike, against 1.4-1.5 s in one statement with no progress.
 */
export const CLOSE_SLICE_CLAIMS = 250_000;

export interface ListMissingOptions {
  /** claims per slice (CLOSE_SLICE_CLAIMS; tests make it small) */
  sliceClaims?: number;
  /** after each slice, with the location's claims compared so far: progress staff can watch */
  onSlice?: (claimsChecked: number) => Promise<void>;
}

/**
 * Closes the snapshot, first step: notes the location's open claims that this file did not list, in a
 * temporary table of the session (`client` must be the same connection for every batch). A claim the
 * file named on a row it rejected is not missing: it stays exactly as it was (import_kept_claims).
 * `client` must not be in a transaction: each slice runs in one of its own (`tx` as inTransaction's).
 *
 * The location's claims are compared with the staged keys a range of claim keys at a time, in key
 * order, each range one statement with progress after it. In one statement, at 10,000,000 claims, the
 * hash of 9,500,000 staged keys spilled to disk and staff saw nothing move for 38 s; a range of
 * 250,000 claims hashes only the staged keys of that range (found by the staging partition's unique
 * key) and takes about half a second. The location lock keeps every other import out of
 * these claims between the slices.
 */
export async function listMissingClaims(
  client: pg.PoolClient,
  s: ImportChunkState,
  tx: { broken: boolean },
  opts: ListMissingOptions = {},
): Promise<MissingClaims> {
  // What the file listed is what it staged: with staged rows gone (a database crash empties unlogged
  // tables) every claim it listed would look missing. Refused; the next attempt starts the file over.
  if (await stagedClaimsLost(client, s.id)) throw new StagedRowsLost(s.id);
  // An import of no location (from before locations) closes nothing, as the join found nothing for it.
  if (s.locationId === null) return { count: 0, cents: 0, keptOpen: 0 };
  // A location with no open claims when this import began merging (a first import): every open claim
  // is one this import made from a staged row, so none is missing and none was kept. Reading them all
  // to find that out took 12.7 s at 10,000,000 claims.
  if (s.counters.locationHadOpenClaims === 0) return { count: 0, cents: 0, keptOpen: 0 };
  const sliceClaims = opts.sliceClaims ?? CLOSE_SLICE_CLAIMS;
  // Ids inlined in the slice's CREATE/INSERT for the same reason as before: checked uuids only.
  const [importId, practiceId, locationId] = [s.id, s.practiceId, s.locationId].map(uuidLiteral);
  await inTransaction(
    client,
    async (c) => {
      await c.query('drop table if exists missing_claims');
      await c.query('create temp table missing_claims as select id, balance_cents, true as kept from claims with no data');
    },
    tx,
  );
  let checked = 0;
  // The last claim key of the slice before: every slice starts after it (none yet: from the first key).
  let after: string | null = null;
  for (;;) {
    // $1 the claims a slice takes, $2 the last key of the slice before (none for the first slice).
    const afterKey = (alias: string) => (after === null ? '' : `and ${alias}.claim_key > $2`);
    const slice = await inTransaction(
      client,
      async (c) => {
        // One hash of the range's staged keys, probed once per open claim: without statistics on claims
        // (nothing analyses them between imports) the planner would probe the staged keys' index once
        // per claim instead, 3.8 µs a claim against 1.7 µs hashed. The slice's claims are read once, in
        // key order, and its last key bounds the staged keys hashed (read apart, the bound cost a second
        // scan of the slice: 0.18 s per 250,000 claims).
        await c.query(`set local enable_nestloop = off; set local work_mem = '${ANTI_JOIN_WORK_MEM}'`);
        const { rows } = await c.query<{ n: number; last: string | null }>(
          `with slice as materialized (
             select o.id, o.balance_cents, o.claim_key, o.resolved_at, o.first_seen_import
             from claims o
             where o.practice_id = ${practiceId} and o.location_id = ${locationId} ${afterKey('o')}
             order by o.claim_key limit $1
           ), missing as (
             insert into missing_claims (id, balance_cents, kept)
             select o.id, o.balance_cents,
               exists (select 1 from import_kept_claims k where k.import_id = ${importId} and k.claim_key = o.claim_key)
             from slice o
             where o.resolved_at is null
               -- A claim this import created came from a row it staged: never missing. On a first import
               -- that is every open claim, and the staged keys need no hash at all.
               and o.first_seen_import <> ${importId}
               and not exists (
                 select 1 from staged_claims x
                 where x.import_id = ${importId} and x.claim_key = o.claim_key ${afterKey('x')}
                   and x.claim_key <= (select max(claim_key) from slice)
               )
             returning 1
           )
           select (select count(*) from slice)::int as n, (select max(claim_key) from slice) as last,
             (select count(*) from missing)::int as missing`,
          after === null ? [sliceClaims] : [sliceClaims, after],
        );
        return rows[0];
      },
      tx,
    );
    if (!slice || slice.n === 0 || slice.last === null) break;
    checked += slice.n;
    if (opts.onSlice) await opts.onSlice(checked);
    if (slice.n < sliceClaims) break;
    after = slice.last;
  }
  const rows = await inTransaction(
    client,
    async (c) => {
      const res = await c.query<{ count: number; cents: number | null; kept: number }>(
        `select (count(*) filter (where not kept))::int as count,
           (sum(balance_cents) filter (where not kept))::bigint as cents,
           (count(*) filter (where kept))::int as kept
         from missing_claims`,
      );
      // Kept claims stay as they are; the batches resolve the rest in id order.
      await c.query('delete from missing_claims where kept');
      await c.query('alter table missing_claims add primary key (id)');
      return res.rows;
    },
    tx,
  );
  const r = rows[0];
  return { count: r?.count ?? 0, cents: r?.cents ?? 0, keptOpen: r?.kept ?? 0 };
}

/**
 * The location's open claims before an import that has merged its rows, less the ones it created,
 * counted without reading them again: every claim it listed is open now (a merge reopens what it
 * lists), once each (a claim key is staged once), and every other open claim is missing or kept.
 * Counting them took a pass over the location's open claims (0.3 s at 950,000) while the close showed
 * no progress.
 */
export function openClaimsBefore(counters: ImportCounters, missing: MissingClaims): number {
  return (counters.claimsUpdated ?? 0) + (counters.claimsUnchanged ?? 0) + missing.count + missing.keptOpen;
}

/**
 * Whether the location has any open claim, and any claim at all: asked as an import's first chunk is
 * merged (under the location lock), so the close knows whether anything could be missing
 * (locationHadOpenClaims), and the merge whether every row is a new claim (locationHadClaims). Each
 * stops at the first claim it meets, or finds none at once in an index. With them, how long the
 * location's last close took (its previous import's closeSeconds): the time left expects as much again.
 */
export async function locationClaimsBefore(
  db: Tx,
  s: ImportChunkState,
): Promise<{ open: boolean; any: boolean; lastCloseSeconds: number | null }> {
  if (s.locationId === null) return { open: false, any: false, lastCloseSeconds: null };
  const { rows } = await db.query<{ open: boolean; any: boolean; close_seconds: number | null }>(
    `select exists (select 1 from claims where practice_id = $1 and location_id = $2 and resolved_at is null) as open,
       exists (select 1 from claims where practice_id = $1 and location_id = $2) as any,
       (select case when jsonb_typeof(p.counters->'closeSeconds') = 'number' then (p.counters->>'closeSeconds')::float8 end
        from imports i join imports p on p.id = i.previous_import_id where i.id = $3) as close_seconds`,
    [s.practiceId, s.locationId, s.id],
  );
  return { open: rows[0]?.open === true, any: rows[0]?.any === true, lastCloseSeconds: rows[0]?.close_seconds ?? null };
}

/** Notes claims a chunk named on rows it rejected, in the chunk's transaction (see listMissingClaims). */
export async function insertKeptClaims(
  client: pg.PoolClient,
  importId: string,
  keys: readonly string[],
): Promise<void> {
  if (!keys.length) return;
  await client.query(
    `insert into import_kept_claims (import_id, claim_key) select $1, k from unnest($2::text[]) k on conflict do nothing`,
    [importId, keys],
  );
}

/**
 * What closing the snapshot of a staged, unmerged import would resolve: open claims of the location
 * neither staged nor kept. For the review of a preview, before anything is applied.
 */
export async function stagedResolvePlan(
  db: pg.Pool | pg.PoolClient,
  imp: { id: string; practiceId: string; locationId: string | null },
): Promise<{ count: number; cents: number; openBefore: number }> {
  const { rows } = await db.query<{ count: number; cents: number | null; open_before: number }>(
    `with open as (
       select claim_key, balance_cents from claims where practice_id = $2 and location_id = $3 and resolved_at is null
     ), gone as (
       select balance_cents from open o
       where not exists (select 1 from staged_claims x where x.import_id = $1 and x.claim_key = o.claim_key)
         and not exists (select 1 from import_kept_claims k where k.import_id = $1 and k.claim_key = o.claim_key)
     )
     select (select count(*) from gone)::int as count, (select sum(balance_cents) from gone)::bigint as cents,
       (select count(*) from open)::int as open_before`,
    [imp.id, imp.practiceId, imp.locationId],
  );
  const r = rows[0];
  return { count: r?.count ?? 0, cents: r?.cents ?? 0, openBefore: r?.open_before ?? 0 };
}

/**
 * The claims a staged import would resolve, page by page, for the administrator who reviews it: open
 * claims of the location it neither stages nor keeps, largest balance first.
 */
export async function listClaimsToResolve(
  db: pg.Pool | pg.PoolClient,
  imp: { id: string; practiceId: string; locationId: string | null },
  page: { limit: number; offset: number },
) {
  const { rows } = await db.query<{
    id: number;
    claimNumber: string | null;
    patientName: string;
    patientAccount: string | null;
    payer: string | null;
    dateOfService: string;
    balanceCents: number;
    total: number;
  }>(
    `select c.id, c.claim_number as "claimNumber", c.patient_name as "patientName", c.patient_account as "patientAccount",
       p.name as payer, c.date_of_service as "dateOfService", c.balance_cents as "balanceCents", count(*) over ()::int as total
     from claims c left join payers p on p.id = c.payer_id
     where c.practice_id = $2 and c.location_id = $3 and c.resolved_at is null
       and not exists (select 1 from staged_claims x where x.import_id = $1 and x.claim_key = c.claim_key)
       and not exists (select 1 from import_kept_claims k where k.import_id = $1 and k.claim_key = c.claim_key)
     order by c.balance_cents desc, c.id
     limit $4 offset $5`,
    [imp.id, imp.practiceId, imp.locationId, page.limit, page.offset],
  );
  return { items: rows.map(({ total: _total, ...r }) => r), total: rows[0]?.total ?? 0 };
}

/**
 * Resolves (never deletes) up to `limit` of the claims listMissingClaims noted. Resolving sets
 * resolved_at and resolved_by_import and nothing else (updated_at is when the claim's figures last
 * changed), so undoing it needs no before-image: undoClaimChanges clears the two again. Batches, each
 * in its own transaction, keep progress moving on a location with tens of thousands of paid claims; a
 * claim already resolved is skipped, so a batch retried after a crash does nothing twice. Returns how
 * many it resolved.
 */
export async function resolveMissingClaimsBatch(
  client: Tx,
  s: ImportChunkState,
  limit: number,
  lock: LocationLock,
): Promise<{ resolved: number; more: boolean }> {
  if (lock.locationId !== s.locationId) throw new Error(`import ${s.id}: resolved under the lock of another location`);
  const { rows } = await client.query<{ resolved: number; taken: number }>(
    `with batch as (
       delete from missing_claims where id in (select id from missing_claims order by id limit $2) returning id
     ), gone as materialized (
       -- One primary-key probe per id (LATERAL … OFFSET 0): joined as a set, the planner may walk all
       -- of the location's claims for each batch (8.7 s instead of 1.6 s for 50,000 at 1M claims).
       select c.id from batch b cross join lateral (select id from claims c where c.id = b.id and c.resolved_at is null offset 0) c
     ), upd as (
       update claims c set resolved_at = now(), resolved_by_import = $1
       from gone where c.id = gone.id
       returning 1
     )
     select (select count(*) from upd)::int as resolved, (select count(*) from batch)::int as taken`,
    [s.id, limit],
  );
  const r = rows[0];
  return { resolved: r?.resolved ?? 0, more: (r?.taken ?? 0) === limit };
}
