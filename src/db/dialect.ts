import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

export interface DatabaseConfig {
  /** postgres://… selects PostgreSQL; otherwise the embedded SQLite file is used. */
  databaseUrl?: string | undefined;
  sqlitePath?: string | undefined;
  /** PostgreSQL schema to use as search_path (tests give each run its own). */
  pgSchema?: string | undefined;
  pgPoolSize?: number | undefined;
}

const DEFAULT_SQLITE_PATH = 'data/workroom.sqlite';

export function openDatabase(config: DatabaseConfig = {}): DatabaseHandle {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config);
  return openSqlite(config.sqlitePath ?? DEFAULT_SQLITE_PATH);
}

function openSqlite(path: string): DatabaseHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets the UI read while a worker writes; busy_timeout makes writers wait instead of failing.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

function openPostgres(url: string, config: DatabaseConfig): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: config.pgPoolSize ?? 10,
    ...(config.pgSchema ? { options: `-c search_path=${quoteIdent(config.pgSchema)}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe schema name: ${name}`);
  return name;
}
