// `npm start`: set up (install, build, services, database, migrations), seed the demo practice, then run
// the API and a worker together. `--only api|worker` runs one of them (npm run api / npm run worker),
// so an operator can run many of each against one Redis and one Postgres.
import { defaults, log, main, root, setup, spawnNode } from './services.mjs';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const env = {
  DATABASE_URL: process.env.DATABASE_URL ?? defaults.DATABASE_URL,
  REDIS_URL: process.env.REDIS_URL ?? defaults.REDIS_URL,
  UPLOAD_DIR: process.env.UPLOAD_DIR ?? `${root}/var/uploads`,
};

await main(async () => {
  await setup({ databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL });
  const children = [];
  if (!only || only === 'api') {
    const { seedDemo, seedDemoOperator, createDb } = await import('@ledgerport/db');
    const db = createDb(env.DATABASE_URL);
    const [seed, operator] = await Promise.all([seedDemo(db), seedDemoOperator(db)]).finally(() => db.destroy());
    const port = process.env.PORT ?? '3000';
    const host = process.env.HOST ?? '127.0.0.1';
    const metricsPort = process.env.API_METRICS_PORT ?? '9464';
    children.push(
      spawnNode('apps/api/dist/main.js', { ...env, PORT: port, HOST: host, WEB_DIR: `${root}/apps/web/dist`, METRICS_PORT: metricsPort }, 'api'),
    );
    const url = `http://${host}:${port}`;
    process.stdout.write(
      `\nLedgerport is running at ${url}\n` +
        `  practice: ${seed.practice.name}; locations: ${seed.locations.map((l) => `${l.name} (${l.id})`).join(', ')}\n` +
        `  sign in on the page at ${url}/ with:\n` +
        seed.users.map((u) => `    ${u.role.padEnd(5)} ${u.email}   password: ${u.password}\n`).join('') +
        `  API tokens (for the CLI and scripts; each user makes more on the page, under Your account):\n` +
        seed.users.map((u) => `    ${u.role.padEnd(5)} token: ${u.token}   (${u.email})\n`).join('') +
        `  operator token: ${operator.token}   (${operator.operator.name}: the queue dashboard, sign in at ${url}/admin/session)\n` +
        `  metrics (Prometheus): http://${host}:${metricsPort}/metrics (API), http://127.0.0.1:${process.env.WORKER_METRICS_PORT ?? '9465'}/metrics (worker)\n` +
        `  try: curl -H "Authorization: Bearer <token>" ${url}/me\n\n`,
    );
  }
  if (!only || only === 'worker')
    children.push(spawnNode('apps/worker/dist/main.js', { ...env, METRICS_PORT: process.env.WORKER_METRICS_PORT ?? '9465' }, 'worker'));
  const stop = (signal) => {
    log(`stopping (${signal}) …`);
    for (const c of children) c.kill('SIGTERM');
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
});
