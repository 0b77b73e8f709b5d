export { loadWorkerConfig, ConfigError, type WorkerConfig } from './config.js';
export { startImportWorker, type WorkerRuntime } from './runtime.js';
export { createLogger } from './logger.js';
