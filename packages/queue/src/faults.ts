/** Redis (the job queue) cannot be reached: nothing was queued. */
export class QueueUnavailableError extends Error {
  readonly code = 'queue_unavailable';

  constructor(message = 'Redis is not answering', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueueUnavailableError';
  }
}

/**
 * What ioredis and BullMQ throw at a command while Redis cannot be reached: no command was run, so the
 * caller may answer "try again later" rather than "something broke".
 */
const UNAVAILABLE_MESSAGES = [
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Connection is closed.',
  'Command timed out',
];

/** Read by shape, not `instanceof`: errors can come from another realm under a test runner's sandbox. */
export function isRedisUnavailable(e: unknown, depth = 0): boolean {
  if (typeof e !== 'object' || e === null || depth > 5) return false;
  const { name, message, cause } = e as { name?: unknown; message?: unknown; cause?: unknown };
  if (e instanceof QueueUnavailableError || name === 'QueueUnavailableError' || name === 'MaxRetriesPerRequestError')
    return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.includes(message)) return true;
  return isRedisUnavailable(cause, depth + 1);
}
