import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, createDb, migrateToLatest } from '@ledgerport/db';

// The PostgreSQL `npm start` runs where none is installed (infra/scripts/embedded-postgres.mjs), for real:
// on a port and in a data directory of this test's own, through the same command a developer has.
const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'infra/scripts/embedded-postgres.mjs');

function embedded(command: 'start' | 'stop', dataDir: string, port: number): void {
  const r = spawnSync(process.execPath, [SCRIPT, command, '--data', dataDir, '--port', String(port)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`embedded-postgres.mjs ${command} failed: ${r.stderr}`);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('runs our migrations, and keeps its data when stopped and started again', async () => {
  const base = await mkdtemp(path.join(tmpdir(), 'lp-embedded-pg-'));
  // As root the server runs as the postgres user, who must be able to reach the data directory.
  await chmod(base, 0o755);
  const dataDir = path.join(base, 'postgres');
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let started = false;
  try {
    embedded('start', dataDir, port);
    started = true;
    const db = createDb(url);
    try {
      expect((await migrateToLatest(db)).length).toBeGreaterThan(0);
    } finally {
      await db.destroy();
    }
    embedded('stop', dataDir, port);
    started = false;
    embedded('start', dataDir, port);
    started = true;
    // Kept between runs: the migrated schema is still there, so nothing is left to apply.
    const again = createDb(url);
    try {
      expect(await migrateToLatest(again)).toEqual([]);
    } finally {
      await again.destroy();
    }
    const client = createClient(url);
    await client.connect();
    try {
      expect((await client.query<{ n: number }>('select count(*)::int as n from imports')).rows[0]?.n).toBe(0);
    } finally {
      await client.end();
    }
  } finally {
    if (started) embedded('stop', dataDir, port);
    await rm(base, { recursive: true, force: true });
  }
}, 120_000);
