import { Router } from 'express';
import { z } from 'zod';
import { NotFoundError, PROFILES, ValidationError, isUuid } from '@ledgerport/core';
import { createLocation, listLocations, updateLocation, type Db } from '@ledgerport/db';
import type { Location } from '@ledgerport/api-client';
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

type LocationRow = Awaited<ReturnType<typeof listLocations>>[number];
const view = (l: LocationRow): Location => ({
  id: l.id,
  name: l.name,
  aliases: l.aliases,
  pmSystem: l.pmSystem,
  archivedAt: l.archivedAt ? new Date(l.archivedAt).toISOString() : null,
  lastReportDate: l.lastReportDate === null ? null : String(l.lastReportDate),
});

/** The location as the list shows it, after a change; the id was checked to be the practice's. */
async function shown(db: Db, practiceId: string, id: string): Promise<Location> {
  const l = (await listLocations(db, practiceId, { archived: true })).find((x) => x.id === id);
  if (!l) throw new NotFoundError('Your practice has no such location.');
  return view(l);
}

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
    const items = await listLocations(db, p.practiceId, { archived: req.query.archived === '1' });
    res.json({ items: items.map(view) } satisfies { items: Location[] });
  });
  r.post('/', audit.route('location.create', 'location', null), async (req, res) => {
    const admin = requireAdmin(req);
    const l = parse(newLocation, req.body);
    const { id } = await createLocation(db, admin.practiceId, l);
    noteAudit(req, { resourceId: id });
    res.status(201).json((await shown(db, admin.practiceId, id)) satisfies Location);
  });
  r.patch('/:id', audit.route('location.update', 'location'), async (req, res) => {
    const admin = requireAdmin(req);
    const id = String(req.params.id);
    const c = parse(change, req.body);
    if (!isUuid(id) || !(await updateLocation(db, admin.practiceId, id, c)))
      throw new NotFoundError('Your practice has no such location.');
    noteAudit(req, { detail: { changed: Object.keys(c) } });
    res.json((await shown(db, admin.practiceId, id)) satisfies Location);
  });
  return r;
}
