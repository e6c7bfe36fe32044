import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index.js';

// Migrations are imported statically (not read from a folder) so tsx, vitest and a bundle all see the same set.
const provider = {
  getMigrations: (): Promise<Record<string, Migration>> => Promise.resolve(migrations),
};

export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrationResultSet> {
  // Migrations only touch the schema, so the typed handle is used untyped here.
  const migrator = new Migrator({ db: db as Kysely<unknown>, provider });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed`, { cause: result.error });
  }
  return result;
}
