import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DialectName } from '../../db/index.js';
import { err, ok, type Result } from '../client/index.js';
import {
  beginKeyFileRotation,
  decryptTokens,
  encryptTokens,
  finishKeyFileRotation,
  loadOrCreateKey,
  TokenCipher,
  type KeyEnv,
} from './token-crypto.js';

export interface ReencryptReport {
  /** Connections holding tokens. */
  readonly connections: number;
  /** Of those, how many were written with an older key and are now under the current one. */
  readonly reencrypted: number;
}

export interface RotationReport extends ReencryptReport {
  /** 'file': a new key was generated into DATA_DIR/secret.key; 'env': WORKROOM_SECRET_KEY was already changed. */
  readonly mode: 'file' | 'env';
  /** The current key's id (a hash prefix, not the key). */
  readonly keyId: string;
  /** A rotation interrupted earlier was finished instead of starting a new one. */
  readonly resumed: boolean;
}

export interface UnreadableTokens {
  readonly kind: 'unreadable';
  /** Connections whose tokens none of the configured keys opens; nothing was changed. */
  readonly connectionIds: readonly string[];
}

type Executor = Kysely<Database> | Transaction<Database>;

/** One write lock over the whole table: a refresh in another process waits rather than writing an old-key envelope. */
async function withTableLock<T>(db: Kysely<Database>, dialect: DialectName, fn: (executor: Executor) => Promise<T>): Promise<T> {
  if (dialect === 'postgres') {
    return db.transaction().execute(async (trx) => {
      await sql`lock table qbo_connections in share row exclusive mode`.execute(trx);
      return fn(trx);
    });
  }
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}

class Unreadable extends Error {
  constructor(readonly connectionIds: string[]) {
    super('unreadable tokens');
  }
}

/**
 * Re-encrypts every stored token pair that is not under the cipher's current key, all in one
 * transaction: either every connection ends up under the current key, or (when some pair opens with
 * none of the keys) nothing changes and those connections are reported.
 */
export async function reencryptStoredTokens(
  db: Kysely<Database>,
  dialect: DialectName,
  cipher: TokenCipher,
): Promise<Result<ReencryptReport, UnreadableTokens>> {
  try {
    return ok(
      await withTableLock(db, dialect, async (executor) => {
        const rows = await executor
          .selectFrom('qbo_connections')
          .select(['id', 'access_token_enc', 'refresh_token_enc', 'access_token_expires_at', 'refresh_token_expires_at'])
          .where('access_token_enc', 'is not', null)
          .where('refresh_token_enc', 'is not', null)
          .execute();
        const unreadable: string[] = [];
        let reencrypted = 0;
        for (const row of rows) {
          if (row.access_token_enc === null || row.refresh_token_enc === null) continue;
          if (!cipher.needsReencryption(row.access_token_enc) && !cipher.needsReencryption(row.refresh_token_enc)) continue;
          const tokens = decryptTokens(cipher, row.id, {
            accessTokenEnc: row.access_token_enc,
            refreshTokenEnc: row.refresh_token_enc,
            accessTokenExpiresAt: new Date(row.access_token_expires_at ?? 0),
            refreshTokenExpiresAt: row.refresh_token_expires_at === null ? null : new Date(row.refresh_token_expires_at),
          });
          if (!tokens.ok) {
            unreadable.push(row.id);
            continue;
          }
          const sealed = encryptTokens(cipher, row.id, tokens.value);
          await executor
            .updateTable('qbo_connections')
            // token_version moves on, so a process holding the old envelopes re-reads before it writes.
            .set((eb) => ({ access_token_enc: sealed.accessTokenEnc, refresh_token_enc: sealed.refreshTokenEnc, token_version: eb('token_version', '+', 1) }))
            .where('id', '=', row.id)
            .execute();
          reencrypted += 1;
        }
        if (unreadable.length > 0) throw new Unreadable(unreadable);
        return { connections: rows.length, reencrypted };
      }),
    );
  } catch (error) {
    if (error instanceof Unreadable) return err({ kind: 'unreadable', connectionIds: error.connectionIds });
    throw error;
  }
}

export interface RotateOptions {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly dataDir: string;
  /** WORKROOM_SECRET_KEY (the new key) and WORKROOM_SECRET_KEY_PREVIOUS (the old ones), when keys come from the environment. */
  readonly env: KeyEnv;
}

/**
 * `workroom-qbo rotate-key`. With the generated key file, a new key replaces it and the old one is kept
 * in `secret.key.previous` until every token is re-encrypted. With WORKROOM_SECRET_KEY, the operator has
 * already set the new key there and the old one in WORKROOM_SECRET_KEY_PREVIOUS. Either way, afterwards
 * the old key is no longer needed.
 */
export async function rotateSecretKey(options: RotateOptions): Promise<Result<RotationReport, UnreadableTokens>> {
  const mode = options.env.WORKROOM_SECRET_KEY?.trim() ? 'env' : 'file';
  const { resumed } = mode === 'file' ? await beginKeyFileRotation(options.dataDir) : { resumed: false };
  const cipher = new TokenCipher(await loadOrCreateKey(options.dataDir, options.env));
  const result = await reencryptStoredTokens(options.db, options.dialect, cipher);
  if (!result.ok) return result;
  if (mode === 'file') await finishKeyFileRotation(options.dataDir);
  return ok({ ...result.value, mode, keyId: cipher.currentKeyId, resumed });
}
