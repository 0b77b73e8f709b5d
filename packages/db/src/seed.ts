import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './connection.js';
import { hashPassword } from './passwords.js';
import type { Role } from './schema.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A fresh token whose prefix says whose it is (`lp_admin_…`, `lp_staff_…`, `lp_operator_…`). */
export function newToken(kind: Role | 'operator'): string {
  return `lp_${kind}_${randomBytes(24).toString('base64url')}`;
}

export interface SeedResult {
  practice: { id: string; name: string };
  locations: Array<{ id: string; name: string }>;
  /** `password`: the demo sign-in for the page, new on every run like the token */
  users: Array<{ id: string; role: Role; email: string; token: string; password: string }>;
}

const DEMO = {
  practice: 'Demo Eye Care',
  locations: ['Main Street', 'Riverside'],
  users: [
    { email: 'admin@demo-eye-care.test', name: 'Ada Admin', role: 'admin' as const },
    { email: 'staff@demo-eye-care.test', name: 'Sam Staff', role: 'staff' as const },
  ],
};

/**
 * Creates the demo practice, its two locations and two users. Idempotent: a second run finds them and
 * only rotates the users' demo tokens and passwords (both are stored hashed, so the old ones cannot be printed).
 */
export async function seedDemo(db: Db, opts: { practiceName?: string } = {}): Promise<SeedResult> {
  const practiceName = opts.practiceName ?? DEMO.practice;
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('practices').values({ name: practiceName }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const practice = await trx.selectFrom('practices').where('name', '=', practiceName).select(['id', 'name']).executeTakeFirstOrThrow();
    await trx
      .insertInto('locations')
      .values(DEMO.locations.map((name) => ({ practice_id: practice.id, name })))
      .onConflict((oc) => oc.columns(['practice_id', 'name']).doNothing())
      .execute();
    const locations = await trx.selectFrom('locations').where('practice_id', '=', practice.id).select(['id', 'name']).orderBy('name').execute();
    const users: SeedResult['users'] = [];
    for (const u of DEMO.users) {
      const email = opts.practiceName ? u.email.replace('demo-eye-care', slug(practiceName)) : u.email;
      await trx
        .insertInto('users')
        .values({ practice_id: practice.id, email, name: u.name, role: u.role })
        .onConflict((oc) => oc.column('email').doNothing())
        .execute();
      const user = await trx.selectFrom('users').where('email', '=', email).select(['id', 'role']).executeTakeFirstOrThrow();
      const token = newToken(user.role);
      await trx.deleteFrom('api_tokens').where('user_id', '=', user.id).where('label', '=', 'demo').execute();
      await trx.insertInto('api_tokens').values({ user_id: user.id, token_hash: hashToken(token), label: 'demo' }).execute();
      const password = `demo-${randomBytes(9).toString('base64url')}`;
      await trx
        .updateTable('users')
        .set({ password_hash: await hashPassword(password), password_set_at: new Date() })
        .where('id', '=', user.id)
        .execute();
      users.push({ id: user.id, role: user.role, email, token, password });
    }
    return { practice, locations, users };
  });
}

const DEMO_OPERATOR = 'Demo operator';

/**
 * The operator `npm start` prints a token for, to open the queue dashboard. Idempotent like seedDemo:
 * a second run rotates its demo token.
 */
export async function seedDemoOperator(db: Db): Promise<{ operator: { id: string; name: string }; token: string }> {
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('operators').values({ name: DEMO_OPERATOR }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const operator = await trx.selectFrom('operators').where('name', '=', DEMO_OPERATOR).select(['id', 'name']).executeTakeFirstOrThrow();
    const token = newToken('operator');
    await trx.deleteFrom('operator_tokens').where('operator_id', '=', operator.id).where('label', '=', 'demo').execute();
    await trx.insertInto('operator_tokens').values({ operator_id: operator.id, token_hash: hashToken(token), label: 'demo' }).execute();
    return { operator, token };
  });
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
