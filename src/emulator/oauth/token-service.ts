import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { AccessCheck, AccessTokenVerifier } from '../contract.js';
import { INTUIT_TOKEN_POLICY, type TokenPolicy } from './policy.js';

/** One user consent: a client connected to a realm. Every token below hangs off a grant. */
interface Grant {
  id: string;
  clientId: string;
  realmId: string;
  scopes: string[];
  createdAt: number;
  hardExpiresAt: number;
  revokedAt: number | null;
  currentRefreshToken: string;
}

interface RefreshTokenRecord {
  grantId: string;
  issuedAt: number;
  expiresAt: number;
  supersededAt: number | null;
}

interface AccessTokenRecord {
  grantId: string;
  expiresAt: number;
}

interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  realmId: string;
  scopes: string[];
  expiresAt: number;
  /** Set once exchanged; a second exchange kills this grant (RFC 6749 §10.5, as Intuit does). */
  grantId: string | null;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Seconds, as the token endpoint reports them. */
  expiresIn: number;
  refreshTokenExpiresIn: number;
  refreshTokenHardExpiresIn: number;
  grant: GrantSummary;
}

/** What the control API may show about a grant: never a token value. */
export interface GrantSummary {
  grantId: string;
  clientId: string;
  realmId: string;
  scopes: string[];
  createdAt: string;
  hardExpiresAt: string;
  revoked: boolean;
}

export type TokenOutcome = { ok: true; tokens: TokenSet } | { ok: false; error: 'invalid_grant' };

export interface TokenServiceSnapshot {
  grants: Grant[];
  refreshTokens: [string, RefreshTokenRecord][];
  accessTokens: [string, AccessTokenRecord][];
}

export interface OAuthTokenServiceOptions {
  policy?: Partial<TokenPolicy>;
  /** Called after every change worth persisting (grants, tokens, revocations). */
  onChange?: () => void;
}

const BEARER = /^bearer\s+(\S+)\s*$/i;

/** Intuit's codes and refresh tokens start with `AB11`; keeping the look makes logs resemble real ones. */
function opaqueToken(prefix: string, bytes: number): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/**
 * Intuit's token lifecycle: codes, grants, access tokens and rotating refresh tokens, all timed by the
 * injected clock. Pure state; the HTTP layer maps outcomes to Intuit's responses.
 */
export class OAuthTokenService implements AccessTokenVerifier {
  readonly #clock: Clock;
  readonly #policy: Readonly<TokenPolicy>;
  #codes = new Map<string, AuthorizationCode>();
  #grants = new Map<string, Grant>();
  #refreshTokens = new Map<string, RefreshTokenRecord>();
  #accessTokens = new Map<string, AccessTokenRecord>();

  readonly #onChange: () => void;

  constructor(clock: Clock, options: OAuthTokenServiceOptions = {}) {
    this.#clock = clock;
    this.#policy = Object.freeze({ ...INTUIT_TOKEN_POLICY, ...options.policy });
    this.#onChange = options.onChange ?? (() => undefined);
  }

  get policy(): Readonly<TokenPolicy> {
    return this.#policy;
  }

  issueCode(input: { clientId: string; redirectUri: string; realmId: string; scopes: string[] }): string {
    const code = opaqueToken('AB11', 36);
    this.#codes.set(code, {
      ...input,
      expiresAt: this.#clock.now() + this.#policy.authorizationCodeLifetimeS * 1000,
      grantId: null,
    });
    return code;
  }

  exchangeCode(input: { clientId: string; code: string; redirectUri: string }): TokenOutcome {
    const record = this.#codes.get(input.code);
    if (!record || record.clientId !== input.clientId) return { ok: false, error: 'invalid_grant' };
    if (record.grantId !== null) {
      this.#revokeGrant(record.grantId);
      return { ok: false, error: 'invalid_grant' };
    }
    const now = this.#clock.now();
    if (now >= record.expiresAt || record.redirectUri !== input.redirectUri) {
      return { ok: false, error: 'invalid_grant' };
    }
    const grant: Grant = {
      id: randomUUID(),
      clientId: record.clientId,
      realmId: record.realmId,
      scopes: record.scopes,
      createdAt: now,
      hardExpiresAt: now + this.#policy.refreshTokenHardLifetimeS * 1000,
      revokedAt: null,
      currentRefreshToken: '',
    };
    this.#grants.set(grant.id, grant);
    record.grantId = grant.id;
    grant.currentRefreshToken = this.#mintRefreshToken(grant, now);
    const tokens = this.#tokenSet(grant, now);
    this.#onChange();
    return { ok: true, tokens };
  }

  refresh(input: { clientId: string; refreshToken: string }): TokenOutcome {
    const now = this.#clock.now();
    const grant = this.#liveGrantOfRefreshToken(input.refreshToken, now);
    if (!grant || grant.clientId !== input.clientId) return { ok: false, error: 'invalid_grant' };
    const current = this.#refreshTokens.get(grant.currentRefreshToken);
    if (current && now - current.issuedAt >= this.#policy.rotateRefreshTokenAfterS * 1000) {
      current.supersededAt = now;
      grant.currentRefreshToken = this.#mintRefreshToken(grant, now);
    }
    const tokens = this.#tokenSet(grant, now);
    this.#onChange();
    return { ok: true, tokens };
  }

  /**
   * Revoke endpoint: either token of a grant ends the whole grant (Intuit's "disconnect").
   * Returns false for an unknown, foreign or already revoked token.
   */
  revoke(input: { clientId: string; token: string }): boolean {
    const grantId =
      this.#refreshTokens.get(input.token)?.grantId ?? this.#accessTokens.get(input.token)?.grantId;
    const grant = grantId === undefined ? undefined : this.#grants.get(grantId);
    if (!grant || grant.clientId !== input.clientId || grant.revokedAt !== null) return false;
    this.#revokeGrant(grant.id);
    return true;
  }

  /** Control API: the user disconnected the app, or Intuit revoked the token on its side. */
  revokeRefreshToken(token: string): boolean {
    const grantId = this.#refreshTokens.get(token)?.grantId;
    if (grantId === undefined || this.#grants.get(grantId)?.revokedAt !== null) return false;
    this.#revokeGrant(grantId);
    return true;
  }

  revokeRealm(realmId: string): number {
    let count = 0;
    for (const grant of this.#grants.values()) {
      if (grant.realmId === realmId && grant.revokedAt === null) {
        this.#revokeGrant(grant.id);
        count += 1;
      }
    }
    return count;
  }

  verify(authorizationHeader: string | undefined, realmId: string): AccessCheck {
    if (authorizationHeader === undefined || authorizationHeader.trim() === '') {
      return { ok: false, reason: 'missing' };
    }
    const grant = this.grantOfAccessToken(authorizationHeader);
    if (grant === 'invalid') return { ok: false, reason: 'invalid' };
    if (grant === 'expired') return { ok: false, reason: 'expired' };
    if (grant.realmId !== realmId) return { ok: false, reason: 'wrong_realm' };
    return { ok: true, clientId: grant.clientId };
  }

  /** Resolves a `Bearer` header to its live grant (userinfo and the API both need it). */
  grantOfAccessToken(authorizationHeader: string): GrantSummary | 'invalid' | 'expired' {
    const token = BEARER.exec(authorizationHeader)?.[1];
    const record = token === undefined ? undefined : this.#accessTokens.get(token);
    const grant = record === undefined ? undefined : this.#grants.get(record.grantId);
    if (!record || !grant || grant.revokedAt !== null) return 'invalid';
    if (this.#clock.now() >= record.expiresAt) return 'expired';
    return summarize(grant);
  }

  listGrants(): GrantSummary[] {
    return [...this.#grants.values()].map(summarize);
  }

  reset(): void {
    this.#clear();
    this.#onChange();
  }

  /** Codes are left out on purpose: they live five minutes and a restart may drop them. */
  snapshot(): TokenServiceSnapshot {
    return {
      grants: [...this.#grants.values()].map((grant) => ({ ...grant })),
      refreshTokens: [...this.#refreshTokens].map(([token, record]) => [token, { ...record }]),
      accessTokens: [...this.#accessTokens].map(([token, record]) => [token, { ...record }]),
    };
  }

  restore(snapshot: TokenServiceSnapshot): void {
    this.#clear();
    for (const grant of snapshot.grants) this.#grants.set(grant.id, { ...grant });
    for (const [token, record] of snapshot.refreshTokens) this.#refreshTokens.set(token, { ...record });
    for (const [token, record] of snapshot.accessTokens) this.#accessTokens.set(token, { ...record });
  }

  #clear(): void {
    this.#codes.clear();
    this.#grants.clear();
    this.#refreshTokens.clear();
    this.#accessTokens.clear();
  }

  #liveGrantOfRefreshToken(token: string, now: number): Grant | undefined {
    const record = this.#refreshTokens.get(token);
    const grant = record === undefined ? undefined : this.#grants.get(record.grantId);
    if (!record || !grant || grant.revokedAt !== null) return undefined;
    if (now >= record.expiresAt || now >= grant.hardExpiresAt) return undefined;
    const graceMs = this.#policy.supersededRefreshTokenGraceS * 1000;
    if (record.supersededAt !== null && now >= record.supersededAt + graceMs) return undefined;
    return grant;
  }

  #mintRefreshToken(grant: Grant, now: number): string {
    const token = opaqueToken('AB11', 36);
    this.#refreshTokens.set(token, {
      grantId: grant.id,
      issuedAt: now,
      expiresAt: Math.min(now + this.#policy.refreshTokenLifetimeS * 1000, grant.hardExpiresAt),
      supersededAt: null,
    });
    return token;
  }

  #tokenSet(grant: Grant, now: number): TokenSet {
    const accessToken = opaqueToken('', 96);
    const accessExpiresAt = Math.min(now + this.#policy.accessTokenLifetimeS * 1000, grant.hardExpiresAt);
    this.#accessTokens.set(accessToken, { grantId: grant.id, expiresAt: accessExpiresAt });
    const refresh = this.#refreshTokens.get(grant.currentRefreshToken);
    const seconds = (at: number): number => Math.max(0, Math.floor((at - now) / 1000));
    return {
      accessToken,
      refreshToken: grant.currentRefreshToken,
      expiresIn: seconds(accessExpiresAt),
      refreshTokenExpiresIn: seconds(refresh?.expiresAt ?? now),
      refreshTokenHardExpiresIn: seconds(grant.hardExpiresAt),
      grant: summarize(grant),
    };
  }

  #revokeGrant(grantId: string): void {
    const grant = this.#grants.get(grantId);
    if (!grant || grant.revokedAt !== null) return;
    grant.revokedAt = this.#clock.now();
    this.#onChange();
  }
}

function summarize(grant: Grant): GrantSummary {
  return {
    grantId: grant.id,
    clientId: grant.clientId,
    realmId: grant.realmId,
    scopes: [...grant.scopes],
    createdAt: new Date(grant.createdAt).toISOString(),
    hardExpiresAt: new Date(grant.hardExpiresAt).toISOString(),
    revoked: grant.revokedAt !== null,
  };
}
