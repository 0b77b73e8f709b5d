import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { OutageLog } from '@ledgerport/core';
import type { Database } from './schema.js';

// bigint ids and cents fit easily in a double (2^53); dates stay ISO strings so a date of service
// never shifts by a time zone on its way through JavaScript.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1082, (v) => v);

export type Db = Kysely<Database>;

export interface DbHandle {
  db: Db;
  /** The same pool kysely uses, for COPY and hand-written set-based SQL on one client. */
  pool: pg.Pool;
  destroy(): Promise<void>;
}

export interface PoolOptions {
  max?: number;
  /** Where lost connections are reported (one line per outage); silent without it. */
  outage?: OutageLog;
  /**
   * How long getting a connection may take before it fails (0: no limit). The API sets one so a
   * request answers 503 instead of hanging while Postgres does not answer; a worker waits.
   */
  connectionTimeoutMillis?: number;
}

export function createPool(databaseUrl: string, opts: PoolOptions | number = {}): pg.Pool {
  const {
    max = 10,
    outage = new OutageLog('postgres', undefined),
    connectionTimeoutMillis = 0,
  } = typeof opts === 'number' ? { max: opts } : opts;
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis });
  // An idle client losing its connection: the pool reports it here and replaces the client.
  pool.on('error', (err) => outage.down(err));
  // A client lent out (a transaction, a session holding an advisory lock) reports a lost connection
  // on itself, and pg-pool removes its own listener while the client is lent: without this one the
  // 'error' event has no listener and the whole process crashes ("Connection terminated
  // unexpectedly"). The query in flight still fails, and the pool discards the client on release.
  pool.on('connect', (client) => {
    client.on('error', (err) => outage.down(err));
    outage.up();
  });
  return pool;
}

export function createDbHandle(databaseUrl: string, opts: PoolOptions | number = {}): DbHandle {
  const pool = createPool(databaseUrl, opts);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool, destroy: () => db.destroy() };
}

/** A kysely instance alone, for scripts (migrations, seed). */
export function createDb(databaseUrl: string): Db {
  return createDbHandle(databaseUrl, 2).db;
}

/**
 * A single connection outside any pool (a script's, a test's), with the listener a lone client needs:
 * a connection that dies while nobody is querying it raises 'error', and that must not crash the process.
 */
export function createClient(connectionString: string, outage?: OutageLog): pg.Client {
  const client = new pg.Client({ connectionString });
  client.on('error', (err) => outage?.down(err));
  return client;
}
