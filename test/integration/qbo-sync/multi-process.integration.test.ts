import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';
import { enqueuePush } from '../../../src/qbo/sync/job-queue.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { testKeyHex } from '../qbo-connection/harness.js';
import { FastClock } from './fast-clock.js';
import { SANDBOX_US, SANDBOX_US_2, seedStudio, startWorkerProcess, type Studio, type WorkerProcess } from './harness.js';

const WORKERS = 3;
const INVOICES_PER_REALM = 70;
// QBO allows 10 calls in flight and 500 a minute per realm. The minute is scaled down to 60 calls, and the
// emulator's clock runs 20 times faster, so a minute passes in 3 s.
const LIMITS = { maxInFlight: 10, maxPerWindow: 60, windowMs: 60_000 };
const CLOCK_RATE = 20;

interface RealmTraffic {
  inFlight: number;
  maxInFlight: number;
  /** Emulator-clock arrival time of every call. */
  arrivals: number[];
}

/** Watches the emulator's HTTP server: calls in flight and arrival times per realm, whichever process sent them. */
function observe(emulator: StartedEmulator) {
  const realms = new Map<string, RealmTraffic>();
  emulator.app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const realmId = /\/v3\/company\/(\d+)\//.exec(req.url ?? '')?.[1];
    if (realmId === undefined) return;
    const traffic = realms.get(realmId) ?? { inFlight: 0, maxInFlight: 0, arrivals: [] };
    realms.set(realmId, traffic);
    traffic.inFlight += 1;
    traffic.maxInFlight = Math.max(traffic.maxInFlight, traffic.inFlight);
    traffic.arrivals.push(emulator.clock.now());
    res.once('close', () => {
      traffic.inFlight -= 1;
    });
  });
  return realms;
}

function busiestWindow(arrivals: readonly number[], windowMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (const [i, start] of sorted.entries()) {
    let n = 0;
    for (let j = i; j < sorted.length && (sorted[j] ?? Infinity) < start + windowMs; j++) n += 1;
    most = Math.max(most, n);
  }
  return most;
}

describeEachDatabase('several worker processes sharing the queue', (getDb, dialect) => {
  let emulator: StartedEmulator | undefined;
  const workers: WorkerProcess[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.kill()));
    await emulator?.close();
  });

  // SQLite serves one machine's processes; sharing the queue across workers is the PostgreSQL deployment.
  (dialect === 'postgres' ? it : it.skip)(
    `${WORKERS} processes push two realms' invoices once each, within each realm's limits, without a 429`,
    async () => {
      const { db, config } = getDb();
      const clock = new FastClock(CLOCK_RATE);
      const qbo = await startEmulator({ port: 0, host: '127.0.0.1', withHistory: false, latencyMs: 15, clock });
      emulator = qbo;
      qbo.control.api.setLimits({ perMinute: LIMITS.maxPerWindow, concurrent: LIMITS.maxInFlight });
      const keyHex = testKeyHex();
      const studios: Studio[] = [];
      for (const realmId of [SANDBOX_US, SANDBOX_US_2]) {
        const studio = await seedStudio({ db, dialect, emulator: qbo, realmId, keyHex });
        const clients = [await studio.client('Alder House'), await studio.client('Birchwood Lane')];
        for (let i = 0; i < INVOICES_PER_REALM; i++) {
          const doc = await studio.invoice(clients[i % 2] ?? '', [`${100 + i}.00`]);
          await enqueuePush(
            db,
            { orgId: studio.org.id, realmId, documentId: doc.id, documentType: 'invoice', documentRevision: doc.revision, startedBy: studio.userId },
            new Date(),
          );
        }
        studios.push(studio);
      }
      // Connecting called QBO from this process, past the gate: let those calls leave the emulator's window.
      qbo.clock.advance(LIMITS.windowMs);
      const traffic = observe(qbo);
      qbo.control.api.resetCounters();

      // Each process pushes documents one by one (no batching), 8 at a time: 24 pushes at once across two realms.
      for (let i = 0; i < WORKERS; i++) {
        workers.push(
          startWorkerProcess({
            database: config,
            baseUrl: qbo.baseUrl,
            keyHex,
            // Emulator time: a whole emulator hour, so no lease runs out while its worker is alive.
            leaseMs: 3_600_000,
            concurrency: 8,
            batch: false,
            gate: { limits: LIMITS, clock: clock.spec() },
          }),
        );
      }
      await Promise.all(workers.map((w) => w.ready));

      const orgIds = studios.map((s) => s.org.id);
      const pending = async () =>
        Number(
          (
            await db
              .selectFrom('push_jobs')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('org_id', 'in', orgIds)
              .where('status', 'in', ['queued', 'pushing'])
              .executeTakeFirstOrThrow()
          ).n,
        );
      for (let round = 0; round < 900 && (await pending()) > 0; round++) await new Promise((r) => setTimeout(r, 100));
      await Promise.all(workers.splice(0).map((w) => w.stop()));

      const jobs = await db.selectFrom('push_jobs').selectAll().where('org_id', 'in', orgIds).execute();
      expect(jobs).toHaveLength(2 * INVOICES_PER_REALM);
      expect(jobs.filter((j) => j.status !== 'pushed').map((j) => [j.status, j.qbo_message])).toEqual([]);
      const attempts = await db.selectFrom('push_attempts').select('worker_id').distinct().where('org_id', 'in', orgIds).execute();
      expect(attempts).toHaveLength(WORKERS);

      for (const studio of studios) {
        const realm = studio.realmId;
        const invoices = qbo.control.api.listEntities(realm, 'Invoice');
        expect(invoices).toHaveLength(INVOICES_PER_REALM);
        expect(new Set(invoices.map((i) => i['DocNumber'])).size).toBe(INVOICES_PER_REALM);
        for (const name of ['Alder House', 'Birchwood Lane']) {
          expect(qbo.control.api.listEntities(realm, 'Customer').filter((c) => c['DisplayName'] === name)).toHaveLength(1);
        }
        const counters = qbo.control.api.counters(realm)[realm];
        expect(counters?.throttled).toBe(0);
        const seen = traffic.get(realm);
        expect(seen?.maxInFlight).toBeLessThanOrEqual(LIMITS.maxInFlight);
        // More calls than one window holds, none of its windows over the limit: the processes waited for the
        // minute to pass instead of hitting QBO.
        expect(seen?.arrivals.length).toBeGreaterThan(LIMITS.maxPerWindow);
        expect(busiestWindow(seen?.arrivals ?? [], LIMITS.windowMs)).toBeLessThanOrEqual(LIMITS.maxPerWindow);
      }
    },
    150_000,
  );
});
