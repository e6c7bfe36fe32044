import { createHash, randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { OAuthStateStore } from '../../../src/qbo/connection/oauth-state-store.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { seedOrganisation } from './seed.js';

const hash = (): string => createHash('sha256').update(randomBytes(16)).digest('hex');
const TEN_MIN = 10 * 60 * 1000;

describeEachDatabase('qbo oauth state store', (getDb) => {
  it('accepts a state once, from the session and org that started it', async () => {
    const { db } = getDb();
    const store = new OAuthStateStore(db);
    const orgId = await seedOrganisation(db);
    const owner = { orgId, userId: 'u1', sessionId: 's1' };
    const h = hash();
    const t0 = new Date();
    await store.save(h, owner, t0, new Date(t0.getTime() + TEN_MIN));

    expect(await store.consume(h, { orgId, sessionId: 's1' }, new Date(t0.getTime() + 1000))).toEqual({ ok: true, owner });
    expect(await store.consume(h, { orgId, sessionId: 's1' }, new Date(t0.getTime() + 2000))).toEqual({ ok: false, reason: 'used' });
  });

  it('refuses unknown, expired and foreign-session states', async () => {
    const { db } = getDb();
    const store = new OAuthStateStore(db);
    const orgId = await seedOrganisation(db);
    const t0 = new Date();
    const expired = hash();
    const foreign = hash();
    await store.save(expired, { orgId, userId: 'u1', sessionId: 's1' }, t0, new Date(t0.getTime() + TEN_MIN));
    await store.save(foreign, { orgId, userId: 'u1', sessionId: 's1' }, t0, new Date(t0.getTime() + TEN_MIN));

    expect(await store.consume(hash(), { orgId, sessionId: 's1' }, t0)).toEqual({ ok: false, reason: 'unknown' });
    expect(await store.consume(expired, { orgId, sessionId: 's1' }, new Date(t0.getTime() + TEN_MIN + 1))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(await store.consume(foreign, { orgId, sessionId: 's2' }, t0)).toEqual({ ok: false, reason: 'other_session' });
    // The leaked state is burnt: its rightful owner cannot use it afterwards either.
    expect(await store.consume(foreign, { orgId, sessionId: 's1' }, t0)).toEqual({ ok: false, reason: 'used' });
  });

  it('lets exactly one of two concurrent callbacks through', async () => {
    const { db } = getDb();
    const store = new OAuthStateStore(db);
    const orgId = await seedOrganisation(db);
    const h = hash();
    const t0 = new Date();
    await store.save(h, { orgId, userId: 'u1', sessionId: 's1' }, t0, new Date(t0.getTime() + TEN_MIN));
    const outcomes = await Promise.all([1, 2, 3].map(() => store.consume(h, { orgId, sessionId: 's1' }, t0)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
  });
});
