import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { migrateToLatest, openDatabase, type DatabaseHandle, type DialectName } from '../../src/db/index.js';
import { TEST_DATABASE_URL } from './test-env.js';

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/** Only the dialects named in TEST_DIALECTS (comma-separated) run, when it is set. */
function selectedDialects(): DialectName[] {
  const filter = process.env.TEST_DIALECTS?.split(',').map((s) => s.trim());
  return DIALECTS.filter((d) => !filter || filter.includes(d));
}

export interface TestDatabase extends DatabaseHandle {
  /** For Postgres: the private schema; other processes (workers) connect with it. */
  readonly config: { databaseUrl?: string; pgSchema?: string; sqlitePath?: string };
}

/**
 * A fresh, migrated database: a private schema on PostgreSQL (so parallel runs never collide),
 * a temp file on SQLite (a file rather than :memory: so other processes can open it too).
 */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  if (dialect === 'postgres') {
    const pgSchema = `t_${suffix}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema ${pgSchema}`);
    await admin.end();
    const handle = openDatabase({ databaseUrl: TEST_DATABASE_URL, pgSchema, pgPoolSize: 5 });
    await migrateToLatest(handle.db);
    return {
      ...handle,
      config: { databaseUrl: TEST_DATABASE_URL, pgSchema },
      close: async () => {
        await handle.db.destroy();
        const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await cleanup.connect();
        await cleanup.query(`drop schema if exists ${pgSchema} cascade`);
        await cleanup.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'workroom-test-'));
  const sqlitePath = join(dir, 'test.sqlite');
  const handle = openDatabase({ sqlitePath });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    config: { sqlitePath },
    close: async () => {
      await handle.db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs the same block on SQLite and on PostgreSQL, each with its own migrated database.
 * PostgreSQL is skipped (with the global setup's one-line reason) only outside CI when unreachable.
 */
export function describeEachDatabase(name: string, body: (getDb: () => TestDatabase, dialect: DialectName) => void): void {
  for (const dialect of selectedDialects()) {
    const pgState = inject('postgres');
    const skip = dialect === 'postgres' && !pgState.available;
    const title = skip ? `${name} [postgres] (skipped: ${pgState.reason})` : `${name} [${dialect}]`;
    (skip ? describe.skip : describe)(title, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(dialect);
      });
      afterAll(async () => {
        await database?.close();
      });
      body(() => {
        if (!database) throw new Error('test database not ready');
        return database;
      }, dialect);
    });
  }
}
