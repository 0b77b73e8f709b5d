export * from './catalog.js';
export * from './connection.js';
export * from './import-queue.js';
