import { Router } from 'express';
import { z } from 'zod';
import { NotFoundError, PROFILES, ValidationError, isUuid } from '@ledgerport/core';
import { createLocation, listLocations, updateLocation, type Db } from '@ledgerport/db';
import { noteAudit, type AuditLog } from '../audit.js';
import { principalOf, requireAdmin } from '../auth.js';

const name = z.string().trim().min(1, 'A location needs a name.').max(100, 'A location name is at most 100 characters.');
const aliases = z
  .array(z.string().trim().min(1).max(100), { error: 'aliases must be a list of names.' })
  .max(20, 'A location has at most 20 other names.');
const pmSystem = z
  .enum(PROFILES.map((p) => p.id) as [string, ...string[]], {
    error: `pmSystem must be one of: ${PROFILES.map((p) => p.id).join(', ')}, or null.`,
  })
  .nullable();

const newLocation = z.object({ name, aliases: aliases.default([]), pmSystem: pmSystem.default(null) });
const change = z.object({ name, aliases, pmSystem, archived: z.boolean() }).partial();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw new ValidationError('bad_request', r.error.issues.map((i) => i.message).join(' '));
  return r.data;
}

/** A practice's locations: everyone lists them; administrators add, rename, alias and archive them. */
export function locationRoutes(db: Db, audit: AuditLog): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const p = principalOf(req);
    res.json({ items: await listLocations(db, p.practiceId, { archived: req.query.archived === '1' }) });
  });
  r.post('/', audit.route('location.create', 'location', null), async (req, res) => {
    const admin = requireAdmin(req);
    const l = parse(newLocation, req.body);
    const { id } = await createLocation(db, admin.practiceId, l);
    noteAudit(req, { resourceId: id });
    res.status(201).json((await listLocations(db, admin.practiceId)).find((x) => x.id === id));
  });
  r.patch('/:id', audit.route('location.update', 'location'), async (req, res) => {
    const admin = requireAdmin(req);
    const id = String(req.params.id);
    const c = parse(change, req.body);
    if (!isUuid(id) || !(await updateLocation(db, admin.practiceId, id, c)))
      throw new NotFoundError('Your practice has no such location.');
    res.json((await listLocations(db, admin.practiceId, { archived: true })).find((x) => x.id === id));
  });
  return r;
}
