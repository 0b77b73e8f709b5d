export * from './catalog.js';
export * from './connection.js';
export * from './faults.js';
export * from './import-queue.js';
export * from './metrics.js';
export * from './redis-env.js';
