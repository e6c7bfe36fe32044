import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, DialectName } from '../../db/index.js';
import type { QboConnectionsTable } from '../../db/tables/qbo.js';
import type { ConnectionTokenStore, EncryptedTokens, LockedConnection, StoredConnectionTokens } from './types.js';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * The refresh manager's store on the Workroom database. The lock is the database's own: a row lock
 * (SELECT … FOR UPDATE) on PostgreSQL, the single write lock (BEGIN IMMEDIATE) on SQLite; either way the
 * rotated refresh token is written in the same transaction that read the old one.
 */
export class DbConnectionTokenStore implements ConnectionTokenStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async read(connectionId: string): Promise<StoredConnectionTokens | undefined> {
    return readTokens(this.db, connectionId);
  }

  async withConnectionLock<T>(connectionId: string, fn: (locked: LockedConnection) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') {
      return this.db.transaction().execute(async (trx) => {
        await trx.selectFrom('qbo_connections').select('id').where('id', '=', connectionId).forUpdate().execute();
        return fn(this.#locked(trx, connectionId));
      });
    }
    // Kysely's SQLite transactions BEGIN DEFERRED, which lets two processes read the same old token first.
    return this.db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(this.#locked(conn, connectionId));
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn);
        throw error;
      }
    });
  }

  #locked(executor: Executor, connectionId: string): LockedConnection {
    return {
      read: () => readTokens(executor, connectionId),
      saveTokens: async (tokens: EncryptedTokens) => {
        const now = this.now().toISOString();
        await executor
          .updateTable('qbo_connections')
          .set((eb) => ({
            access_token_enc: tokens.accessTokenEnc,
            refresh_token_enc: tokens.refreshTokenEnc,
            access_token_expires_at: tokens.accessTokenExpiresAt.toISOString(),
            refresh_token_expires_at: tokens.refreshTokenExpiresAt?.toISOString() ?? null,
            token_version: eb('token_version', '+', 1),
            last_refreshed_at: now,
            updated_at: now,
          }))
          .where('id', '=', connectionId)
          .execute();
      },
      markNeedsReconnect: async (reason: string) => {
        await executor
          .updateTable('qbo_connections')
          .set({ status: 'needs_reconnect', status_reason: reason, updated_at: this.now().toISOString() })
          .where('id', '=', connectionId)
          .where('status', '=', 'connected')
          .execute();
      },
    };
  }
}

async function readTokens(executor: Executor, connectionId: string): Promise<StoredConnectionTokens | undefined> {
  const row = await executor.selectFrom('qbo_connections').selectAll().where('id', '=', connectionId).executeTakeFirst();
  return row ? toStored(row) : undefined;
}

/** A connection without tokens (disconnected) has nothing a refresher could use. */
function toStored(row: Selectable<QboConnectionsTable>): StoredConnectionTokens | undefined {
  if (row.access_token_enc === null || row.refresh_token_enc === null || row.access_token_expires_at === null) return undefined;
  return {
    connectionId: row.id,
    status: row.status,
    realmId: row.realm_id,
    environment: row.environment,
    accessTokenEnc: row.access_token_enc,
    refreshTokenEnc: row.refresh_token_enc,
    accessTokenExpiresAt: new Date(row.access_token_expires_at),
    refreshTokenExpiresAt: row.refresh_token_expires_at === null ? null : new Date(row.refresh_token_expires_at),
  };
}
