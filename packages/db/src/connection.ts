import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
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

export function createPool(databaseUrl: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

export function createDbHandle(databaseUrl: string, max = 10): DbHandle {
  const pool = createPool(databaseUrl, max);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool, destroy: () => db.destroy() };
}

/** A kysely instance alone, for scripts (migrations, seed). */
export function createDb(databaseUrl: string): Db {
  return createDbHandle(databaseUrl, 2).db;
}
