import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { RedisClient } from '@ledgerport/queue';
import type { Logger } from 'pino';
import { AppError, coerceError } from '@ledgerport/core';

export interface RateLimitPolicy {
  windowMs: number;
  /** requests per token per window; 0: none */
  perToken: number;
  /** requests per client address per window; 0: none */
  perIp: number;
  /** refused tokens per client address per window; past it, tokens from there are refused unread; 0: none */
  authFailuresPerIp: number;
  /** wrong passwords on the page's sign-in, counted in a window of their own; absent: none */
  signIn?: { windowMs: number; failuresPerAccount: number; failuresPerIp: number };
}

export class TooManyRequestsError extends AppError {
  constructor(message: string) {
    super('rate_limited', message, 429);
  }
}

/**
 * A fixed window per key: the first hit starts it (INCR, then PEXPIRE), so each key costs one Redis
 * round trip per request and expires by itself. The PTTL check also repairs a key whose expiry was
 * lost (a crash between INCR and PEXPIRE would otherwise count it forever). One script, so it is
 * atomic however many API processes share the Redis.
 */
const HIT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;
const HIT_SHA = createHash('sha1').update(HIT).digest('hex');

interface Count {
  count: number;
  resetMs: number;
}

/**
 * Rate limits kept in Redis, so they hold across every API process. We wrote the dozen lines above
 * rather than take a library: each limit is one EVALSHA, and the API needs no more than fixed windows.
 * When Redis cannot answer, requests are let through (and that is logged): a limiter must not turn a
 * Redis hiccup into an outage, and the API cannot enqueue imports without Redis anyway.
 */
export class RateLimiter {
  private lastWarning = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly policy: RateLimitPolicy,
    private readonly logger: Logger,
  ) {}

  /** Counts the request against its address's window; 429 past the limit. Mount before anything costly. */
  perIp() {
    return async (req: Request, res: Response, next: NextFunction) => {
      if (this.policy.perIp > 0) {
        const c = await this.hit(`ip:${clientAddress(req)}`);
        if (c && c.count > this.policy.perIp)
          refuse(res, c, 'Too many requests from your network. Wait a moment and try again.');
      }
      next();
    };
  }

  /** Counts a request against its token's window (any token, valid or not); 429 past the limit. */
  async countToken(res: Response, tokenHash: string): Promise<void> {
    if (this.policy.perToken <= 0) return;
    const c = await this.hit(`token:${tokenHash.slice(0, 32)}`);
    if (c && c.count > this.policy.perToken)
      refuse(
        res,
        c,
        'Too many requests with this API token. Wait a moment and try again; a page checking progress every second or two stays well within the limit.',
      );
  }

  /** Before a token is looked up: refuses at once when this address has had too many tokens refused. */
  async checkAuthFailures(req: Request, res: Response): Promise<void> {
    if (this.policy.authFailuresPerIp <= 0) return;
    const c = await this.peek(`authfail:${clientAddress(req)}`);
    if (c && c.count >= this.policy.authFailuresPerIp) refuse(res, c, TOO_MANY_FAILURES);
  }

  /** After a token was refused: counts it, and answers 429 instead of 401 once the limit is passed. */
  async countAuthFailure(req: Request, res: Response): Promise<void> {
    if (this.policy.authFailuresPerIp <= 0) return;
    const c = await this.hit(`authfail:${clientAddress(req)}`);
    if (c && c.count > this.policy.authFailuresPerIp) refuse(res, c, TOO_MANY_FAILURES);
  }

  /**
   * Before a password is checked: refuses at once when this email, or this address, has had too many
   * wrong passwords in the sign-in window. Counted per account so one person's password cannot be
   * guessed from many addresses, and per address so one address cannot try many accounts.
   */
  async checkSignInFailures(req: Request, res: Response, email: string): Promise<void> {
    const limits = this.policy.signIn;
    if (!limits) return;
    const checks: Array<[string, number]> = [
      [`signin:account:${accountKey(email)}`, limits.failuresPerAccount],
      [`signin:ip:${clientAddress(req)}`, limits.failuresPerIp],
    ];
    for (const [name, limit] of checks) {
      if (limit <= 0) continue;
      const c = await this.peek(name);
      if (c && c.count >= limit) refuse(res, c, TOO_MANY_PASSWORDS);
    }
  }

  /** After a wrong password: counts it against the email and the address. */
  async countSignInFailure(req: Request, email: string): Promise<void> {
    const limits = this.policy.signIn;
    if (!limits) return;
    if (limits.failuresPerAccount > 0) await this.hit(`signin:account:${accountKey(email)}`, limits.windowMs);
    if (limits.failuresPerIp > 0) await this.hit(`signin:ip:${clientAddress(req)}`, limits.windowMs);
  }

  /** A correct password clears the account's count (not the address's: that one guesser got one right proves little). */
  async clearSignInFailures(email: string): Promise<void> {
    if (!this.policy.signIn) return;
    try {
      await this.redis.del(this.key(`signin:account:${accountKey(email)}`));
    } catch (e) {
      this.warn(e);
    }
  }

  private key(name: string): string {
    return `${this.prefix}:rl:${name}`;
  }

  private async hit(name: string, windowMs = this.policy.windowMs): Promise<Count | null> {
    const key = this.key(name);
    try {
      let reply: unknown;
      try {
        reply = await this.redis.evalsha(HIT_SHA, 1, key, windowMs);
      } catch (e) {
        if (!/NOSCRIPT/.test(coerceError(e).message)) throw e;
        reply = await this.redis.eval(HIT, 1, key, windowMs);
      }
      const [count, resetMs] = reply as [number, number];
      return { count, resetMs };
    } catch (e) {
      this.warn(e);
      return null;
    }
  }

  private async peek(name: string): Promise<Count | null> {
    const key = this.key(name);
    try {
      const [count, resetMs] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
      return { count: Number(count ?? 0), resetMs: Math.max(resetMs, 0) };
    } catch (e) {
      this.warn(e);
      return null;
    }
  }

  private warn(e: unknown): void {
    // Once a minute at most: with Redis away every request would say it.
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger.warn({ err: coerceError(e) }, 'rate limits not counted: Redis did not answer');
  }
}

const TOO_MANY_FAILURES =
  'Too many sign-in attempts with tokens that are not valid from your network. Wait a while, then sign in with a valid API token.';

const TOO_MANY_PASSWORDS =
  'Too many wrong passwords. Sign-in is paused for a while to keep the account safe; wait, then try again, or ask your administrator for a reset link.';

// An email is hashed before it becomes a Redis key: the key names no one.
function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
}

function refuse(res: Response, c: Count, message: string): never {
  const seconds = Math.max(1, Math.ceil(c.resetMs / 1000));
  res.setHeader('retry-after', String(seconds));
  throw new TooManyRequestsError(`${message} (Try again in ${seconds} second${seconds === 1 ? '' : 's'}.)`);
}

/** The client's address as Express sees it through the proxies TRUST_PROXY believes. */
function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
