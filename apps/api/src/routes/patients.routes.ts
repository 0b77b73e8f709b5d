import { Router, type Request } from 'express';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError, formatCents, isUuid, parseIntegerId } from '@ledgerport/core';
import {
  addManualCredit,
  claimPatientId,
  drawCredit,
  findCredit,
  findPatient,
  listPatients,
  lockClaim,
  patientClaims,
  patientAccount,
  patientCredits,
  withTransaction,
} from '@ledgerport/db';
import type pg from 'pg';
import type { Db } from '@ledgerport/db';
import type { Page, PatientAccount, PatientClaim, PatientListItem } from '@ledgerport/api-client';
import { noteAudit, type AuditLog } from '../audit.js';
import { principalOf } from '../auth.js';
import { amountFrom, checkMoneyLimits } from '../money-input.js';
import { parsePaging } from '../paging.js';

/** Patients, their claim history and credits, and what staff do with credits and refunds. */
export function patientRoutes(deps: { pool: pg.Pool; db: Db; audit: AuditLog }): Router {
  const { pool, db, audit } = deps;
  const r = Router();

  const ownPatient = async (req: Request) => {
    const p = principalOf(req);
    const patient = await findPatient(pool, p.practiceId, String(req.params.id));
    if (!patient) throw new NotFoundError('There is no such patient in your practice.');
    return { p, patient };
  };

  r.get('/patients', audit.route('patients.list', 'patient', null), async (req, res) => {
    const p = principalOf(req);
    const paging = parsePaging(req.query);
    const search = typeof req.query.search === 'string' && req.query.search.trim() ? req.query.search.trim() : undefined;
    const { items, total } = await listPatients(pool, p.practiceId, { limit: paging.limit, offset: paging.offset, search });
    // Whether it was a search, never what was searched for (a patient's name).
    noteAudit(req, { detail: { page: paging.page, search: search !== undefined, count: items.length } });
    res.json({ items, total, page: paging.page, pageSize: paging.pageSize } satisfies Page<PatientListItem>);
  });

  /** A patient's page in one answer: claims, every credit, the credits applied and refunds, with totals. */
  r.get('/patients/:id', audit.route('patient.read', 'patient'), async (req, res) => {
    const { p, patient } = await ownPatient(req);
    const claims = await patientClaims(pool, p.practiceId, patient.id);
    const { credits, payments } = await patientAccount(pool, p.practiceId, patient.id);
    res.json({
      patient,
      claims: claims.map((c): PatientClaim => ({
        id: c.id,
        type: c.type,
        claimNumber: c.claimNumber,
        dateOfService: c.dateOfService,
        billedCents: c.billedCents,
        balanceCents: c.balanceCents,
        payer: c.payer,
        location: c.location,
        resolvedAt: c.resolvedAt ? c.resolvedAt.toISOString() : null,
      })),
      openBalanceCents: claims.filter((c) => !c.resolvedAt).reduce((s, c) => s + c.balanceCents, 0),
      credits: credits.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
      creditAvailableCents: credits.reduce((s, c) => s + c.remainingCents, 0),
      payments: payments.map((x) => ({ ...x, at: x.at.toISOString() })),
      appliedCents: payments.filter((x) => x.kind === 'applied_credit').reduce((s, x) => s + x.amountCents, 0),
    } satisfies PatientAccount);
  });

  r.get('/patients/:id/claims', audit.route('patient.claims.read', 'patient'), async (req, res) => {
    const { p, patient } = await ownPatient(req);
    res.json({ patient, items: await patientClaims(pool, p.practiceId, patient.id) });
  });

  r.get('/patients/:id/credits', audit.route('patient.credits.read', 'patient'), async (req, res) => {
    const { patient } = await ownPatient(req);
    res.json({ patient, ...(await patientCredits(pool, patient.id)) });
  });

  r.post('/patients/:id/credits', audit.route('patient.credit.create', 'patient'), async (req, res) => {
    const { p, patient } = await ownPatient(req);
    const amountCents = amountFrom(req.body);
    noteAudit(req, { detail: { amountCents } });
    await checkMoneyLimits(db, p, amountCents, 'credit');
    const extra = z.object({ description: z.string().max(500).optional(), reference: z.string().max(200).optional() }).safeParse(req.body ?? {});
    if (!extra.success) throw new ValidationError('bad_request', 'description and reference must be text.');
    const credit = await addManualCredit(pool, {
      practiceId: p.practiceId,
      patientId: patient.id,
      amountCents,
      description: extra.data.description ?? null,
      reference: extra.data.reference ?? null,
      createdBy: p.userId,
    });
    if (!credit) throw new ConflictError('duplicate_credit', `This patient already has a credit with reference "${extra.data.reference}".`);
    noteAudit(req, { detail: { creditId: credit.id } });
    res.status(201).json(credit);
  });

  const claimId = (req: Request) => {
    const id = parseIntegerId(req.params.id);
    if (id === null) throw new NotFoundError('There is no such claim in your practice.');
    return id;
  };

  /** Applies a patient credit to a claim: both balances go down together, never below zero. */
  r.post('/claims/:id/payments', audit.route('claim.payment.create', 'claim'), async (req, res) => {
    const p = principalOf(req);
    const id = claimId(req);
    const body = z.object({ method: z.literal('patient_credit'), creditId: z.string() }).safeParse(req.body ?? {});
    if (!body.success) throw new ValidationError('bad_request', 'Give method "patient_credit" and the creditId to apply.');
    const amountCents = amountFrom(req.body);
    noteAudit(req, { detail: { amountCents, creditId: isUuid(body.data.creditId) ? body.data.creditId : null } });
    await checkMoneyLimits(db, p, amountCents, 'payment');
    const result = await withTransaction(pool, async (client) => {
      const claim = await lockClaim(client, p.practiceId, id);
      if (!claim) throw new NotFoundError('There is no such claim in your practice.');
      const credit = await findCredit(client, p.practiceId, body.data.creditId);
      if (!credit) throw new NotFoundError('There is no such credit in your practice.');
      const patientId = await claimPatientId(client, claim);
      if (patientId !== credit.patient_id) throw new ConflictError('wrong_patient', "That credit belongs to another patient than this claim's.");
      if (amountCents > claim.balance_cents) {
        throw new ConflictError('over_balance', `The claim's balance is ${formatCents(claim.balance_cents)}; you cannot apply ${formatCents(amountCents)}.`);
      }
      if (!(await drawCredit(client, credit.id, credit.patient_id, amountCents))) {
        const left = await findCredit(client, p.practiceId, credit.id);
        throw new ConflictError('over_credit', `Only ${formatCents(left?.remaining_cents ?? 0)} remains on that credit; you cannot apply ${formatCents(amountCents)}.`);
      }
      const { rows } = await client.query<{ balance_cents: number }>(
        'update claims set balance_cents = balance_cents - $2, updated_at = now() where id = $1 returning balance_cents',
        [id, amountCents],
      );
      const pay = await client.query<{ id: string }>(
        `insert into claim_payments (claim_id, method, credit_id, amount_cents, created_by) values ($1, 'patient_credit', $2, $3, $4) returning id`,
        [id, credit.id, amountCents, p.userId],
      );
      const left = await findCredit(client, p.practiceId, credit.id);
      return { id: pay.rows[0]?.id, claimId: id, creditId: credit.id, amountCents, claimBalanceCents: rows[0]?.balance_cents, creditRemainingCents: left?.remaining_cents };
    });
    res.status(201).json(result);
  });

  /** A refund of a claim's credit balance; with asCredit it stays with the patient as a credit. */
  r.post('/claims/:id/refunds', audit.route('claim.refund.create', 'claim'), async (req, res) => {
    const p = principalOf(req);
    const id = claimId(req);
    const body = z.object({ asCredit: z.boolean().default(false), description: z.string().max(500).optional() }).safeParse(req.body ?? {});
    if (!body.success) throw new ValidationError('bad_request', 'asCredit must be true or false.');
    const amountCents = amountFrom(req.body);
    noteAudit(req, { detail: { amountCents, asCredit: body.data.asCredit } });
    await checkMoneyLimits(db, p, amountCents, 'refund');
    const result = await withTransaction(pool, async (client) => {
      const claim = await lockClaim(client, p.practiceId, id);
      if (!claim) throw new NotFoundError('There is no such claim in your practice.');
      if (claim.balance_cents >= 0 || amountCents > -claim.balance_cents) {
        throw new ConflictError(
          'over_refund',
          `Only a credit balance can be refunded; this claim's balance is ${formatCents(claim.balance_cents)}, so at most ${formatCents(Math.max(0, -claim.balance_cents))} can be refunded.`,
        );
      }
      let creditId: string | null = null;
      if (body.data.asCredit) {
        const patientId = await claimPatientId(client, claim);
        if (!patientId) throw new ConflictError('no_patient', "This claim's account number is not a patient of your practice, so the refund cannot become a credit.");
        const c = await client.query<{ id: string }>(
          `insert into patient_credits (practice_id, patient_id, amount_cents, remaining_cents, source, source_reference, description, claim_id, created_by)
           values ($1, $2, $3, $3, 'refund', 'refund:' || gen_random_uuid(), $4, $5, $6) returning id`,
          [p.practiceId, patientId, amountCents, body.data.description ?? `Refund of claim ${id}`, id, p.userId],
        );
        creditId = c.rows[0]?.id ?? null;
      }
      const { rows } = await client.query<{ balance_cents: number }>(
        'update claims set balance_cents = balance_cents + $2, updated_at = now() where id = $1 returning balance_cents',
        [id, amountCents],
      );
      const refund = await client.query<{ id: string }>(
        'insert into claim_refunds (claim_id, amount_cents, as_credit, credit_id, created_by) values ($1, $2, $3, $4, $5) returning id',
        [id, amountCents, body.data.asCredit, creditId, p.userId],
      );
      return { id: refund.rows[0]?.id, claimId: id, amountCents, asCredit: body.data.asCredit, creditId, claimBalanceCents: rows[0]?.balance_cents };
    });
    res.status(201).json(result);
  });

  return r;
}
