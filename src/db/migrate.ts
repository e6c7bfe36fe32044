import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index.js';

// Migrations are imported statically (not read from a folder) so tsx, vitest and a bundle all see the same set.
const provider = {
  getMigrations: (): Promise<Record<string, Migration>> => Promise.resolve(migrations),
};

export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrationResultSet> {
  // Migrations only touch the schema, so the typed handle is used untyped here.
  const untyped = db as Kysely<unknown>;
  // Kysely looks for its bookkeeping tables in every schema unless told which; on a PostgreSQL shared by several
  // schemas (parallel test files) it would find another schema's and skip creating its own.
  const schema =
    untyped.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(untyped)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({ db: untyped, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed`, { cause: result.error });
  }
  return result;
}
