// The whole suite: every package's unit tests and the cross-app tests in tests/.
module.exports = {
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
