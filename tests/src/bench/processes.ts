// The API and worker as real processes (their built entry points), and what /proc says about them.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface Service {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  /** resolves when the process is gone, however it went */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
}

/** The node flags an app runs with, as `npm start` starts it (infra/node-flags.json says why). */
export function nodeFlags(root: string, app: string): string[] {
  const flags = JSON.parse(readFileSync(path.join(root, 'infra/node-flags.json'), 'utf8')) as Record<string, unknown>;
  const mine = flags[app];
  return Array.isArray(mine) ? mine.map(String) : [];
}

/**
 * Starts `node <flags> <script>` with its output in logFile, so the table is not lost in pino lines;
 * `name` (api, worker) picks the flags.
 */
export function spawnService(
  name: string,
  script: string,
  cwd: string,
  env: Record<string, string>,
  logFile: string,
): Service {
  const fd = openSync(logFile, 'a');
  let gone = false;
  try {
    const child = spawn(process.execPath, [...nodeFlags(cwd, name), script], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', fd, fd],
    });
    if (child.pid === undefined) throw new Error(`could not start ${name} (${script})`);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => {
        gone = true;
        resolve({ code, signal });
      });
    });
    return { name, child, pid: child.pid, logFile, exited, hasExited: () => gone };
  } finally {
    closeSync(fd);
  }
}

export async function logTail(logFile: string, lines = 20): Promise<string> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** SIGTERM, then SIGKILL if the graceful shutdown has not finished in time. */
export async function stopService(s: Service, graceMs = 15_000): Promise<void> {
  if (s.hasExited()) return;
  s.child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
  if ((await Promise.race([s.exited, timer])) === 'timeout') {
    s.child.kill('SIGKILL');
    await s.exited;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export async function waitForHealth(url: string, s: Service, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (s.hasExited()) throw new Error(`${s.name} exited before it answered /health:\n${await logTail(s.logFile)}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(
        `${s.name} did not answer ${url}/health within ${timeoutMs / 1000}s:\n${await logTail(s.logFile)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A field of /proc/<pid>/status in bytes: VmHWM is the peak resident set size, VmRSS the current one. */
export async function procMemory(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!m?.[1]) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(m[1]) * 1024;
}

// Linux reports CPU time in clock ticks; USER_HZ is 100 on every mainstream kernel build.
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) the process has used so far. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Core-seconds the whole machine has spent busy (not idle or waiting for I/O) since boot. */
export async function machineBusySeconds(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / TICKS_PER_SECOND;
}
