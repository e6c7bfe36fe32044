import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/index.js';
import { QboError } from '../../../src/qbo/client/index.js';
import { DbRealmGate } from '../../../src/qbo/sync/realm-gate.js';
import { describeEachDatabase } from '../../helpers/databases.js';

const REALM = '4620816365290212450';
const OTHER_REALM = '4620816365290212468';

/** Resolves with whether the promise settled within `ms` (to see that an acquire is still waiting). */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((r) => setTimeout(r, ms));
  return settled;
}

/** A release is written in the background; wait until it is in the table. */
async function waitForRelease(db: Kysely<Database>, realmId: string): Promise<void> {
  for (;;) {
    const open = await db.selectFrom('qbo_realm_permits').select('id').where('realm_id', '=', realmId).where('released_at', 'is', null).execute();
    if (open.length === 0) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

describeEachDatabase('realm gate across processes', (getDb, dialect) => {
  it('admits at most maxInFlight calls of a realm between two gates, and the next one when a slot frees', async () => {
    const handle = getDb();
    const other = openDatabase({ ...handle.config, pgPoolSize: 2 });
    try {
      const limits = { maxInFlight: 3, maxPerWindow: 100, windowMs: 60_000 };
      const a = new DbRealmGate({ db: handle.db, dialect, limits, holder: 'a' });
      const b = new DbRealmGate({ db: other.db, dialect, limits, holder: 'b' });
      const held = [await a.acquire(REALM, 'request'), await b.acquire(REALM, 'request'), await a.acquire(REALM, 'request')];
      const fourth = b.acquire(REALM, 'request');
      expect(await settledWithin(fourth, 150)).toBe(false);
      // Another realm has its own budget.
      const elsewhere = await b.acquire(OTHER_REALM, 'request');
      held[0]?.();
      const release = await fourth;
      const inFlight = await handle.db
        .selectFrom('qbo_realm_permits')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('realm_id', '=', REALM)
        .where('released_at', 'is', null)
        .executeTakeFirstOrThrow();
      expect(Number(inFlight.n)).toBe(3);
      for (const r of [release, held[1], held[2], elsewhere]) r?.();
    } finally {
      await other.close();
    }
  });

  it('keeps every sliding window under maxPerWindow, across two gates', async () => {
    const handle = getDb();
    const other = openDatabase({ ...handle.config, pgPoolSize: 2 });
    const realm = '9130357921644326';
    try {
      const limits = { maxInFlight: 10, maxPerWindow: 4, windowMs: 400 };
      const gates = [new DbRealmGate({ db: handle.db, dialect, limits }), new DbRealmGate({ db: other.db, dialect, limits })];
      await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const release = await gates[i % 2]!.acquire(realm, 'request');
          release();
        }),
      );
      const rows = await handle.db.selectFrom('qbo_realm_permits').select('acquired_at').where('realm_id', '=', realm).orderBy('acquired_at').execute();
      const times = rows.map((r) => Date.parse(r.acquired_at));
      expect(times).toHaveLength(10);
      for (const [i, start] of times.entries()) {
        expect(times.filter((t, j) => j >= i && t < start + limits.windowMs).length).toBeLessThanOrEqual(limits.maxPerWindow);
      }
    } finally {
      await other.close();
    }
  });

  it('counts batches against their own smaller budget, and refuses to sit out a whole minute for it', async () => {
    const { db } = getDb();
    const realm = '4620816365290212476';
    const limits = { maxInFlight: 10, maxPerWindow: 100, maxBatchesPerWindow: 2, windowMs: 60_000 };
    const gate = new DbRealmGate({ db, dialect, limits });
    (await gate.acquire(realm, 'batch'))();
    (await gate.acquire(realm, 'batch'))();
    const refused = await gate.acquire(realm, 'batch').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(QboError);
    expect(refused).toMatchObject({ code: 'qbo_rate_limited', retryable: true });
    expect((refused as QboError).retryAfterMs).toBeGreaterThan(55_000);
    // Plain requests still pass while batches wait for the window.
    (await gate.acquire(realm, 'request'))();

    // A gate allowed to wait that long admits the batch once the window has room again.
    const patient = new DbRealmGate({ db, dialect, limits, maxWindowWaitMs: 120_000 });
    const waiting = patient.acquire(realm, 'batch');
    expect(await settledWithin(waiting, 150)).toBe(false);
    await db
      .updateTable('qbo_realm_permits')
      .set({ acquired_at: '2000-01-01T00:00:00.000Z', released_at: '2000-01-01T00:00:01.000Z' })
      .where('realm_id', '=', realm)
      .where('kind', '=', 'batch')
      .execute();
    (await waiting)();
  });

  it('counts a call in the window until a window has passed since it ended, since QBO counts it when it arrives', async () => {
    const { db } = getDb();
    const realm = '4620816365290212477';
    let now = Date.parse('2026-11-25T10:00:00.000Z');
    const gate = new DbRealmGate({ db, dialect, limits: { maxPerWindow: 1, windowMs: 60_000 }, now: () => now });
    const slow = await gate.acquire(realm, 'request');
    // Granted at 10:00:00 but answered at 10:00:50: it may have reached QBO at any moment up to then.
    now += 50_000;
    slow();
    await waitForRelease(db, realm);
    now += 11_000;
    const refused = await gate.acquire(realm, 'request').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toMatchObject({ code: 'qbo_rate_limited' });
    // It waits for the minute after the answer, not after the grant.
    expect((refused as QboError).retryAfterMs).toBe(49_001);
    now += 49_001;
    (await gate.acquire(realm, 'request'))();
  });

  it('names a realm at its per-minute budget as busy, so workers claim nothing for it until the minute allows', async () => {
    const { db } = getDb();
    const realm = '4620816365290212488';
    let now = Date.parse('2026-11-25T10:00:00.000Z');
    const gate = new DbRealmGate({ db, dialect, limits: { maxPerWindow: 2, windowMs: 60_000 }, now: () => now });
    (await gate.acquire(realm, 'request'))();
    (await gate.acquire(realm, 'request'))();
    await expect(gate.acquire(realm, 'request')).rejects.toMatchObject({ code: 'qbo_rate_limited' });
    expect(gate.busyRealms()).toEqual([realm]);
    now += 60_001;
    expect(gate.busyRealms()).toEqual([]);
    (await gate.acquire(realm, 'request'))();
  });

  it('frees the slot of a process that died holding it once the permit lease runs out', async () => {
    const { db } = getDb();
    const realm = '4620816365290212499';
    let now = Date.parse('2026-11-25T10:00:00.000Z');
    const dead = new DbRealmGate({ db, dialect, limits: { maxInFlight: 1 }, permitLeaseMs: 5_000, now: () => now });
    await dead.acquire(realm, 'request');
    const alive = new DbRealmGate({ db, dialect, limits: { maxInFlight: 1 }, permitLeaseMs: 5_000, now: () => now });
    const waiting = alive.acquire(realm, 'request');
    expect(await settledWithin(waiting, 100)).toBe(false);
    now += 5_001;
    (await waiting)();
  });
});
