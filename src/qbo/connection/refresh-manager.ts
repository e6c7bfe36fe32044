import { type AccessTokenProvider, err, ok, QboError, type Result } from '../client/index.js';
import { decryptTokens, encryptTokens, type TokenCipher } from './token-crypto.js';
import type { ConnectionTokenStore, DecryptedTokens, LockedConnection, StoredConnectionTokens } from './types.js';

/** Refresh this long before Intuit's expiry so a token never dies mid-request. */
export const DEFAULT_REFRESH_SKEW_MS = 5 * 60 * 1000;

/** The needs-reconnect reason for stored tokens none of our keys opens (a key problem, not Intuit's). */
export const UNREADABLE_REASON = 'token_unreadable';

/** What the manager needs from the OAuth client: one refresh call. */
export interface TokenRefresher {
  refresh(refreshToken: string): Promise<Result<DecryptedTokens, QboError>>;
}

/** After cal.com's TokenStatus: decides whether a stored token can be used, refreshed, or neither. */
export type TokenStatus = 'valid' | 'expiring' | 'refresh_expired' | 'unusable';

export function classifyTokens(tokens: DecryptedTokens, now: number, skewMs: number): TokenStatus {
  if (tokens.accessToken === '' || tokens.refreshToken === '') return 'unusable';
  if (tokens.accessTokenExpiresAt.getTime() - skewMs > now) return 'valid';
  if (tokens.refreshTokenExpiresAt !== null && tokens.refreshTokenExpiresAt.getTime() <= now) return 'refresh_expired';
  return 'expiring';
}

export interface RefreshRequest {
  readonly forceRefresh?: boolean;
  /** The access token QBO just answered 401 to; if the stored one differs, someone already refreshed. */
  readonly rejectedToken?: string;
}

export interface FreshAccessToken {
  readonly status: 'valid' | 'refreshed';
  readonly accessToken: string;
  readonly expiresAt: Date;
}

export interface RefreshManagerDeps {
  readonly store: ConnectionTokenStore;
  readonly cipher: TokenCipher;
  readonly oauth: TokenRefresher;
  readonly now?: () => number;
  readonly skewMs?: number;
  readonly onRefreshSuccess?: (event: { connectionId: string; expiresAt: Date }) => void | Promise<void>;
  readonly onRefreshFailed?: (event: { connectionId: string; error: QboError; needsReconnect: boolean }) => void | Promise<void>;
}

/**
 * Single-flight token refresh per connection: callers in this process share one promise, processes share
 * the store's row lock, and whoever gets the lock re-reads before deciding, so Intuit sees one refresh
 * and the rotated refresh token is stored before anyone can use the old one again.
 */
export class RefreshManager {
  readonly #deps: Readonly<RefreshManagerDeps & { now: () => number; skewMs: number }>;
  readonly #inFlight = new Map<string, Promise<Result<FreshAccessToken, QboError>>>();

  constructor(deps: RefreshManagerDeps) {
    this.#deps = Object.freeze({ now: Date.now, skewMs: DEFAULT_REFRESH_SKEW_MS, ...deps });
  }

  async getAccessToken(connectionId: string, request: RefreshRequest = {}): Promise<Result<FreshAccessToken, QboError>> {
    if (!request.forceRefresh) {
      const row = await this.#deps.store.read(connectionId);
      const usable = this.#usable(connectionId, row);
      // A connected row whose tokens we cannot open goes on to the lock, which records it for every surface.
      if (!usable.ok && row?.status !== 'connected') return usable;
      if (usable.ok && classifyTokens(usable.value, this.#deps.now(), this.#deps.skewMs) === 'valid') {
        const { accessToken, accessTokenExpiresAt } = usable.value;
        return ok({ status: 'valid', accessToken, expiresAt: accessTokenExpiresAt });
      }
    }
    const running = this.#inFlight.get(connectionId);
    if (running !== undefined) return running;
    const flight = this.#deps.store
      .withConnectionLock(connectionId, (locked) => this.#refreshLocked(connectionId, locked, request))
      .finally(() => this.#inFlight.delete(connectionId));
    this.#inFlight.set(connectionId, flight);
    return flight;
  }

  /** Adapter for QboClient: failures become the typed QboError the client propagates. */
  accessTokenProvider(connectionId: string): AccessTokenProvider {
    return async (request) => {
      const result = await this.getAccessToken(connectionId, request);
      if (!result.ok) throw result.error;
      return result.value.accessToken;
    };
  }

  async #refreshLocked(
    connectionId: string,
    locked: LockedConnection,
    request: RefreshRequest,
  ): Promise<Result<FreshAccessToken, QboError>> {
    const row = await locked.read();
    const usable = this.#usable(connectionId, row);
    if (!usable.ok) {
      if (row?.status === 'connected') await locked.markNeedsReconnect(UNREADABLE_REASON);
      return usable;
    }
    const tokens = usable.value;
    const status = classifyTokens(tokens, this.#deps.now(), this.#deps.skewMs);
    const rejected = request.forceRefresh && (request.rejectedToken === undefined || request.rejectedToken === tokens.accessToken);
    if (status === 'valid' && !rejected) {
      return ok({ status: 'valid', accessToken: tokens.accessToken, expiresAt: tokens.accessTokenExpiresAt });
    }
    if (status === 'refresh_expired' || status === 'unusable') {
      return this.#needsReconnect(connectionId, locked, status, 'The saved QuickBooks authorization has expired');
    }

    const refreshed = await this.#deps.oauth.refresh(tokens.refreshToken);
    if (!refreshed.ok) {
      if (refreshed.error.code === 'qbo_auth_invalid_grant') {
        return this.#needsReconnect(connectionId, locked, 'invalid_grant', refreshed.error.message, refreshed.error);
      }
      await this.#deps.onRefreshFailed?.({ connectionId, error: refreshed.error, needsReconnect: false });
      return refreshed;
    }
    await locked.saveTokens(encryptTokens(this.#deps.cipher, connectionId, refreshed.value));
    await this.#deps.onRefreshSuccess?.({ connectionId, expiresAt: refreshed.value.accessTokenExpiresAt });
    return ok({ status: 'refreshed', accessToken: refreshed.value.accessToken, expiresAt: refreshed.value.accessTokenExpiresAt });
  }

  #usable(connectionId: string, row: StoredConnectionTokens | undefined): Result<DecryptedTokens, QboError> {
    if (row === undefined) return err(reconnectError('QuickBooks is not connected'));
    if (row.status !== 'connected') {
      return err(reconnectError(row.status === 'needs_reconnect' ? 'QuickBooks needs to be reconnected' : 'QuickBooks is disconnected'));
    }
    const tokens = decryptTokens(this.#deps.cipher, connectionId, row);
    if (!tokens.ok) return err(reconnectError(`The saved QuickBooks tokens cannot be read (${tokens.error})`));
    return tokens;
  }

  async #needsReconnect(
    connectionId: string,
    locked: LockedConnection,
    reason: string,
    message: string,
    cause?: QboError,
  ): Promise<Result<FreshAccessToken, QboError>> {
    await locked.markNeedsReconnect(reason);
    const error = reconnectError(message, cause);
    await this.#deps.onRefreshFailed?.({ connectionId, error, needsReconnect: true });
    return err(error);
  }
}

function reconnectError(message: string, cause?: QboError): QboError {
  return new QboError({ code: 'qbo_needs_reconnect', message, qboCode: cause?.qboCode, status: cause?.status, cause });
}
