// A real three-node Redis Cluster from the machine's redis-server, for the tests that prove Ledgerport
// runs on one: each node in its own folder on a free port, slots spread by redis-cli, torn down after.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../bench/processes.js';
import { waitUntil } from './wait.js';

const run = promisify(execFile);

export interface RedisClusterHandle {
  /** host:port of every node, as REDIS_CLUSTER_NODES takes them */
  nodes: string;
  stop(): Promise<void>;
}

export async function startRedisCluster(size = 3): Promise<RedisClusterHandle> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lp-redis-cluster-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGKILL');
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i++) {
      const port = await freePort();
      ports.push(port);
      // No persistence: the test's cluster lives as long as the test.
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`,
          '--save', '', '--appendonly', 'no', '--dir', dir],
        { stdio: 'ignore' },
      );
      children.push(child);
    }
    for (const port of ports) await waitUntil(`redis node ${port}`, async () => (await ping(port)) === 'PONG', 10_000);
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports)
      await waitUntil(`cluster state of ${port}`, async () => (await clusterState(port)) === 'ok', 20_000);
    return { nodes: ports.map((p) => `127.0.0.1:${p}`).join(','), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function ping(port: number): Promise<string> {
  try {
    return (await run('redis-cli', ['-p', String(port), 'ping'])).stdout.trim();
  } catch {
    return '';
  }
}

async function clusterState(port: number): Promise<string> {
  const out = (await run('redis-cli', ['-p', String(port), 'cluster', 'info'])).stdout;
  return /cluster_state:(\w+)/.exec(out)?.[1] ?? '';
}
