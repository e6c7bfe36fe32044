import { afterEach, expect, it } from 'vitest';
import { startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';
import type { FaultPlan } from '../../../src/emulator/api/index.js';
import { AccountMappingSchema } from '../../../src/qbo/mapping/index.js';
import { enqueuePush } from '../../../src/qbo/sync/job-queue.js';
import { saveMappings } from '../../../src/qbo/sync/mapping-store.js';
import { createPushProcessor } from '../../../src/qbo/sync/push-processor.js';
import { createWorker, type Worker } from '../../../src/qbo/sync/worker.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { testKeyHex } from '../qbo-connection/harness.js';
import { SANDBOX_US, seedStudio, type Studio } from './harness.js';

/**
 * What the worker does with each kind of fault from QuickBooks, through the real push processor and client:
 * transient ones are retried by themselves (after a backoff, under the same requestid, in the name of the user
 * who pushed), a validation fault fails at once and waits for the user.
 */
describeEachDatabase('transient and validation faults from QuickBooks', (getDb, dialect) => {
  let emulator: StartedEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  interface Setup {
    readonly qbo: StartedEmulator;
    readonly studio: Studio;
    readonly worker: Worker;
    readonly jobId: string;
    /** The worker's clock (backoff, leases), which stands still unless moved forward. */
    now(): number;
    advance(ms: number): void;
    job(): Promise<{
      status: string;
      qbo_code: string | null;
      qbo_message: string | null;
      qbo_id: string | null;
      run_after: string;
      request_id: string;
      attempts: number;
    }>;
    attempts(): Promise<{ attempt: number; trigger: string; started_by: string | null; outcome: string | null; request_id: string; qbo_code: string | null }[]>;
  }

  async function setup(): Promise<Setup> {
    const { db } = getDb();
    const qbo = await startEmulator({ port: 0, host: '127.0.0.1', withHistory: false });
    emulator = qbo;
    const studio = await seedStudio({ db, dialect, emulator: qbo, realmId: SANDBOX_US, keyHex: testKeyHex() });
    const doc = await studio.invoice(await studio.client('Fault Line Furnishings'), ['480.00']);
    let clock = Date.now();
    const worker = createWorker({ db, dialect, workerId: 'faults', now: () => new Date(clock), process: createPushProcessor({ db, dialect, qbo: studio.service }) });
    const { job } = await enqueuePush(
      db,
      { orgId: studio.org.id, realmId: SANDBOX_US, documentId: doc.id, documentType: 'invoice', documentRevision: doc.revision, startedBy: studio.userId },
      new Date(clock),
    );
    return {
      qbo,
      studio,
      worker,
      jobId: job.id,
      now: () => clock,
      advance: (ms) => (clock += ms),
      job: () =>
        db
          .selectFrom('push_jobs')
          .select(['status', 'qbo_code', 'qbo_message', 'qbo_id', 'run_after', 'request_id', 'attempts'])
          .where('id', '=', job.id)
          .executeTakeFirstOrThrow(),
      attempts: () =>
        db
          .selectFrom('push_attempts')
          .select(['attempt', 'trigger', 'started_by', 'outcome', 'request_id', 'qbo_code'])
          .where('job_id', '=', job.id)
          .orderBy('attempt')
          .execute(),
    };
  }

  // The client retries a blip itself three times; every one of these outlasts that, so the job has to wait.
  const transient: readonly (readonly [string, FaultPlan, string])[] = [
    ['a 503 from Intuit’s load balancer', { mode: 'http503', count: 3 }, 'qbo_service_unavailable'],
    ['a 500 system fault', { mode: 'http500', count: 3 }, 'qbo_service_unavailable'],
    ['a connection dropped without an answer', { mode: 'timeout', count: 3, hangMs: 20 }, 'qbo_network'],
  ];
  for (const [what, plan, code] of transient) {
    it(`retries ${what} by itself after a backoff, under the same requestid, in the pusher’s name`, async () => {
      const s = await setup();
      s.qbo.control.api.injectFault(s.studio.realmId, plan);
      await s.worker.tick();
      const waiting = await s.job();
      expect(waiting).toMatchObject({ status: 'queued', qbo_code: code, attempts: 1 });
      // The first backoff is somewhere up to the 1 s base delay (full jitter)…
      const backoff = Date.parse(waiting.run_after) - s.now();
      expect(backoff).toBeGreaterThanOrEqual(0);
      expect(backoff).toBeLessThanOrEqual(1_000);
      // …nothing goes out before it is over…
      if (backoff > 0) {
        s.advance(backoff - 1);
        expect(await s.worker.tick()).toBe(0);
        s.advance(1);
      }
      // …and then the job goes again by itself.
      expect(await s.worker.tick()).toBe(1);
      const pushed = await s.job();
      expect(pushed).toMatchObject({ status: 'pushed', qbo_code: null, attempts: 2, request_id: waiting.request_id });
      expect((await s.attempts()).map((a) => [a.attempt, a.trigger, a.started_by, a.outcome, a.request_id])).toEqual([
        [1, 'push', s.studio.userId, 'retry_scheduled', waiting.request_id],
        [2, 'auto_retry', s.studio.userId, 'pushed', waiting.request_id],
      ]);
      expect(s.qbo.control.api.listEntities(s.studio.realmId, 'Invoice').map((i) => i['Id'])).toEqual([pushed.qbo_id]);
    });
  }

  it('refreshes an access token QuickBooks no longer accepts and pushes in the same attempt', async () => {
    const s = await setup();
    // Two hours on: the access token stored an hour's life ago is expired at Intuit, though we have not noticed.
    s.qbo.clock.advance(2 * 3_600_000);
    await s.worker.tick();
    expect(await s.job()).toMatchObject({ status: 'pushed', attempts: 1 });
    expect(s.qbo.control.api.counters(s.studio.realmId)[s.studio.realmId]?.unauthorized).toBeGreaterThanOrEqual(1);
    expect((await s.attempts()).map((a) => [a.trigger, a.outcome])).toEqual([['push', 'pushed']]);
  });

  it('fails at once when QuickBooks refuses what the document refers to, and leaves it for the user', async () => {
    const s = await setup();
    // An income account the company file does not have: QBO answers that it cannot find it.
    await saveMappings(
      getDb().db,
      { orgId: s.studio.org.id, realmId: s.studio.realmId, userId: null, accounts: AccountMappingSchema.parse({ defaultIncomeAccountId: '9999' }) },
      s.studio.org.taxModel,
    );
    await s.worker.tick();
    const failed = await s.job();
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, qbo_code: 'account_not_specified' });
    expect(failed.qbo_message).toContain('the mapped QuickBooks account 9999 could not be read');
    expect((await s.attempts()).map((a) => [a.trigger, a.outcome])).toEqual([['push', 'failed']]);
    // However long it waits, no worker picks it up again by itself.
    s.advance(24 * 3_600_000);
    expect(await s.worker.tick()).toBe(0);
    expect((await s.job()).status).toBe('failed');
    expect(s.qbo.control.api.listEntities(s.studio.realmId, 'Invoice')).toEqual([]);
  });
});
