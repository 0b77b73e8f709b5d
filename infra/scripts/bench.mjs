// `npm run bench`: set up like `npm start` does (install, build, Redis and Postgres, migrations), then run
// the benchmark (tests/src/bench/bench.ts) with the arguments given: `npm run bench -- --rows 1000000`.
// The benchmark makes its own databases on the server of DATABASE_URL and starts its own API and worker.
import { spawn } from 'node:child_process';
import { defaults, main, root, setup } from './services.mjs';

const env = {
  DATABASE_URL: process.env.DATABASE_URL ?? defaults.DATABASE_URL,
  REDIS_URL: process.env.REDIS_URL ?? defaults.REDIS_URL,
};

await main(async () => {
  await setup({ databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL });
  const child = spawn(process.execPath, ['tests/dist/bench/bench.js', ...process.argv.slice(2)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  // Ctrl-C reaches the benchmark too (same process group); it cleans up and exits, and so do we after it.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const [code, signal] = await new Promise((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  process.exitCode = code ?? (signal ? 1 : 0);
});
