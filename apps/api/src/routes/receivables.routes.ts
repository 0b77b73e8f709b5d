import { Router, type Request } from 'express';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError, csvLine, formatCents, isUuid, parseIntegerId } from '@ledgerport/core';
import {
  claimWithHistory,
  findLocation,
  listLocationClaims,
  listPayers,
  locationTotals,
  mergePayers,
  setPayerStatus,
  streamLocationClaims,
  withTransaction,
  type ClaimFigures,
  type ClaimFilter,
  type ClaimListItem,
  type Db,
  type PayerRow,
} from '@ledgerport/db';
import type pg from 'pg';
import type {
  ClaimDetail,
  ClaimListItem as ClaimItem,
  ClaimState,
  ClaimTotals,
  ClaimsPage,
  Payer,
  PayerMerged,
} from '@ledgerport/api-client';
import { noteAudit, type AuditLog } from '../audit.js';
import { principalOf, requireAdmin } from '../auth.js';
import { parsePaging } from '../paging.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Dates are YYYY-MM-DD.');
const filterQuery = z.object({
  status: z.enum(['open', 'resolved', 'all'], { error: 'status must be open, resolved or all.' }).default('open'),
  payerId: z.coerce.number().int().positive().optional(),
  bucket: z.enum(['0-30', '31-60', '61-90', '91-120', '120+'], { error: 'bucket must be 0-30, 31-60, 61-90, 91-120 or 120+.' }).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  search: z.string().trim().min(1).max(100).optional(),
});

function filterOf(query: unknown): ClaimFilter {
  const r = filterQuery.safeParse(query);
  if (!r.success) throw new ValidationError('bad_filter', r.error.issues.map((i) => i.message).join(' '));
  const { status, ...rest } = r.data;
  const f: ClaimFilter = { status };
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) Object.assign(f, { [k]: v });
  return f;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const claimItem = (c: ClaimListItem): ClaimItem => ({ ...c, resolvedAt: iso(c.resolvedAt) });
const claimState = (f: ClaimFigures): ClaimState => ({ ...f, resolvedAt: iso(f.resolvedAt) });
const payer = (p: PayerRow): Payer => ({ ...p, createdAt: p.createdAt.toISOString() });

const positiveId = (raw: unknown, what: string): number => {
  const id = parseIntegerId(raw);
  if (id === null) throw new NotFoundError(`There is no such ${what} in your practice.`);
  return id;
};

/**
 * The receivables a practice's imports built: a location's claims (filtered, totalled, exported),
 * each claim's history, and the payer list (status, merging two that are one).
 */
export function receivablesRoutes(db: Db, pool: pg.Pool, audit: AuditLog): Router {
  const r = Router();

  const ownLocation = async (req: Request) => {
    const p = principalOf(req);
    const id = String(req.params.id);
    const location = isUuid(id) ? await findLocation(db, p.practiceId, id) : undefined;
    if (!location) throw new NotFoundError('Your practice has no such location.');
    return { p, location };
  };

  r.get('/locations/:id/claims', audit.route('location.claims.read', 'location'), async (req, res) => {
    const { p, location } = await ownLocation(req);
    const paging = parsePaging(req.query);
    const list = await listLocationClaims(pool, p.practiceId, location.id, filterOf(req.query), paging);
    res.json({
      location: { id: location.id, name: location.name },
      items: list.items.map(claimItem),
      total: list.total,
      balanceCents: list.balanceCents,
      page: paging.page,
      pageSize: paging.pageSize,
    } satisfies ClaimsPage);
  });

  r.get('/locations/:id/claims/totals', audit.route('location.claims.totals.read', 'location'), async (req, res) => {
    const { p, location } = await ownLocation(req);
    res.json({
      location: { id: location.id, name: location.name },
      ...(await locationTotals(pool, p.practiceId, location.id)),
    } satisfies ClaimTotals);
  });

  r.get('/locations/:id/claims.csv', audit.route('location.claims.export', 'location'), async (req, res) => {
    const { p, location } = await ownLocation(req);
    const filter = filterOf(req.query);
    const name = location.name.replace(/[^\w.-]+/g, '_');
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${name}-${filter.status}-claims.csv"`);
    res.write(
      '\ufeff' +
        csvLine(['Claim Number', 'Patient Name', 'Patient Account', 'Payer', 'Date of Service', 'Billed', 'Balance', 'Aging', 'Resolved']),
    );
    for await (const batch of streamLocationClaims(pool, p.practiceId, location.id, filter)) {
      let chunk = '';
      for (const c of batch)
        chunk += csvLine([
          c.claimNumber,
          c.patientName,
          c.patientAccount,
          c.payer,
          c.dateOfService,
          c.billedCents === null ? '' : formatCents(c.billedCents),
          formatCents(c.balanceCents),
          c.agingBucket,
          c.resolvedAt ? c.resolvedAt.toISOString().slice(0, 10) : '',
        ]);
      res.write(chunk);
    }
    res.end();
  });

  r.get('/claims/:id', audit.route('claim.read', 'claim'), async (req, res) => {
    const p = principalOf(req);
    const found = await claimWithHistory(pool, p.practiceId, positiveId(req.params.id, 'claim'));
    if (!found) throw new NotFoundError('There is no such claim in your practice.');
    res.json({
      claim: { ...found.claim, resolvedAt: iso(found.claim.resolvedAt) },
      history: found.history.map((e) => ({
        ...e,
        at: iso(e.at),
        before: e.before ? claimState(e.before) : null,
        after: claimState(e.after),
      })),
    } satisfies ClaimDetail);
  });

  r.get('/payers', audit.route('payers.list', 'payer', null), async (req, res) => {
    const p = principalOf(req);
    res.json({ items: (await listPayers(pool, p.practiceId)).map(payer) } satisfies { items: Payer[] });
  });

  r.patch('/payers/:id', audit.route('payer.update', 'payer'), async (req, res) => {
    const admin = requireAdmin(req);
    const payerId = positiveId(req.params.id, 'payer');
    const body = z.object({ status: z.enum(['Active', 'Inactive'], { error: 'status must be Active or Inactive.' }) }).safeParse(req.body ?? {});
    if (!body.success) throw new ValidationError('bad_request', body.error.issues.map((i) => i.message).join(' '));
    if (!(await setPayerStatus(pool, admin.practiceId, payerId, body.data.status)))
      throw new NotFoundError('There is no such payer in your practice.');
    const updated = (await listPayers(pool, admin.practiceId)).find((x) => x.id === payerId);
    if (!updated) throw new NotFoundError('There is no such payer in your practice.');
    noteAudit(req, { detail: { status: body.data.status } });
    res.json(payer(updated) satisfies Payer);
  });

  /** Two payers that are one: the claims of this one move to `into`, and later files naming it get `into`. */
  r.post('/payers/:id/merge', audit.route('payer.merge', 'payer'), async (req, res) => {
    const admin = requireAdmin(req);
    const from = positiveId(req.params.id, 'payer');
    const body = z.object({ into: z.coerce.number().int().positive() }).safeParse(req.body ?? {});
    if (!body.success) throw new ValidationError('bad_request', 'Say which payer to merge into: {"into": <payer id>}.');
    if (body.data.into === from) throw new ConflictError('same_payer', 'A payer cannot be merged into itself.');
    const moved = await withTransaction(pool, (client) => mergePayers(client, admin.practiceId, from, body.data.into));
    if (moved < 0) throw new NotFoundError('There is no such payer in your practice.');
    noteAudit(req, { detail: { into: body.data.into, claimsMoved: moved } });
    res.json({ mergedInto: body.data.into, claimsMoved: moved } satisfies PayerMerged);
  });

  return r;
}
