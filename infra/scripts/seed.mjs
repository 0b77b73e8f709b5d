// `npm run seed [-- --json]`: the demo practice, two locations, an admin and a staff user with tokens
// and sign-in passwords for the page (new on every run, like the tokens),
// and the demo operator with a token for the queue dashboard.
import { defaults, main, setup } from './services.mjs';

const json = process.argv.includes('--json');
const databaseUrl = process.env.DATABASE_URL ?? defaults.DATABASE_URL;

await main(async () => {
  await setup({ databaseUrl, redisUrl: process.env.REDIS_URL ?? defaults.REDIS_URL });
  const { seedDemo, seedDemoOperator, createDb } = await import('@ledgerport/db');
  const db = createDb(databaseUrl);
  const [seed, operator] = await Promise.all([seedDemo(db), seedDemoOperator(db)]).finally(() => db.destroy());
  if (json) {
    process.stdout.write(
      JSON.stringify({
        practice: seed.practice,
        locations: seed.locations,
        users: seed.users.map((u) => ({ role: u.role, email: u.email, password: u.password, token: u.token })),
        operator: { name: operator.operator.name, token: operator.token },
      }) + '\n',
    );
  } else {
    process.stdout.write(`practice: ${seed.practice.name} (${seed.practice.id})\n`);
    for (const l of seed.locations) process.stdout.write(`location: ${l.name} (${l.id})\n`);
    for (const u of seed.users) process.stdout.write(`${u.role}: ${u.email}  password: ${u.password}  token: ${u.token}\n`);
    process.stdout.write(`operator token: ${operator.token}  (${operator.operator.name}; the queue dashboard)\n`);
  }
});
