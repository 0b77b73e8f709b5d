// `node infra/scripts/migrate.mjs`: creates the database named in DATABASE_URL when it is missing and
// runs the migrations, nothing else (no install, no build): what a deployment runs once before it
// starts new API and worker processes. Safe when two run at once: migrations take an advisory lock.
import { defaults, ensureDatabase, log, main, migrate } from './services.mjs';

const databaseUrl = process.env.DATABASE_URL ?? defaults.DATABASE_URL;
await main(async () => {
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  log('migrations are up to date');
});
