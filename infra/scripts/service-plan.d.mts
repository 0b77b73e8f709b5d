// Types of service-plan.mjs for the TypeScript tests that import it.
export interface PostgresFacts {
  answers: boolean;
  local: boolean;
  embeddedDataExists: boolean;
  hasPgCtlcluster: boolean;
  hasPgCtlWithPgdata: boolean;
  hasServerBinary: boolean;
}
export type PostgresPlan =
  | { action: 'use' }
  | { action: 'start-cluster' }
  | { action: 'start-pg_ctl' }
  | { action: 'start-embedded' }
  | { action: 'fail'; reason: 'remote' | 'installed-not-startable' };
export function postgresPlan(facts: PostgresFacts): PostgresPlan;

export interface RedisFacts {
  answers: boolean;
  local: boolean;
  hasRedisServer: boolean;
}
export type RedisPlan =
  { action: 'use' } | { action: 'start' } | { action: 'fail'; reason: 'remote' | 'not-installed' };
export function redisPlan(facts: RedisFacts): RedisPlan;

export interface Machine {
  platform: string;
  hasApt: boolean;
  hasBrew: boolean;
  root: boolean;
}
export function installCommand(what: 'redis' | 'postgres', machine: Machine): string | null;
export const COMPOSE_FILE: string;
export const COMPOSE_DATABASE_URL: string;
export function redisMissingMessage(p: {
  host: string;
  port: number;
  reason: 'remote' | 'not-installed';
  install: string | null;
}): string;
export function postgresMissingMessage(p: {
  host: string;
  port: number;
  reason: 'remote' | 'installed-not-startable';
  platform: string;
}): string;
