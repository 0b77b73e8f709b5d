import { formatCents } from '../money.js';

/** How much of a location's open claims one file may close before a person must look. */
export interface ResolveLimits {
  /** a share of the location's open claims, in percent (practice setting; default 20) */
  percent: number;
  /** and more than this many claims (practice setting; default 50) */
  minClaims: number;
}

export const DEFAULT_RESOLVE_LIMITS: ResolveLimits = { percent: 20, minClaims: 50 };

export interface ResolvePlan {
  /** open claims of the location the file does not list: what closing the snapshot would resolve */
  claimsToResolve: number;
  centsToResolve: number;
  /** open claims of the location before this file */
  openClaims: number;
  /** data rows the file has that could not be read */
  rowsRejected: number;
  locationName: string;
}

export type ReviewReason = 'mass_resolve' | 'rejected_rows';

export interface Review {
  reason: ReviewReason;
  claimsToResolve: number;
  centsToResolve: number;
  openClaims: number;
  message: string;
}

function claims(n: number): string {
  return `${n.toLocaleString('en-US')} open claim${n === 1 ? '' : 's'}`;
}

/**
 * Whether closing a snapshot must wait for an administrator: a file that would resolve a large share
 * of the location's open claims (a report cut short, the wrong location, a filter left on), or one with
 * rows it could not read that would resolve anything (an unreadable row may be a claim still open).
 * Null when it may close on its own: a first import into an empty location, an ordinary nightly file.
 */
export function reviewBeforeResolving(plan: ResolvePlan, limits: ResolveLimits): Review | null {
  const { claimsToResolve: n, centsToResolve: cents, openClaims } = plan;
  if (n === 0) return null;
  const closing = `${claims(n)} of ${plan.locationName} (${formatCents(cents)})`;
  if (plan.rowsRejected > 0)
    return {
      reason: 'rejected_rows',
      claimsToResolve: n,
      centsToResolve: cents,
      openClaims,
      message:
        `This file has ${plan.rowsRejected.toLocaleString('en-US')} row${plan.rowsRejected === 1 ? '' : 's'} that could not be read, and it would mark ${closing} as resolved. ` +
        'Nothing was applied yet: an administrator must review the claims it would close and save it, or fix the file and upload it again.',
    };
  if (n > limits.minClaims && n * 100 > openClaims * limits.percent)
    return {
      reason: 'mass_resolve',
      claimsToResolve: n,
      centsToResolve: cents,
      openClaims,
      message:
        `This file would mark ${closing} as resolved: ${Math.round((n * 100) / Math.max(openClaims, 1))} % of the location's ${claims(openClaims)}. ` +
        'Nothing was applied yet: an administrator must review the claims it would close and save it, or discard it.',
    };
  return null;
}
