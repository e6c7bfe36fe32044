import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest, openDatabase, type DatabaseHandle, type DialectName } from '../../src/db/index.js';

export interface BenchDatabase extends DatabaseHandle {
  /** DATA_DIR (SQLite file, generated key) and, on PostgreSQL, DATABASE_URL pinned to the private schema. */
  readonly env: Readonly<Record<string, string>>;
  readonly dataDir: string;
  readonly label: string;
}

/**
 * A fresh, migrated database for one bench run: a SQLite file in a temp folder, or a private schema on the
 * PostgreSQL server (dropped at close). Child processes reach the same one through `env`.
 */
export async function openBenchDatabase(dialect: DialectName, pgUrl: string, poolSize = 10): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'workroom-bench-'));
  const removeDir = (): void => rmSync(dataDir, { recursive: true, force: true });
  if (dialect === 'sqlite') {
    const handle = openDatabase({ sqlitePath: join(dataDir, 'workroom.sqlite') });
    await migrateToLatest(handle.db);
    return {
      ...handle,
      env: { DATA_DIR: dataDir },
      dataDir,
      label: 'SQLite',
      close: async () => {
        await handle.close();
        removeDir();
      },
    };
  }
  const schema = `bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(pgUrl, `create schema ${schema}`);
  const url = withSearchPath(pgUrl, schema);
  const handle = openDatabase({ databaseUrl: url, pgPoolSize: poolSize });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    env: { DATA_DIR: dataDir, DATABASE_URL: url },
    dataDir,
    label: 'PostgreSQL',
    close: async () => {
      await handle.close();
      await adminQuery(pgUrl, `drop schema if exists ${schema} cascade`);
      removeDir();
    },
  };
}

/**
 * node-postgres reads `options` from the URL, so every process that gets this URL uses the schema. Encoded by
 * hand: URLSearchParams would write the space as "+", which pg-connection-string does not decode.
 */
export function withSearchPath(pgUrl: string, schema: string): string {
  const [base, query = ''] = pgUrl.split('?');
  const params = query.split('&').filter((p) => p !== '' && !p.startsWith('options='));
  params.push(`options=${encodeURIComponent(`-c search_path=${schema}`)}`);
  return `${base ?? pgUrl}?${params.join('&')}`;
}

async function adminQuery(pgUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Whether PostgreSQL answers, with a one-line reason when not. */
export async function probePostgres(pgUrl: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `PostgreSQL at ${new URL(pgUrl).host} unreachable: ${(err as Error).message}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}
