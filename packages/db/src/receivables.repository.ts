import type pg from 'pg';
import { lockPracticePayers } from './aging/payer-locks.js';
import type { Tx } from './transaction.js';

/** How a location's claims are narrowed down on the receivables screen. */
export interface ClaimFilter {
  status: 'open' | 'resolved' | 'all';
  payerId?: number;
  bucket?: string;
  /** dates of service, ISO, inclusive */
  from?: string;
  to?: string;
  /** part of the patient's name or account, or the claim number */
  search?: string;
}

function where(practiceId: string, locationId: string, f: ClaimFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [practiceId, locationId];
  const parts = ['c.practice_id = $1', 'c.location_id = $2'];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    parts.push(clause(`$${params.length}`));
  };
  if (f.status === 'open') parts.push('c.resolved_at is null');
  if (f.status === 'resolved') parts.push('c.resolved_at is not null');
  if (f.payerId !== undefined) add((n) => `c.payer_id = ${n}`, f.payerId);
  if (f.bucket !== undefined) add((n) => `c.aging_bucket = ${n}`, f.bucket);
  if (f.from !== undefined) add((n) => `c.date_of_service >= ${n}::date`, f.from);
  if (f.to !== undefined) add((n) => `c.date_of_service <= ${n}::date`, f.to);
  if (f.search !== undefined)
    add(
      (n) => `(c.patient_name ilike ${n} or c.patient_account ilike ${n} or c.claim_number ilike ${n})`,
      `%${f.search.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`,
    );
  return { sql: parts.join(' and '), params };
}

const CLAIM_COLUMNS = `c.id, c.claim_number as "claimNumber", c.patient_name as "patientName", c.patient_account as "patientAccount",
  c.date_of_birth as "dateOfBirth", p.id as "payerId", p.name as payer, c.date_of_service as "dateOfService",
  c.billed_cents as "billedCents", c.balance_cents as "balanceCents", c.aging_bucket as "agingBucket",
  c.resolved_at as "resolvedAt"`;

export interface ClaimListItem {
  id: number;
  claimNumber: string | null;
  patientName: string;
  patientAccount: string | null;
  dateOfBirth: string | null;
  payerId: number | null;
  payer: string | null;
  dateOfService: string;
  billedCents: number | null;
  balanceCents: number;
  agingBucket: string | null;
  resolvedAt: Date | null;
}

/** A page of a location's claims, oldest service first, with the count and balance of all that match. */
export async function listLocationClaims(
  db: pg.Pool,
  practiceId: string,
  locationId: string,
  f: ClaimFilter,
  page: { limit: number; offset: number },
): Promise<{ items: ClaimListItem[]; total: number; balanceCents: number }> {
  const w = where(practiceId, locationId, f);
  const { rows } = await db.query<ClaimListItem>(
    `select ${CLAIM_COLUMNS} from claims c left join payers p on p.id = c.payer_id
     where ${w.sql} order by c.date_of_service, c.id limit $${w.params.length + 1} offset $${w.params.length + 2}`,
    [...w.params, page.limit, page.offset],
  );
  const { rows: t } = await db.query<{ total: number; cents: number | null }>(
    `select count(*)::int as total, sum(c.balance_cents)::bigint as cents from claims c where ${w.sql}`,
    w.params,
  );
  return { items: rows, total: t[0]?.total ?? 0, balanceCents: t[0]?.cents ?? 0 };
}

/** Every matching claim, in batches, for the CSV export (never the whole list in memory). */
export async function* streamLocationClaims(
  db: pg.Pool,
  practiceId: string,
  locationId: string,
  f: ClaimFilter,
): AsyncGenerator<ClaimListItem[]> {
  const w = where(practiceId, locationId, f);
  for (let after = 0; ; ) {
    const { rows } = await db.query<ClaimListItem>(
      `select ${CLAIM_COLUMNS} from claims c left join payers p on p.id = c.payer_id
       where ${w.sql} and c.id > $${w.params.length + 1} order by c.id limit 5000`,
      [...w.params, after],
    );
    if (rows.length) yield rows;
    if (rows.length < 5000) return;
    after = rows.at(-1)?.id ?? after;
  }
}

/** A location's open claims, totalled by aging bucket and by payer. */
export async function locationTotals(db: pg.Pool, practiceId: string, locationId: string) {
  const { rows: buckets } = await db.query<{ bucket: string | null; claims: number; balanceCents: number }>(
    `select aging_bucket as bucket, count(*)::int as claims, sum(balance_cents)::bigint as "balanceCents"
     from claims where practice_id = $1 and location_id = $2 and resolved_at is null
     group by aging_bucket order by min(case aging_bucket when '0-30' then 1 when '31-60' then 2 when '61-90' then 3
       when '91-120' then 4 when '120+' then 5 else 6 end)`,
    [practiceId, locationId],
  );
  const { rows: payers } = await db.query<{ payerId: number; payer: string; kind: string; claims: number; balanceCents: number }>(
    `select p.id as "payerId", p.name as payer, p.kind, count(*)::int as claims, sum(c.balance_cents)::bigint as "balanceCents"
     from claims c join payers p on p.id = c.payer_id
     where c.practice_id = $1 and c.location_id = $2 and c.resolved_at is null
     group by p.id order by sum(c.balance_cents) desc`,
    [practiceId, locationId],
  );
  const claims = buckets.reduce((s, b) => s + b.claims, 0);
  const balanceCents = buckets.reduce((s, b) => s + Number(b.balanceCents), 0);
  return { claims, balanceCents, byBucket: buckets, byPayer: payers };
}

export interface ClaimFigures {
  balanceCents: number;
  billedCents: number | null;
  dateOfService: string;
  payer: string | null;
  resolvedAt: Date | null;
}

export interface ClaimHistoryEvent {
  event: 'created' | 'changed' | 'resolved' | 'reopened';
  importId: string;
  fileName: string;
  at: Date | null;
  before: ClaimFigures | null;
  after: ClaimFigures;
}

type ImportRef = { importId: string; fileName: string; at: Date | null };

/**
 * One claim and its history, oldest first: the import that created it, each import that changed or
 * reopened it (with the claim as it was before and after) and each that resolved it.
 *
 * Nothing new is recorded for this: the merge keeps a before-image (claim_versions) of every claim
 * an import changes or reopens, and that image carries who had resolved it; resolving only stamps
 * resolved_by_import on the claim. So the claim's states are its before-images in import order, then
 * the claim as it is now, and every resolution is either the claim's current one or one that an
 * image remembers (a claim resolved, reopened, resolved again shows both).
 */
export async function claimWithHistory(db: pg.Pool, practiceId: string, claimId: number) {
  const { rows } = await db.query<
    ClaimListItem & { locationId: string | null; location: string | null; type: string; firstSeenImport: string; resolvedByImport: string | null }
  >(
    `select ${CLAIM_COLUMNS}, c.location_id as "locationId", l.name as location, c.claim_type as type,
       c.first_seen_import as "firstSeenImport", c.resolved_by_import as "resolvedByImport"
     from claims c left join payers p on p.id = c.payer_id left join locations l on l.id = c.location_id
     where c.practice_id = $1 and c.id = $2`,
    [practiceId, claimId],
  );
  const found = rows[0];
  if (!found) return null;
  const { firstSeenImport, resolvedByImport, ...claim } = found;
  // Before-images of completed imports only: a reverted import's were put back and deleted.
  const { rows: versions } = await db.query<ImportRef & ClaimFigures & { resolvedBy: string | null }>(
    `select v.import_id as "importId", i.original_name as "fileName", coalesce(i.finished_at, i.updated_at) as at,
       v.balance_cents as "balanceCents", v.billed_cents as "billedCents", v.date_of_service as "dateOfService",
       p.name as payer, v.resolved_at as "resolvedAt", v.resolved_by_import as "resolvedBy"
     from claim_versions v join imports i on i.id = v.import_id left join payers p on p.id = v.payer_id
     where v.claim_id = $1 and i.status = 'completed' order by coalesce(i.finished_at, i.updated_at), i.created_at`,
    [claimId],
  );
  const wanted = [firstSeenImport, resolvedByImport, ...versions.map((v) => v.resolvedBy)].filter((x): x is string => x !== null);
  const { rows: refs } = await db.query<ImportRef>(
    `select id as "importId", original_name as "fileName", coalesce(finished_at, updated_at) as at from imports
     where practice_id = $1 and id = any($2::uuid[])`,
    [practiceId, wanted],
  );
  const ref = (id: string | null) => refs.find((r) => r.importId === id);
  const figures = (x: ClaimFigures): ClaimFigures => ({
    balanceCents: x.balanceCents,
    billedCents: x.billedCents,
    dateOfService: x.dateOfService,
    payer: x.payer,
    resolvedAt: x.resolvedAt,
  });
  // states[k] is the claim just before versions[k]'s import; the last is the claim now.
  const states = [...versions.map(figures), figures(claim)];
  const history: ClaimHistoryEvent[] = [];
  const resolution = (state: ClaimFigures, by: string | null) => {
    const r = state.resolvedAt ? ref(by) : undefined;
    if (r) history.push({ event: 'resolved', ...r, before: { ...state, resolvedAt: null }, after: state });
  };
  const created = ref(firstSeenImport);
  const first = states[0];
  if (created && first) history.push({ event: 'created', ...created, before: null, after: { ...first, resolvedAt: null } });
  resolution(states[0] ?? figures(claim), versions[0]?.resolvedBy ?? resolvedByImport);
  versions.forEach((v, k) => {
    const before = states[k] ?? figures(v);
    const next = states[k + 1] ?? figures(claim);
    // An import that lists a claim leaves it open; a later resolution is the next event.
    const after = { ...next, resolvedAt: null };
    history.push({ event: before.resolvedAt ? 'reopened' : 'changed', importId: v.importId, fileName: v.fileName, at: v.at, before, after });
    resolution(next, versions[k + 1]?.resolvedBy ?? resolvedByImport);
  });
  return { claim, history };
}

export interface PayerRow {
  id: number;
  name: string;
  status: 'Active' | 'Inactive';
  kind: string;
  createdAt: Date;
  claims: number;
  openClaims: number;
  openBalanceCents: number;
}

/** The practice's payers with their status and what they owe across its locations. */
export async function listPayers(db: pg.Pool, practiceId: string): Promise<PayerRow[]> {
  const { rows } = await db.query<PayerRow>(
    `select p.id, p.name, p.status, p.kind, p.created_at as "createdAt",
       count(c.id) filter (where c.resolved_at is null)::int as "openClaims",
       coalesce(sum(c.balance_cents) filter (where c.resolved_at is null), 0)::bigint as "openBalanceCents",
       count(c.id)::int as claims
     from payers p left join claims c on c.payer_id = p.id
     where p.practice_id = $1 group by p.id order by p.name`,
    [practiceId],
  );
  return rows;
}

export async function setPayerStatus(db: pg.Pool, practiceId: string, payerId: number, status: 'Active' | 'Inactive'): Promise<boolean> {
  const r = await db.query('update payers set status = $3 where practice_id = $1 and id = $2', [practiceId, payerId, status]);
  return r.rowCount === 1;
}

/**
 * Two payers that are one ("BCBS of IL" and "Blue Cross Blue Shield of Illinois"): the claims of
 * `from` (and their before-images) move to `into` and `from` is removed, in one transaction. Later
 * files naming `from`'s name get `into` (payerAliases, read when a file's rows are read).
 */
export async function mergePayers(client: Tx, practiceId: string, from: number, into: number): Promise<number> {
  // No claim of the practice is being written meanwhile (claims have no foreign key to payers).
  await lockPracticePayers(client, practiceId);
  const { rows } = await client.query<{ id: number; normalized_name: string }>(
    'select id, normalized_name from payers where practice_id = $1 and id = any($2::bigint[]) for update',
    [practiceId, [from, into]],
  );
  if (rows.length !== 2) return -1;
  const moved = await client.query('update claims set payer_id = $2 where practice_id = $3 and payer_id = $1', [from, into, practiceId]);
  await client.query('update claim_versions set payer_id = $2 where payer_id = $1', [from, into]);
  await client.query(
    `insert into payer_aliases (practice_id, normalized_name, payer_id) select practice_id, normalized_name, $2 from payers where id = $1
     on conflict (practice_id, normalized_name) do update set payer_id = excluded.payer_id`,
    [from, into],
  );
  await client.query('update payer_aliases set payer_id = $2 where payer_id = $1', [from, into]);
  await client.query('delete from payers where id = $1', [from]);
  return moved.rowCount ?? 0;
}

/** Normalized names of merged payers → the payer they now mean (name and normalized name). */
export async function payerAliases(db: pg.Pool, practiceId: string): Promise<Map<string, { key: string; name: string }>> {
  const { rows } = await db.query<{ alias: string; key: string; name: string }>(
    `select a.normalized_name as alias, p.normalized_name as key, p.name from payer_aliases a join payers p on p.id = a.payer_id
     where a.practice_id = $1`,
    [practiceId],
  );
  return new Map(rows.map((r) => [r.alias, { key: r.key, name: r.name }]));
}
