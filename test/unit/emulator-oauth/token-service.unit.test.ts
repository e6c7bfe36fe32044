import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/emulator/clock.js';
import { OAuthTokenService, type TokenServiceSnapshot, type TokenSet } from '../../../src/emulator/oauth/index.js';

const CLIENT = 'client-a';
const REDIRECT = 'http://localhost:3000/callback';
const REALM = '9130350000000001';
const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

// Frozen between advances: lifetimes are whole seconds, so a real millisecond ticking by would flip them.
class StoppedClock implements Clock {
  #nowMs = Date.UTC(2026, 0, 15, 12);

  now(): number {
    return this.#nowMs;
  }

  advance(ms: number): void {
    this.#nowMs += ms;
  }
}

let clock: StoppedClock;
let service: OAuthTokenService;

function connect(svc: OAuthTokenService = service, realmId = REALM): TokenSet {
  const code = svc.issueCode({ clientId: CLIENT, redirectUri: REDIRECT, realmId, scopes: ['com.intuit.quickbooks.accounting'] });
  const outcome = svc.exchangeCode({ clientId: CLIENT, code, redirectUri: REDIRECT });
  if (!outcome.ok) throw new Error('exchange failed');
  return outcome.tokens;
}

function refreshOk(refreshToken: string, svc: OAuthTokenService = service): TokenSet {
  const outcome = svc.refresh({ clientId: CLIENT, refreshToken });
  if (!outcome.ok) throw new Error('refresh failed');
  return outcome.tokens;
}

const bearer = (token: string): string => `Bearer ${token}`;

beforeEach(() => {
  clock = new StoppedClock();
  service = new OAuthTokenService(clock);
});

describe('authorization code', () => {
  it('is single use, and a second exchange revokes the grant the first one created', () => {
    const code = service.issueCode({ clientId: CLIENT, redirectUri: REDIRECT, realmId: REALM, scopes: [] });
    const first = service.exchangeCode({ clientId: CLIENT, code, redirectUri: REDIRECT });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(service.verify(bearer(first.tokens.accessToken), REALM)).toEqual({ ok: true, clientId: CLIENT });

    expect(service.exchangeCode({ clientId: CLIENT, code, redirectUri: REDIRECT })).toEqual({ ok: false, error: 'invalid_grant' });
    expect(service.verify(bearer(first.tokens.accessToken), REALM)).toEqual({ ok: false, reason: 'invalid' });
    expect(service.refresh({ clientId: CLIENT, refreshToken: first.tokens.refreshToken }).ok).toBe(false);
  });

  it('expires after five minutes', () => {
    const code = service.issueCode({ clientId: CLIENT, redirectUri: REDIRECT, realmId: REALM, scopes: [] });
    clock.advance(300 * SECOND);
    expect(service.exchangeCode({ clientId: CLIENT, code, redirectUri: REDIRECT })).toEqual({ ok: false, error: 'invalid_grant' });

    const fresh = service.issueCode({ clientId: CLIENT, redirectUri: REDIRECT, realmId: REALM, scopes: [] });
    clock.advance(299 * SECOND);
    expect(service.exchangeCode({ clientId: CLIENT, code: fresh, redirectUri: REDIRECT }).ok).toBe(true);
  });

  it('is bound to the client and the redirect URI', () => {
    const code = service.issueCode({ clientId: CLIENT, redirectUri: REDIRECT, realmId: REALM, scopes: [] });
    expect(service.exchangeCode({ clientId: 'other', code, redirectUri: REDIRECT }).ok).toBe(false);
    expect(service.exchangeCode({ clientId: CLIENT, code, redirectUri: `${REDIRECT}/x` }).ok).toBe(false);
    expect(service.exchangeCode({ clientId: CLIENT, code: 'AB11nonsense', redirectUri: REDIRECT }).ok).toBe(false);
  });
});

describe('access token', () => {
  it('lives exactly 3600 seconds', () => {
    const tokens = connect();
    expect(tokens.expiresIn).toBe(3600);
    clock.advance(3599 * SECOND);
    expect(service.verify(bearer(tokens.accessToken), REALM).ok).toBe(true);
    clock.advance(SECOND);
    expect(service.verify(bearer(tokens.accessToken), REALM)).toEqual({ ok: false, reason: 'expired' });
  });

  it('is bound to the realm chosen at consent', () => {
    const tokens = connect();
    expect(service.verify(bearer(tokens.accessToken), '9130350000000002')).toEqual({ ok: false, reason: 'wrong_realm' });
  });

  it('tells a missing header from a bad one', () => {
    connect();
    expect(service.verify(undefined, REALM)).toEqual({ ok: false, reason: 'missing' });
    expect(service.verify('  ', REALM)).toEqual({ ok: false, reason: 'missing' });
    expect(service.verify('Bearer not-a-token', REALM)).toEqual({ ok: false, reason: 'invalid' });
    expect(service.verify('Basic abc', REALM)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('accepts the lower-case scheme Intuit documents ("bearer")', () => {
    const tokens = connect();
    expect(service.verify(`bearer ${tokens.accessToken}`, REALM).ok).toBe(true);
  });
});

describe('refresh token rotation', () => {
  it('returns the same value within 24 hours, with a shrinking lifetime', () => {
    const tokens = connect();
    expect(tokens.refreshTokenExpiresIn).toBe(8_726_400);
    clock.advance(2 * HOUR);
    const again = refreshOk(tokens.refreshToken);
    expect(again.refreshToken).toBe(tokens.refreshToken);
    expect(again.refreshTokenExpiresIn).toBe(8_726_400 - 7200);
    expect(again.accessToken).not.toBe(tokens.accessToken);
    expect(again.expiresIn).toBe(3600);
  });

  it('rotates once the value is a day old; the superseded value then fails with invalid_grant', () => {
    const tokens = connect();
    clock.advance(DAY);
    const rotated = refreshOk(tokens.refreshToken);
    expect(rotated.refreshToken).not.toBe(tokens.refreshToken);
    expect(rotated.refreshTokenExpiresIn).toBe(8_726_400);

    expect(service.refresh({ clientId: CLIENT, refreshToken: tokens.refreshToken })).toEqual({ ok: false, error: 'invalid_grant' });
    expect(refreshOk(rotated.refreshToken).refreshToken).toBe(rotated.refreshToken);
  });

  it('keeps a superseded value alive for a configured grace and answers with the latest value', () => {
    const lenient = new OAuthTokenService(clock, { policy: { supersededRefreshTokenGraceS: 3600 } });
    const tokens = connect(lenient);
    clock.advance(DAY);
    const rotated = refreshOk(tokens.refreshToken, lenient);
    clock.advance(HOUR - SECOND);
    expect(refreshOk(tokens.refreshToken, lenient).refreshToken).toBe(rotated.refreshToken);
    clock.advance(SECOND);
    expect(lenient.refresh({ clientId: CLIENT, refreshToken: tokens.refreshToken }).ok).toBe(false);
  });

  it('is bound to its client', () => {
    const tokens = connect();
    expect(service.refresh({ clientId: 'other', refreshToken: tokens.refreshToken }).ok).toBe(false);
  });

  it('expires when unused for its lifetime (101 days on the wire, "100 days" in the docs)', () => {
    const tokens = connect();
    clock.advance(8_726_400 * SECOND);
    expect(service.refresh({ clientId: CLIENT, refreshToken: tokens.refreshToken })).toEqual({ ok: false, error: 'invalid_grant' });
  });

  it('rolls forward while used, up to the five-year hard maximum', () => {
    let current = connect();
    for (let day = 0; day < 5 * 365 - 60; day += 60) {
      clock.advance(60 * DAY);
      current = refreshOk(current.refreshToken);
    }
    expect(current.refreshTokenHardExpiresIn).toBeLessThanOrEqual(60 * 86_400);
    expect(current.refreshTokenExpiresIn).toBe(current.refreshTokenHardExpiresIn);
    clock.advance((current.refreshTokenHardExpiresIn + 1) * SECOND);
    expect(service.refresh({ clientId: CLIENT, refreshToken: current.refreshToken }).ok).toBe(false);
  });
});

describe('revocation', () => {
  it('revoking the access token ends the whole grant', () => {
    const tokens = connect();
    expect(service.revoke({ clientId: CLIENT, token: tokens.accessToken })).toBe(true);
    expect(service.verify(bearer(tokens.accessToken), REALM)).toEqual({ ok: false, reason: 'invalid' });
    expect(service.refresh({ clientId: CLIENT, refreshToken: tokens.refreshToken })).toEqual({ ok: false, error: 'invalid_grant' });
  });

  it('revoking the refresh token ends the whole grant, and a second revoke is refused', () => {
    const tokens = connect();
    expect(service.revoke({ clientId: CLIENT, token: tokens.refreshToken })).toBe(true);
    expect(service.verify(bearer(tokens.accessToken), REALM).ok).toBe(false);
    expect(service.revoke({ clientId: CLIENT, token: tokens.refreshToken })).toBe(false);
  });

  it('refuses to revoke another client’s token', () => {
    const tokens = connect();
    expect(service.revoke({ clientId: 'other', token: tokens.refreshToken })).toBe(false);
    expect(service.verify(bearer(tokens.accessToken), REALM).ok).toBe(true);
  });

  it('control: revokes every grant of a realm and leaves other realms alone', () => {
    const a1 = connect();
    const a2 = connect();
    const b = connect(service, '9130350000000002');
    expect(service.revokeRealm(REALM)).toBe(2);
    expect(service.verify(bearer(a1.accessToken), REALM).ok).toBe(false);
    expect(service.verify(bearer(a2.accessToken), REALM).ok).toBe(false);
    expect(service.verify(bearer(b.accessToken), '9130350000000002').ok).toBe(true);
  });

  it('control: revokes by refresh token', () => {
    const tokens = connect();
    expect(service.revokeRefreshToken(tokens.refreshToken)).toBe(true);
    expect(service.refresh({ clientId: CLIENT, refreshToken: tokens.refreshToken }).ok).toBe(false);
    expect(service.revokeRefreshToken('unknown')).toBe(false);
  });
});

describe('persistence', () => {
  it('a snapshot restored into a new service keeps the connection working', () => {
    const tokens = connect();
    const restored = new OAuthTokenService(clock);
    restored.restore(JSON.parse(JSON.stringify(service.snapshot())) as TokenServiceSnapshot);
    expect(restored.verify(bearer(tokens.accessToken), REALM).ok).toBe(true);
    expect(refreshOk(tokens.refreshToken, restored).refreshToken).toBe(tokens.refreshToken);
    expect(restored.listGrants()).toHaveLength(1);
    expect(JSON.stringify(restored.listGrants())).not.toContain(tokens.refreshToken);
  });
});
