import { pino } from 'pino';
import { ConfigError, loadApiConfig } from './config.js';
import { startApi } from './runtime.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadApiConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = pino({ name: 'api', level: config.LOG_LEVEL });
  const api = await startApi(config, logger);
  logger.info({ url: api.url }, 'api listening');
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'api shutting down: finishing the requests in flight');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    api.close().then(
      () => {
        logger.info('api stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
