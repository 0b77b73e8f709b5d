import { Router } from 'express';
import { z } from 'zod';
import type { PracticeSettings } from '@ledgerport/api-client';
import { IMPORT_KINDS, NotFoundError, ValidationError, formatCents, isTimeZone } from '@ledgerport/core';
import { getPracticeSettings, updatePracticeSettings, type Db } from '@ledgerport/db';
import { noteAudit, type AuditLog } from '../audit.js';
import { principalOf, requireAdmin } from '../auth.js';

// The money limits guard against typos of a few extra digits: a ceiling above any real single
// credit or refund keeps an administrator's own typo here from switching the guard off.
const MONEY_CEILING_CENTS = 100_000_000;

const settingsChange = z
  .object({
    timeZone: z.string().refine(isTimeZone, 'timeZone must be a time zone name such as America/Chicago.'),
    defaultModes: z.partialRecord(z.enum(IMPORT_KINDS), z.enum(['commit', 'preview'], { error: 'A default mode is commit or preview.' })),
    massResolvePercent: z.number().int().min(0, 'massResolvePercent is 0 to 100.').max(100, 'massResolvePercent is 0 to 100.'),
    massResolveMinClaims: z.number().int().min(0, 'massResolveMinClaims is 0 or more.').max(1_000_000),
    retentionDays: z.number().int().min(1, 'retentionDays is 1 to 3,650.').max(3650, 'retentionDays is 1 to 3,650.'),
    approvalThresholdCents: z
      .number({ error: 'approvalThresholdCents is a whole number of cents.' })
      .int('approvalThresholdCents is a whole number of cents.')
      .min(0, 'approvalThresholdCents is 0 or more.')
      .max(MONEY_CEILING_CENTS, 'approvalThresholdCents is at most $1,000,000.00.'),
    maxManualAmountCents: z
      .number({ error: 'maxManualAmountCents is a whole number of cents.' })
      .int('maxManualAmountCents is a whole number of cents.')
      .min(1, 'maxManualAmountCents is more than zero.')
      .max(MONEY_CEILING_CENTS, 'maxManualAmountCents is at most $1,000,000.00.'),
  })
  .partial()
  .strict();

async function settingsOf(db: Db, practiceId: string): Promise<PracticeSettings> {
  const s = await getPracticeSettings(db, practiceId);
  if (!s) throw new NotFoundError('Your practice was not found.');
  return s;
}

/** The practice's settings: every user reads them (the page needs the time zone); administrators change them. */
export function practiceRoutes(db: Db, audit: AuditLog): Router {
  const r = Router();
  r.get('/practice/settings', async (req, res) => {
    const p = principalOf(req);
    res.json((await settingsOf(db, p.practiceId)) satisfies PracticeSettings);
  });
  r.patch('/practice/settings', audit.route('practice.settings.update', 'practice', null), async (req, res) => {
    const admin = requireAdmin(req);
    const c = settingsChange.safeParse(req.body ?? {});
    if (!c.success) throw new ValidationError('bad_request', c.error.issues.map((i) => i.message).join(' '));
    const current = await settingsOf(db, admin.practiceId);
    const threshold = c.data.approvalThresholdCents ?? current.approvalThresholdCents;
    const max = c.data.maxManualAmountCents ?? current.maxManualAmountCents;
    if (threshold > max)
      throw new ValidationError(
        'bad_request',
        `The approval threshold (${formatCents(threshold)}) cannot be above the largest amount allowed (${formatCents(max)}).`,
      );
    await updatePracticeSettings(db, admin.practiceId, c.data);
    noteAudit(req, { detail: { changed: Object.keys(c.data) } });
    res.json((await settingsOf(db, admin.practiceId)) satisfies PracticeSettings);
  });
  return r;
}
