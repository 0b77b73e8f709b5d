// `npm run chaos`: install and build, then the chaos run (tests/src/chaos/chaos.ts) with the arguments
// given: `npm run chaos -- --rows 200000 --kills 20`. It starts its own PostgreSQL cluster and Redis on
// free ports (it stops and kills them), so it needs neither running and never touches those that are.
import { spawn } from 'node:child_process';
import { build, ensureInstalled, main, root } from './services.mjs';

await main(async () => {
  ensureInstalled();
  build();
  const child = spawn(process.execPath, ['tests/dist/chaos/chaos.js', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  // Ctrl-C reaches the run too (same process group); it cleans up and exits, and so do we after it.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const [code, signal] = await new Promise((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  process.exitCode = code ?? (signal ? 1 : 0);
});
