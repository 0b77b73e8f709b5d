import { Router, type Request } from 'express';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError, isUuid } from '@ledgerport/core';
import {
  changePracticeUser,
  createPasswordLink,
  createPracticeUser,
  findPracticeUser,
  listPracticeUsers,
  type PasswordLinkPurpose,
  type PracticeUser,
} from '@ledgerport/db';
import type { PracticeUser as ApiPracticeUser, UserWithLink } from '@ledgerport/api-client';

/** A user as the API answers it: dates as ISO text. */
const wireUser = (u: PracticeUser): ApiPracticeUser => ({
  ...u,
  createdAt: u.createdAt.toISOString(),
  lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
});
import { noteAudit } from '../audit.js';
import { requireAdmin } from '../auth.js';
import type { LinkSender } from '../link-sender.js';
import type { PeoplePolicy } from '../people/page-session.js';
import { announce, type TokenRoutesDeps } from './tokens.routes.js';

const changeBody = z
  .object({ role: z.enum(['staff', 'admin']).optional(), active: z.boolean().optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.active !== undefined);

const inviteBody = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  role: z.enum(['staff', 'admin']).default('staff'),
});

export interface UserRoutesDeps extends Omit<TokenRoutesDeps, 'policy' | 'now'> {
  people: PeoplePolicy;
  sender: LinkSender;
}

const NO_SUCH_USER = 'There is no such user in your practice.';

/**
 * The practice's users, for its admins: list them, invite one, change a role, deactivate or
 * reactivate, and give someone a new password link. A change takes effect at the user's next request
 * on every API process: page sessions read the user afresh, cached tokens are forgotten (AuthEpoch).
 */
export function userRoutes(deps: UserRoutesDeps): Router {
  const r = Router();

  /** The address people open links at: PUBLIC_URL, else the one this admin's request came to. */
  const pageUrl = (req: Request) =>
    deps.people.publicUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host') ?? ''}`;

  /** A new invitation or reset link for the user: sent when a sender can, shown to the admin always. */
  const newLink = async (req: Request, user: PracticeUser, purpose: PasswordLinkPurpose, practiceName: string) => {
    const admin = requireAdmin(req);
    const ttlMs = purpose === 'invite' ? deps.people.invitationTtlMs : deps.people.resetTtlMs;
    const { token, expiresAt } = await createPasswordLink(deps.db, {
      userId: user.id,
      purpose,
      createdBy: admin.userId,
      ttlMs,
    });
    // The secret is in the address's fragment (#…), which browsers never send to a server or a proxy's log.
    const url = `${pageUrl(req)}/#/set-password/${token}`;
    const sent = await deps.sender.send({
      to: { email: user.email, name: user.name },
      practiceName,
      purpose,
      url,
      expiresAt,
    });
    return { purpose, url, expiresAt: expiresAt.toISOString(), sent } satisfies UserWithLink['link'];
  };

  r.get('/users', deps.audit.route('users.list', 'user', null), async (req, res) => {
    const admin = requireAdmin(req);
    res.json({ items: (await listPracticeUsers(deps.db, admin.practiceId)).map(wireUser) } satisfies {
      items: ApiPracticeUser[];
    });
  });

  r.post('/users', deps.audit.route('user.invite', 'user', null), async (req, res) => {
    const admin = requireAdmin(req);
    const body = inviteBody.safeParse(req.body ?? {});
    if (!body.success)
      throw new ValidationError(
        'bad_request',
        'Give the new user’s email and name, and role "staff" or "admin" if you like (staff when left out).',
      );
    const created = await createPracticeUser(deps.db, admin.practiceId, body.data);
    if (!created.ok)
      throw new ConflictError(
        'email_taken',
        'Someone already signs in to Ledgerport with that email. Use another email, or reactivate that user if they are in your practice.',
      );
    noteAudit(req, { resourceId: created.user.id, detail: { role: created.user.role } });
    const link = await newLink(req, created.user, 'invite', admin.practiceName);
    res.status(201).json({ user: wireUser(created.user), link } satisfies UserWithLink);
  });

  r.post('/users/:id/password-link', deps.audit.route('user.password_link', 'user'), async (req, res) => {
    const admin = requireAdmin(req);
    const user = isUuid(req.params.id) ? await findPracticeUser(deps.db, admin.practiceId, req.params.id) : null;
    if (!user) throw new NotFoundError(NO_SUCH_USER);
    if (!user.active)
      throw new ConflictError(
        'user_inactive',
        `${user.name} is deactivated: reactivate them first, then make the link.`,
      );
    // Someone who never followed their invitation gets a new invitation; anyone else a reset.
    const purpose = user.hasPassword ? 'reset' : 'invite';
    noteAudit(req, { detail: { purpose } });
    res
      .status(201)
      .json({
        user: wireUser(user),
        link: await newLink(req, user, purpose, admin.practiceName),
      } satisfies UserWithLink);
  });

  r.patch('/users/:id', deps.audit.route('user.update', 'user'), async (req, res) => {
    const admin = requireAdmin(req);
    if (!isUuid(req.params.id)) throw new NotFoundError(NO_SUCH_USER);
    const body = changeBody.safeParse(req.body ?? {});
    if (!body.success)
      throw new ValidationError('bad_request', 'Send role ("staff" or "admin") and/or active (true or false).');
    const result = await changePracticeUser(deps.db, admin.practiceId, req.params.id, body.data);
    if (!result.ok) {
      if (result.reason === 'not_found') throw new NotFoundError(NO_SUCH_USER);
      throw new ConflictError(
        'last_admin',
        req.params.id === admin.userId
          ? 'You are the practice’s last active administrator, so you cannot step down or deactivate yourself. Make someone else an administrator first.'
          : 'The practice needs at least one active administrator: make someone else an administrator first.',
      );
    }
    noteAudit(req, { detail: { ...body.data } });
    await announce(deps, 'user changed');
    res.json(wireUser(result.user) satisfies ApiPracticeUser);
  });

  return r;
}
