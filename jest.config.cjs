// The whole suite: every package's unit tests and the cross-app tests in tests/.
const os = require('node:os');

module.exports = {
  // Most of a file's time is spent waiting on Postgres, Redis, a worker process or the browser: on a
  // quiet two-core machine a whole run used about 300 CPU-seconds in 364 s of two workers. Each file
  // has its own database and queue prefix, so files run side by side safely: two per core, four at
  // least. LP_JEST_WORKERS overrides it (to measure, or on a machine that is busy with other work).
  maxWorkers: Number(process.env.LP_JEST_WORKERS ?? Math.max(4, 2 * os.availableParallelism())),
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
  testSequencer: '<rootDir>/infra/jest/slow-first-sequencer.cjs',
  // Integration tests wait for real workers; nothing asserts on time, this only bounds a hang.
  testTimeout: 60_000,
};
