export * from './types.js';
export * from './errors.js';
export * from './format.js';
export * from './failures.js';
export * from './client.js';
export * from './fixtures.js';
export * from './receivables.types.js';
