// EXPLAIN (ANALYZE, BUFFERS) of the pipeline's own merge SQL on one chunk, run on the bench database
// after the measured imports. The SQL is not copied here: mergeStagedRowsIntoClaims runs against a client that
// prefixes every statement with EXPLAIN, inside a transaction that is rolled back.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import {
  createDbHandle,
  lockImport,
  mergeStagedRowsIntoClaims,
  withLocationLock,
  type Tx,
  preferIndexLookups,
  stagedClaimsPartition,
} from '@ledgerport/db';

/** The worker's default CHUNK_ROWS: one merge transaction covers this many staged rows. */
export const DEFAULT_CHUNK_ROWS = 5_000;

export interface ExplainIds {
  practiceId: string;
  locationId: string;
  userId: string;
}

interface Captured {
  statement: string;
  plan: string;
}

/** A client whose query() answers with nothing and keeps the EXPLAIN ANALYZE output of each statement. */
function explainingClient(client: pg.PoolClient, captured: Captured[]): pg.PoolClient {
  const query = async (text: string, values?: unknown[]) => {
    const res = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${text}`, values);
    const statement = text
      .trim()
      .split('\n')
      .slice(0, 3)
      .map((l) => l.trim())
      .join(' ');
    captured.push({ statement, plan: res.rows.map((r) => r['QUERY PLAN']).join('\n') });
    return { rows: [], rowCount: 0, command: 'EXPLAIN', fields: [], oid: 0 };
  };
  return new Proxy(client, {
    get: (target, prop, receiver) => (prop === 'query' ? query : (Reflect.get(target, prop, receiver) as unknown)),
  });
}

/**
 * Two chunks as the merge meets them at the end of a big import: rows whose claims already exist (a
 * re-import, every 10th balance changed) and rows that are all new; each with the table statistics as
 * they were, then after ANALYZE. Returns the plans as Markdown.
 */
export async function explainMergeChunks(
  databaseUrl: string,
  ids: ExplainIds,
  chunkRows = DEFAULT_CHUNK_ROWS,
): Promise<string> {
  // Two connections: the chunk's transaction, and the one withLocationLock holds the lock on (with one,
  // the lock waited for a connection the transaction never gives back).
  const handle = createDbHandle(databaseUrl, 2);
  const out: string[] = [];
  try {
    const client = await handle.pool.connect();
    try {
      const { rows: countRows } = await client.query<{ n: number }>(
        'select count(*)::int as n from claims where location_id = $1',
        [ids.locationId],
      );
      const existing = countRows[0]?.n ?? 0;
      const cases = [
        { variant: 'existing claims (re-import chunk)', fresh: false },
        { variant: 'new claims (first-import chunk)', fresh: true },
      ];
      for (const { variant, fresh } of cases) {
        const importId = randomUUID();
        const captured: Captured[] = [];
        await client.query('begin');
        try {
          await client.query(
            `insert into imports (id, practice_id, location_id, kind, original_name, size_bytes, sha256, storage_key, created_by, status, phase)
             values ($1, $2, $3, 'aging', 'explain.csv', 0, $4, 'explain', $5, 'running', 'committing')`,
            [importId, ids.practiceId, ids.locationId, `explain-${importId}`, ids.userId],
          );
          await client.query(
            `create unlogged table ${stagedClaimsPartition(importId)} partition of staged_claims for values in ('${importId}')`,
          );
          // A chunk from the middle of the location's claims, the way the merge would see row N/2 onwards.
          await client.query(
            `insert into staged_claims (import_id, row_no, claim_key, claim_number, patient_name, patient_account, date_of_birth,
               payer_name, payer_key, date_of_service, billed_cents, balance_cents, aging_bucket)
             select $1, row_number() over (order by c.claim_key)::int,
               case when $5 then 'N-' || c.claim_key else c.claim_key end, c.claim_number, c.patient_name, c.patient_account, c.date_of_birth,
               p.name, p.normalized_name, c.date_of_service, c.billed_cents,
               c.balance_cents + case when c.id % 10 = 0 then 100 else 0 end, c.aging_bucket
             from (select * from claims where location_id = $2 order by claim_key offset $3 limit $4) c
             join payers p on p.id = c.payer_id`,
            [importId, ids.locationId, Math.floor(existing / 2), chunkRows, fresh],
          );
          // As the worker runs it: no ANALYZE, index lookups preferred for the transaction.
          await preferIndexLookups(client);
          // In the transaction begun above (rolled back below, so the bench leaves nothing behind).
          const state = await lockImport(client as Tx, importId);
          const ms = await withLocationLock(handle.pool, ids.locationId, async (lock) => {
            const t = performance.now();
            await mergeStagedRowsIntoClaims(explainingClient(client, captured) as Tx, state, lock, 0, chunkRows);
            return performance.now() - t;
          });
          out.push(
            `### Merge chunk of ${chunkRows} staged rows: ${variant}, statistics as the run left them`,
            '',
            `location has ${existing} claims; whole chunk (with EXPLAIN overhead): ${ms.toFixed(0)} ms`,
            '',
          );
          for (const c of captured) out.push(`-- ${c.statement} …`, '```', c.plan, '```', '');
        } finally {
          await client.query('rollback');
        }
      }
    } finally {
      client.release();
    }
  } finally {
    await handle.destroy();
  }
  return out.join('\n');
}
