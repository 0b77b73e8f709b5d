// `npm run operator -- create --name "Ann Example"`: an operator (someone who runs Ledgerport and opens
// the queue dashboard; no practice's user) and its token. The token is printed once: only its hash
// is stored, so a lost token means a new operator.
import { parseArgs } from 'node:util';
import { defaults, main, setup, SetupError } from './services.mjs';

const USAGE = 'usage: npm run operator -- create --name "<name>" [--json]';
const databaseUrl = process.env.DATABASE_URL ?? defaults.DATABASE_URL;

await main(async () => {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { name: { type: 'string' }, json: { type: 'boolean' } } });
  } catch (e) {
    throw new SetupError(`${e.message}\n${USAGE}`);
  }
  const [command] = parsed.positionals;
  const name = parsed.values.name?.trim();
  if (command !== 'create' || parsed.positionals.length !== 1 || !name) throw new SetupError(USAGE);
  await setup({ databaseUrl, redisUrl: process.env.REDIS_URL ?? defaults.REDIS_URL });
  const { createOperator, createDb } = await import('@ledgerport/db');
  const db = createDb(databaseUrl);
  const created = await createOperator(db, name).finally(() => db.destroy());
  if (!created) throw new SetupError(`An operator named "${name}" already exists; choose another name.`);
  if (parsed.values.json) {
    process.stdout.write(JSON.stringify({ operator: created.operator, token: created.token }) + '\n');
  } else {
    process.stdout.write(
      `operator: ${created.operator.name} (${created.operator.id})\n` +
        `token: ${created.token}\n` +
        `Keep the token now: it is not shown again. Sign in to the queue dashboard at /admin/session with it.\n`,
    );
  }
});
