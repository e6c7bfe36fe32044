import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { err, ok, QboError, type Result } from '../../../src/qbo/client/index.js';
import {
  classifyTokens,
  type DecryptedTokens,
  decryptTokens,
  encryptTokens,
  RefreshManager,
  secretKey,
  TokenCipher,
  type TokenRefresher,
  UNREADABLE_REASON,
} from '../../../src/qbo/connection/index.js';
import { MemoryTokenStore } from './memory-token-store.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const originalKey = secretKey(randomBytes(32));
const cipher = new TokenCipher({ current: originalKey, previous: [] });
const CONN = 'conn-1';

function seed(store: MemoryTokenStore, overrides: Partial<DecryptedTokens> = {}): void {
  const tokens: DecryptedTokens = {
    accessToken: 'at-old',
    refreshToken: 'rt-old',
    accessTokenExpiresAt: new Date(NOW + 60_000),
    refreshTokenExpiresAt: new Date(NOW + 86_400_000),
    ...overrides,
  };
  store.rows.set(CONN, {
    connectionId: CONN,
    status: 'connected',
    realmId: '9130354123456789',
    environment: 'sandbox',
    ...encryptTokens(cipher, CONN, tokens),
  });
}

function fakeRefresher(answer: (rt: string, n: number) => Result<DecryptedTokens, QboError>, delayMs = 5) {
  const calls: string[] = [];
  const refresher: TokenRefresher = {
    async refresh(rt) {
      calls.push(rt);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return answer(rt, calls.length);
    },
  };
  return { refresher, calls };
}

const rotate = (_rt: string, n: number) =>
  ok({
    accessToken: `at-${n}`,
    refreshToken: `rt-${n}`,
    accessTokenExpiresAt: new Date(NOW + 3_600_000),
    refreshTokenExpiresAt: new Date(NOW + 100 * 86_400_000),
  });

function manager(store: MemoryTokenStore, refresher: TokenRefresher, events: string[] = []) {
  return new RefreshManager({
    store,
    cipher,
    oauth: refresher,
    now: () => NOW,
    onRefreshSuccess: ({ connectionId }) => void events.push(`ok:${connectionId}`),
    onRefreshFailed: ({ error, needsReconnect }) => void events.push(`fail:${error.code}:${needsReconnect}`),
  });
}

describe('classifyTokens', () => {
  const base = { accessToken: 'a', refreshToken: 'r', accessTokenExpiresAt: new Date(NOW + 600_000), refreshTokenExpiresAt: null };
  it('applies the skew and the refresh-token expiry', () => {
    expect(classifyTokens(base, NOW, 300_000)).toBe('valid');
    expect(classifyTokens(base, NOW, 600_000)).toBe('expiring');
    expect(classifyTokens({ ...base, accessTokenExpiresAt: new Date(NOW - 1), refreshTokenExpiresAt: new Date(NOW) }, NOW, 0)).toBe(
      'refresh_expired',
    );
    expect(classifyTokens({ ...base, refreshToken: '' }, NOW, 0)).toBe('unusable');
  });
});

describe('RefreshManager', () => {
  it('returns a valid token without refreshing or locking', async () => {
    const store = new MemoryTokenStore();
    seed(store, { accessTokenExpiresAt: new Date(NOW + 3_600_000) });
    const { refresher, calls } = fakeRefresher(rotate);
    const result = await manager(store, refresher).getAccessToken(CONN);
    expect(result).toMatchObject({ ok: true, value: { status: 'valid', accessToken: 'at-old' } });
    expect(calls).toHaveLength(0);
  });

  it('two concurrent callers with an expiring token cause exactly one refresh', async () => {
    const store = new MemoryTokenStore();
    seed(store);
    const events: string[] = [];
    const { refresher, calls } = fakeRefresher(rotate);
    const m = manager(store, refresher, events);
    const [a, b] = await Promise.all([m.getAccessToken(CONN), m.getAccessToken(CONN)]);
    expect(calls).toEqual(['rt-old']);
    expect(a).toMatchObject({ ok: true, value: { status: 'refreshed', accessToken: 'at-1' } });
    expect(b).toMatchObject({ ok: true, value: { accessToken: 'at-1' } });
    expect(events).toEqual([`ok:${CONN}`]);
    const row = store.rows.get(CONN);
    expect(row && decryptTokens(cipher, CONN, row)).toMatchObject({ ok: true, value: { accessToken: 'at-1', refreshToken: 'rt-1' } });
  });

  it('two "processes" sharing the store refresh once: the second re-reads under the lock', async () => {
    const store = new MemoryTokenStore();
    seed(store);
    const { refresher, calls } = fakeRefresher(rotate);
    const [a, b] = await Promise.all([manager(store, refresher).getAccessToken(CONN), manager(store, refresher).getAccessToken(CONN)]);
    expect(calls).toHaveLength(1);
    expect(a.ok && a.value.accessToken).toBe('at-1');
    expect(b).toMatchObject({ ok: true, value: { status: 'valid', accessToken: 'at-1' } });
  });

  it('a forced refresh after a 401 refreshes a still-valid token once, and not again if already replaced', async () => {
    const store = new MemoryTokenStore();
    seed(store, { accessTokenExpiresAt: new Date(NOW + 3_600_000) });
    const { refresher, calls } = fakeRefresher(rotate);
    const m = manager(store, refresher);
    const first = await m.getAccessToken(CONN, { forceRefresh: true, rejectedToken: 'at-old' });
    expect(first).toMatchObject({ ok: true, value: { status: 'refreshed', accessToken: 'at-1' } });
    const second = await m.getAccessToken(CONN, { forceRefresh: true, rejectedToken: 'at-old' });
    expect(second).toMatchObject({ ok: true, value: { status: 'valid', accessToken: 'at-1' } });
    expect(calls).toHaveLength(1);
  });

  it('invalid_grant marks the connection needs_reconnect and returns qbo_needs_reconnect', async () => {
    const store = new MemoryTokenStore();
    seed(store);
    const events: string[] = [];
    const { refresher } = fakeRefresher(() => err(new QboError({ code: 'qbo_auth_invalid_grant', message: 'Token invalid', qboCode: 'invalid_grant' })));
    const m = manager(store, refresher, events);
    const result = await m.getAccessToken(CONN);
    expect(result).toMatchObject({ ok: false, error: { code: 'qbo_needs_reconnect', qboCode: 'invalid_grant' } });
    expect(store.rows.get(CONN)?.status).toBe('needs_reconnect');
    expect(store.reconnectReasons).toEqual(['invalid_grant']);
    expect(events).toEqual(['fail:qbo_needs_reconnect:true']);
    expect(await m.getAccessToken(CONN)).toMatchObject({ ok: false, error: { code: 'qbo_needs_reconnect' } });
  });

  it('a transient refresh failure leaves the connection alone and is retryable', async () => {
    const store = new MemoryTokenStore();
    seed(store);
    const events: string[] = [];
    const { refresher } = fakeRefresher(() => err(new QboError({ code: 'qbo_service_unavailable', message: 'down', status: 503 })));
    const result = await manager(store, refresher, events).getAccessToken(CONN);
    expect(result).toMatchObject({ ok: false, error: { code: 'qbo_service_unavailable' } });
    expect(result.ok || result.error.retryable).toBe(true);
    expect(store.rows.get(CONN)?.status).toBe('connected');
    expect(events).toEqual(['fail:qbo_service_unavailable:false']);
  });

  it('an expired refresh token needs reconnect without calling Intuit', async () => {
    const store = new MemoryTokenStore();
    seed(store, { accessTokenExpiresAt: new Date(NOW - 1), refreshTokenExpiresAt: new Date(NOW - 1) });
    const { refresher, calls } = fakeRefresher(rotate);
    expect(await manager(store, refresher).getAccessToken(CONN)).toMatchObject({ ok: false, error: { code: 'qbo_needs_reconnect' } });
    expect(calls).toHaveLength(0);
    expect(store.reconnectReasons).toEqual(['refresh_expired']);
  });

  it('unreadable stored tokens (wrong key) need reconnect, recorded even while the access token looks fresh', async () => {
    const store = new MemoryTokenStore();
    seed(store, { accessTokenExpiresAt: new Date(NOW + 3_600_000) });
    const otherKey = new TokenCipher({ current: secretKey(randomBytes(32)), previous: [] });
    const { refresher, calls } = fakeRefresher(rotate);
    const m = new RefreshManager({ store, cipher: otherKey, oauth: refresher, now: () => NOW });
    expect(await m.getAccessToken(CONN)).toMatchObject({ ok: false, error: { code: 'qbo_needs_reconnect' } });
    expect(calls).toHaveLength(0);
    expect(store.reconnectReasons).toEqual([UNREADABLE_REASON]);
    expect(store.rows.get(CONN)?.status).toBe('needs_reconnect');
  });

  it('opens tokens sealed with a previous key during a rotation, and stores the refreshed pair under the current key', async () => {
    const store = new MemoryTokenStore();
    seed(store);
    const rotated = new TokenCipher({ current: secretKey(randomBytes(32)), previous: [originalKey] });
    const { refresher, calls } = fakeRefresher(rotate);
    const m = new RefreshManager({ store, cipher: rotated, oauth: refresher, now: () => NOW });
    expect(await m.getAccessToken(CONN)).toMatchObject({ ok: true, value: { status: 'refreshed', accessToken: 'at-1' } });
    expect(calls).toEqual(['rt-old']);
    const row = store.rows.get(CONN);
    expect(row && rotated.needsReencryption(row.refreshTokenEnc)).toBe(false);
    expect(row && decryptTokens(cipher, CONN, row).ok).toBe(false);
  });

  it('the client adapter throws the typed error', async () => {
    const store = new MemoryTokenStore();
    const { refresher } = fakeRefresher(rotate);
    const provider = manager(store, refresher).accessTokenProvider('missing');
    await expect(provider({ forceRefresh: false })).rejects.toMatchObject({ code: 'qbo_needs_reconnect' });
  });
});
