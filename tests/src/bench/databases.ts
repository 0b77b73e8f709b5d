// The bench databases: fresh, migrated and seeded each run, on the server of DATABASE_URL.
import type pg from 'pg';
import { createClient, createDb, migrateToLatest, seedDemo, type SeedResult } from '@ledgerport/db';

export const FLOOR_DB = 'ledgerport_bench_floor';
export const PIPELINE_DB = 'ledgerport_bench_pipeline';
export const LEAN_DB = 'ledgerport_bench_lean';

export function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function withAdmin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = createClient(withDb(serverUrl, 'postgres'));
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdmin(serverUrl, (c) => c.query(`drop database if exists ${quote(name)} with (force)`));
}

export interface BenchDatabase {
  url: string;
  seed: SeedResult;
}

/** A new empty database (dropped first if a killed run left it); returns its URL. */
export async function emptyDatabase(serverUrl: string, name: string): Promise<string> {
  await dropDatabase(serverUrl, name);
  await withAdmin(serverUrl, (c) => c.query(`create database ${quote(name)}`));
  return withDb(serverUrl, name);
}

export async function freshDatabase(serverUrl: string, name: string): Promise<BenchDatabase> {
  const url = await emptyDatabase(serverUrl, name);
  const db = createDb(url);
  try {
    await migrateToLatest(db);
    return { url, seed: await seedDemo(db) };
  } finally {
    await db.destroy();
  }
}

export function locationId(seed: SeedResult, name: string): string {
  const loc = seed.locations.find((l) => l.name === name);
  if (!loc)
    throw new Error(`the demo seed has no location "${name}" (has: ${seed.locations.map((l) => l.name).join(', ')})`);
  return loc.id;
}

export function adminUser(seed: SeedResult): SeedResult['users'][number] {
  const admin = seed.users.find((u) => u.role === 'admin');
  if (!admin) throw new Error('the demo seed has no admin user');
  return admin;
}

/**
 * Only one benchmark at a time on a server: the database names are fixed. Waits up to waitMs for a
 * running one (the smoke test in `npm test` may start while someone benchmarks). The advisory lock
 * lives as long as the returned connection.
 */
export async function lockBench(serverUrl: string, waitMs: number, onWait: () => void): Promise<pg.Client> {
  const c = createClient(withDb(serverUrl, 'postgres'));
  await c.connect();
  const deadline = Date.now() + waitMs;
  for (let waited = false; ; waited = true) {
    const { rows } = await c.query<{ ok: boolean }>(`select pg_try_advisory_lock(hashtext('ledgerport:bench')) as ok`);
    if (rows[0]?.ok) return c;
    if (Date.now() > deadline) {
      await c.end();
      throw new Error(
        `another benchmark has been running against this Postgres server for over ${Math.round(waitMs / 1000)} s; try again when it is done`,
      );
    }
    if (!waited) onWait();
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Written-back dirty pages of one step must not be paid for by the next one. */
export async function checkpoint(serverUrl: string): Promise<void> {
  await withAdmin(serverUrl, (c) => c.query('checkpoint'));
}
