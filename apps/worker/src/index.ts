export { loadWorkerConfig, ConfigError, workbookLimits, type WorkerConfig } from './config.js';
export { startImportWorker, type WorkerRuntime } from './runtime.js';
export { reconcileImports, type ReconcileReport, type ReconcilerDeps } from './job/reconciler.js';
export { createLogger } from './logger.js';
// The row path on its own (container sniffing, decoding, CSV/XLSX reading), for tools and tests
// that measure it without a queue.
export { openRows, type RowSource, type FileRow } from './read/row-source.js';
export type { WorkbookLimits } from './read/workbook-rows.js';
