import { getHeapStatistics } from 'node:v8';
import { ConfigError, loadWorkerConfig } from './config.js';
import { createLogger } from './logger.js';
import { applyWorkerNice } from './priority.js';
import { startImportWorker } from './runtime.js';

// A hard stop after SIGTERM: the chunk in flight commits well within this.
const SHUTDOWN_TIMEOUT_MS = 10_000;

function main(): void {
  let config;
  try {
    config = loadWorkerConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  applyWorkerNice(config.WORKER_NICE, logger);
  const runtime = startImportWorker(config, logger);
  // The heap limit shows whether the worker was started with infra/node-flags.json's flags.
  const heapLimitMb = Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024);
  logger.info({ concurrency: config.WORKER_CONCURRENCY, prefix: config.QUEUE_PREFIX, heapLimitMb }, 'worker started');
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'worker shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    runtime.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main();
