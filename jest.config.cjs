// The whole suite: every package's unit tests and the cross-app tests in tests/.
const os = require('node:os');

module.exports = {
  // jest's default (cores - 1) is a single worker on a two-core machine, and the files ran one after
  // another (the run's results show one file at a time), though most of a file's time is spent waiting
  // on Postgres, Redis, a worker process or the browser. Each file has its own database and queue
  // prefix, so files run side by side safely: one worker per core, two at least.
  maxWorkers: Number(process.env.LP_JEST_WORKERS ?? Math.max(2, os.availableParallelism())),
  projects: [
    'packages/core',
    'packages/api-client',
    'packages/db',
    'packages/queue',
    'packages/storage',
    'apps/api',
    'apps/worker',
    'apps/cli',
    'apps/web',
    'tests',
  ].map((p) => `<rootDir>/${p}`),
  // Integration tests wait for real workers; nothing asserts on time, this only bounds a hang.
  testTimeout: 60_000,
};
