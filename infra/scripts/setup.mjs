// `npm run setup`: only the set-up steps (install, build, services, database, migrations).
import { defaults, main, setup } from './services.mjs';

await main(() =>
  setup({ databaseUrl: process.env.DATABASE_URL ?? defaults.DATABASE_URL, redisUrl: process.env.REDIS_URL ?? defaults.REDIS_URL }),
);
