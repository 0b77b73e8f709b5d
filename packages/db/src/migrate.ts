import { Migrator, type MigrationProvider } from 'kysely/migration';
import type { Db } from './connection.js';
import { migrations } from './migrations/index.js';

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/**
 * Applies every pending migration. kysely takes a Postgres advisory lock for the run, so two
 * processes starting at once do not race. Returns the names applied. Migrations written side by side
 * (dated the same day on two branches) may land in either order: each is independent of the others
 * of its day, so one that sorts before an applied one is still applied rather than refused.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
