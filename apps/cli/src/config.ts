import { UsageError, type ConnectionFlags } from './args.js';
import type { HelpTopic } from './help.js';

// The only module that reads the environment; main.ts hands it process.env.

export interface Connection {
  apiUrl: string;
  token: string;
}

export type Env = Record<string, string | undefined>;

/** Flags win over the environment; a missing or malformed value is a usage error naming both. */
export function resolveConnection(flags: ConnectionFlags, env: Env, topic: HelpTopic): Connection {
  const apiUrl = (flags.apiUrl ?? env.LEDGERPORT_API_URL ?? '').trim();
  const token = (flags.token ?? env.LEDGERPORT_TOKEN ?? '').trim();
  if (!apiUrl) throw new UsageError('Say where the Ledgerport API is: --api-url URL or LEDGERPORT_API_URL.', topic);
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new UsageError(`The API URL "${apiUrl}" is not a URL; it looks like https://ledgerport.example.com.`, topic);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`The API URL must start with http:// or https:// (got "${apiUrl}").`, topic);
  if (!token)
    throw new UsageError(
      'Give your API token: LEDGERPORT_TOKEN (or --token). An administrator can issue you one.',
      topic,
    );
  return { apiUrl: url.toString().replace(/\/+$/, ''), token };
}

export type ProgressStyle = 'bar' | 'lines';

/**
 * A bar on a terminal, lines otherwise. LEDGERPORT_PROGRESS=bar|lines overrides the guess (a CI log
 * that is a terminal, a terminal recorder that is not).
 */
export function progressStyle(env: Env, isTTY: boolean): ProgressStyle {
  const forced = env.LEDGERPORT_PROGRESS;
  if (forced === 'bar' || forced === 'lines') return forced;
  return isTTY && env.TERM !== 'dumb' ? 'bar' : 'lines';
}

/** Milliseconds between status polls (LEDGERPORT_POLL_MS); the default keeps the API load of a nightly batch small. */
export function pollIntervalMs(env: Env): number {
  const n = Number(env.LEDGERPORT_POLL_MS);
  return Number.isFinite(n) && n >= 50 ? n : 1000;
}

/**
 * How long `--wait` waits out an API that does not answer (LEDGERPORT_WAIT_OUTAGE_S, seconds) before
 * it exits 6; a deploy or a restart takes far less, a night's outage far more.
 */
export function outageLimitMs(env: Env): number {
  const n = Number(env.LEDGERPORT_WAIT_OUTAGE_S);
  return Number.isFinite(n) && n >= 0 && env.LEDGERPORT_WAIT_OUTAGE_S !== '' && env.LEDGERPORT_WAIT_OUTAGE_S !== undefined
    ? n * 1000
    : 600_000;
}
