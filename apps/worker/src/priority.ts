import { getPriority, setPriority } from 'node:os';
import type { Logger } from 'pino';

/**
 * Lowers the worker's CPU priority to `nice`. An import is background work and the API answers
 * people: on a machine running both, a progress poll waited for a core the import was holding
 * (500,000-row bench, nice 5 against 0: GET /imports/:id p95 26 ms against 33 ms, and the imports
 * themselves no slower, since Postgres, which does most of their work, then gets the cores first).
 * With cores to spare a nice value changes nothing.
 *
 * The OS may refuse (raising priority needs privilege, some containers forbid any change): the
 * worker then runs at the priority it was given, with a warning, rather than not at all.
 */
export function applyWorkerNice(nice: number, logger: Pick<Logger, 'info' | 'warn'>, pid = 0): number | null {
  try {
    setPriority(pid, nice);
    const now = getPriority(pid);
    logger.info({ nice: now }, 'worker CPU priority set');
    return now;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    logger.warn({ nice, code: typeof code === 'string' ? code : undefined }, 'the OS refused to change the worker CPU priority; running at the priority it was started with');
    return null;
  }
}
