// `npm run practice -- create --name "Lakeside Eye Care" --admin-email ann@lakeside.example [--admin-name "Ann Lee"]`:
// a new practice and its first administrator, with the invitation link printed for the operator to
// pass on (nobody is emailed). The administrator sets their password through it and invites the rest
// of the practice on the page. The link works once, for INVITATION_TTL_DAYS (7); its address starts
// with PUBLIC_URL (the page's address as people reach it), else http://HOST:PORT.
import { parseArgs } from 'node:util';
import { defaults, main, setup, SetupError } from './services.mjs';

const USAGE =
  'usage: npm run practice -- create --name "<practice name>" --admin-email <email> [--admin-name "<name>"] [--json]';
const databaseUrl = process.env.DATABASE_URL ?? defaults.DATABASE_URL;
const DAY_MS = 24 * 3600_000;

await main(async () => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        'admin-email': { type: 'string' },
        'admin-name': { type: 'string' },
        json: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new SetupError(`${e.message}\n${USAGE}`);
  }
  const [command] = parsed.positionals;
  const name = parsed.values.name?.trim();
  const adminEmail = parsed.values['admin-email']?.trim();
  if (command !== 'create' || parsed.positionals.length !== 1 || !name || !adminEmail) throw new SetupError(USAGE);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail))
    throw new SetupError(`"${adminEmail}" is not an email address.\n${USAGE}`);
  const adminName = parsed.values['admin-name']?.trim() || adminEmail.split('@')[0];
  const ttlDays = Number(process.env.INVITATION_TTL_DAYS ?? 7);
  const base = (
    process.env.PUBLIC_URL ?? `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? '3000'}`
  ).replace(/\/+$/, '');

  await setup({ databaseUrl, redisUrl: process.env.REDIS_URL ?? defaults.REDIS_URL });
  const { createDb, createPracticeWithAdmin, createPasswordLink } = await import('@ledgerport/db');
  const db = createDb(databaseUrl);
  const { created, link } = await (async () => {
    const created = await createPracticeWithAdmin(db, { name, adminEmail, adminName });
    if (!created.ok) return { created, link: null };
    const link = await createPasswordLink(db, {
      userId: created.admin.id,
      purpose: 'invite',
      createdBy: null,
      ttlMs: ttlDays * DAY_MS,
    });
    return { created, link };
  })().finally(() => db.destroy());
  if (!created.ok)
    throw new SetupError(
      created.reason === 'practice_taken'
        ? `A practice named "${name}" already exists; choose another name.`
        : `Someone already signs in to Ledgerport with ${adminEmail}; use another email.`,
    );
  const url = `${base}/#/set-password/${link.token}`;
  if (parsed.values.json) {
    process.stdout.write(
      JSON.stringify({ practice: created.practice, admin: created.admin, invitation: { url, expiresAt: link.expiresAt } }) + '\n',
    );
  } else {
    process.stdout.write(
      `practice: ${created.practice.name} (${created.practice.id})\n` +
        `administrator: ${created.admin.name} <${created.admin.email}>\n` +
        `invitation link: ${url}\n` +
        `Pass the link on to ${created.admin.email}: it works once, until ${link.expiresAt.toISOString()}, and nobody is emailed.\n` +
        `They set their password there and invite the rest of the practice under Users.\n`,
    );
  }
});
