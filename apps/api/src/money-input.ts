import { z } from 'zod';
import { ForbiddenError, ValidationError, formatCents, parseMoney } from '@ledgerport/core';
import { practiceMoneyLimits, type Db, type Principal } from '@ledgerport/db';

/** An amount from a JSON body: `amountCents` (integer) or `amount` ("12.50", "$12.50", 12.5). */
export function amountFrom(body: unknown): number {
  const b = z
    .object({ amountCents: z.number().int().optional(), amount: z.union([z.string(), z.number()]).optional() })
    .safeParse(body ?? {});
  if (!b.success)
    throw new ValidationError(
      'bad_amount',
      'Give the amount as amountCents (a whole number of cents) or amount ("12.50").',
    );
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

const WHAT = { credit: 'credit', payment: 'payment', refund: 'refund' } as const;

/**
 * The practice's limits on money entered by hand: nothing above its maximum (a typo of a few extra
 * digits must not become a credit), and above its approval threshold only an administrator.
 */
export async function checkMoneyLimits(
  db: Db,
  p: Principal,
  amountCents: number,
  what: keyof typeof WHAT,
): Promise<void> {
  const limits = await practiceMoneyLimits(db, p.practiceId);
  if (amountCents > limits.maxCents)
    throw new ValidationError(
      'amount_too_large',
      `${formatCents(amountCents)} is more than the ${formatCents(limits.maxCents)} a single ${WHAT[what]} may be. Check the amount; a larger one must be split or entered in your practice-management system.`,
    );
  if (amountCents > limits.approvalThresholdCents && p.role !== 'admin')
    throw new ForbiddenError(
      `A ${WHAT[what]} over ${formatCents(limits.approvalThresholdCents)} needs a practice administrator: ask one to enter this ${formatCents(amountCents)} ${WHAT[what]}.`,
    );
}
