import { Router } from 'express';
import { z } from 'zod';
import { IMPORT_KINDS, NotFoundError, ValidationError, isTimeZone } from '@ledgerport/core';
import { getPracticeSettings, updatePracticeSettings, type Db } from '@ledgerport/db';
import type { AuditLog } from '../audit.js';
import { principalOf, requireAdmin } from '../auth.js';

const settingsChange = z
  .object({
    timeZone: z.string().refine(isTimeZone, 'timeZone must be a time zone name such as America/Chicago.'),
    defaultModes: z.partialRecord(z.enum(IMPORT_KINDS), z.enum(['commit', 'preview'], { error: 'A default mode is commit or preview.' })),
    massResolvePercent: z.number().int().min(0, 'massResolvePercent is 0 to 100.').max(100, 'massResolvePercent is 0 to 100.'),
    massResolveMinClaims: z.number().int().min(0, 'massResolveMinClaims is 0 or more.').max(1_000_000),
    retentionDays: z.number().int().min(1, 'retentionDays is 1 to 3,650.').max(3650, 'retentionDays is 1 to 3,650.'),
  })
  .partial()
  .strict();

/** The practice's settings: every user reads them (the page needs the time zone); administrators change them. */
export function practiceRoutes(db: Db, audit: AuditLog): Router {
  const r = Router();
  r.get('/practice/settings', async (req, res) => {
    const p = principalOf(req);
    const s = await getPracticeSettings(db, p.practiceId);
    if (!s) throw new NotFoundError('Your practice was not found.');
    res.json(s);
  });
  r.patch('/practice/settings', audit.route('practice.settings.update', 'practice', null), async (req, res) => {
    const admin = requireAdmin(req);
    const c = settingsChange.safeParse(req.body ?? {});
    if (!c.success) throw new ValidationError('bad_request', c.error.issues.map((i) => i.message).join(' '));
    await updatePracticeSettings(db, admin.practiceId, c.data);
    res.json(await getPracticeSettings(db, admin.practiceId));
  });
  return r;
}
