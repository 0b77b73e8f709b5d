import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { nodeFlags } from '../bench/processes.js';

const ROOT = path.resolve(__dirname, '../../..');
const WORKER_MAIN = path.join(ROOT, 'apps/worker/dist/main.js');

/** A real worker process (the built entry point, with npm start's flags), for tests that kill or signal it. */
export function spawnWorker(env: Record<string, string>): ChildProcess & { exited: Promise<{ code: number | null; signal: string | null }> } {
  const child = spawn(process.execPath, [...nodeFlags(ROOT, 'worker'), WORKER_MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code && code !== 0) process.stderr.write(`worker exited ${code}: ${stderr}\n`);
      resolve({ code, signal });
    }),
  );
  return Object.assign(child, { exited });
}
