import type { QboEnvironment } from '../client/index.js';

export type ConnectionStatus = 'connected' | 'needs_reconnect' | 'disconnected';

/** Plaintext tokens: exist only in memory, never in a row, a log line or an API response. */
export interface DecryptedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accessTokenExpiresAt: Date;
  /** Intuit's rolling refresh-token expiry when it told us; null when unknown. */
  readonly refreshTokenExpiresAt: Date | null;
}

/** The token columns as stored: ciphertext envelopes from token-crypto, never plaintext. */
export interface EncryptedTokens {
  readonly accessTokenEnc: string;
  readonly refreshTokenEnc: string;
  readonly accessTokenExpiresAt: Date;
  readonly refreshTokenExpiresAt: Date | null;
}

export interface StoredConnectionTokens extends EncryptedTokens {
  readonly connectionId: string;
  readonly status: ConnectionStatus;
  readonly realmId: string;
  readonly environment: QboEnvironment;
}

/** Operations allowed while holding a connection's lock; all of them run inside that lock. */
export interface LockedConnection {
  /** Re-read under the lock: another process may have refreshed while we waited. */
  read(): Promise<StoredConnectionTokens | undefined>;
  /** Persist the rotated pair before the lock is released, so the old refresh token is never needed again. */
  saveTokens(tokens: EncryptedTokens): Promise<void>;
  markNeedsReconnect(reason: string): Promise<void>;
}

/**
 * The persistence the refresh manager needs, and nothing more. The database implementation takes a row
 * lock (SELECT … FOR UPDATE on PostgreSQL, a write transaction on SQLite) for `withConnectionLock`.
 */
export interface ConnectionTokenStore {
  read(connectionId: string): Promise<StoredConnectionTokens | undefined>;
  withConnectionLock<T>(connectionId: string, fn: (locked: LockedConnection) => Promise<T>): Promise<T>;
}
