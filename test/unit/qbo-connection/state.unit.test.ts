import { describe, expect, it } from 'vitest';
import {
  consumeOAuthState,
  hashState,
  InMemoryOAuthStateStore,
  issueOAuthState,
  OAUTH_STATE_TTL_MS,
} from '../../../src/qbo/connection/index.js';

const owner = { orgId: 'org-1', userId: 'user-1', sessionId: 'sess-1' };
const caller = { orgId: 'org-1', sessionId: 'sess-1' };
const t0 = new Date('2025-01-01T00:00:00Z');

describe('OAuth state', () => {
  it('is random, stored only as a hash, and accepted once for its own session and org', async () => {
    const store = new InMemoryOAuthStateStore();
    const saved: string[] = [];
    const spy = { save: (...args: Parameters<typeof store.save>) => (saved.push(args[0]), store.save(...args)), consume: store.consume.bind(store) };
    const state = await issueOAuthState(spy, owner, t0);
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await issueOAuthState(spy, owner, t0)).not.toBe(state);
    expect(saved[0]).toBe(hashState(state));
    expect(saved).not.toContain(state);

    expect(await consumeOAuthState(spy, state, caller, t0)).toEqual({ ok: true, value: owner });
    expect(await consumeOAuthState(spy, state, caller, t0)).toEqual({ ok: false, error: 'used' });
  });

  it('expires after 10 minutes', async () => {
    const store = new InMemoryOAuthStateStore();
    const state = await issueOAuthState(store, owner, t0);
    const late = new Date(t0.getTime() + OAUTH_STATE_TTL_MS);
    expect(await consumeOAuthState(store, state, caller, late)).toEqual({ ok: false, error: 'expired' });
  });

  it('refuses another session or org, and burns the state', async () => {
    const store = new InMemoryOAuthStateStore();
    const state = await issueOAuthState(store, owner, t0);
    expect(await consumeOAuthState(store, state, { orgId: 'org-1', sessionId: 'sess-2' }, t0)).toEqual({
      ok: false,
      error: 'other_session',
    });
    expect(await consumeOAuthState(store, state, caller, t0)).toEqual({ ok: false, error: 'used' });
    const other = await issueOAuthState(store, owner, t0);
    expect(await consumeOAuthState(store, other, { orgId: 'org-2', sessionId: 'sess-1' }, t0)).toEqual({
      ok: false,
      error: 'other_session',
    });
  });

  it('refuses unknown and missing states', async () => {
    const store = new InMemoryOAuthStateStore();
    expect(await consumeOAuthState(store, 'forged', caller, t0)).toEqual({ ok: false, error: 'unknown' });
    expect(await consumeOAuthState(store, undefined, caller, t0)).toEqual({ ok: false, error: 'missing' });
  });
});
