import { daysBetween } from '../dates.js';

export type AgingBucket = '0-30' | '31-60' | '61-90' | '91-120' | '120+';

/** The aging column a claim falls in on the report date; a service date after it counts as current. */
export function agingBucket(dateOfService: string, reportDate: string): AgingBucket {
  const days = daysBetween(dateOfService, reportDate);
  if (days <= 30) return '0-30';
  if (days <= 60) return '31-60';
  if (days <= 90) return '61-90';
  if (days <= 120) return '91-120';
  return '120+';
}
