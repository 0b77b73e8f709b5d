import type { RedisClient } from '@ledgerport/queue';

/**
 * One counter in Redis that every change to who may do what (a token revoked, a user deactivated or
 * given another role) increments after it commits. Each API process remembers, with every cached
 * token, the counter's value read before the token was looked up, and trusts the cached entry only
 * while the counter still has that value: one Redis GET per request, and a change is seen by every
 * process on its very next request.
 *
 * Why this and not the others: Redis pub/sub (or Postgres LISTEN/NOTIFY) costs nothing per request
 * but arrives after the change's response, so a request racing it still passes, and a message lost
 * while a subscriber reconnects leaves a cache stale; a version in Postgres checked per request costs
 * the very round trip the cache exists to save. Redis is already on every request's path (rate
 * limits) and a GET on it is a fraction of a millisecond.
 *
 * One counter for the whole installation rather than one per user: changes are rare (people leave,
 * tokens are revoked), and after one every process looks each token up once more.
 */
export class AuthEpoch {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
  ) {}

  /** The counter's value, or null when Redis cannot say: then nothing cached may be trusted. */
  async read(): Promise<string | null> {
    try {
      return (await this.redis.get(this.key)) ?? '0';
    } catch {
      return null;
    }
  }

  /** Tells every API process to look tokens up again. Call after the change has committed. */
  async bump(): Promise<void> {
    await this.redis.incr(this.key);
  }
}
