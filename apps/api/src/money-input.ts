import { z } from 'zod';
import { ValidationError, parseMoney } from '@ledgerport/core';

/** An amount from a JSON body: `amountCents` (integer) or `amount` ("12.50", "$12.50", 12.5). */
export function amountFrom(body: unknown): number {
  const b = z.object({ amountCents: z.number().int().optional(), amount: z.union([z.string(), z.number()]).optional() }).safeParse(body ?? {});
  if (!b.success) throw new ValidationError('bad_amount', 'Give the amount as amountCents (a whole number of cents) or amount ("12.50").');
  let cents: number | null = b.data.amountCents ?? null;
  if (cents === null && b.data.amount !== undefined) {
    const m = parseMoney(String(b.data.amount));
    if (!m.ok) throw new ValidationError('bad_amount', m.error);
    cents = m.value;
  }
  if (cents === null) throw new ValidationError('bad_amount', 'Give the amount.');
  if (cents <= 0) throw new ValidationError('bad_amount', 'The amount must be more than zero.');
  return cents;
}
