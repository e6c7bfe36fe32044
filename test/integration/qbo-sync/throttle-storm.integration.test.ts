import { afterEach, expect, it } from 'vitest';
import { startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';
import { BULK_BATCH_SIZE, createBatchPushProcessor, pushAllApproved } from '../../../src/qbo/sync/bulk-push.js';
import { createPushProcessor } from '../../../src/qbo/sync/push-processor.js';
import { createWorker } from '../../../src/qbo/sync/worker.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { testKeyHex } from '../qbo-connection/harness.js';
import { SANDBOX_US, seedStudio } from './harness.js';

describeEachDatabase('a 429 storm from QuickBooks', (getDb, dialect) => {
  let emulator: StartedEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('backs off as long as Retry-After says, sends nothing earlier, then pushes every document exactly once', async () => {
    const { db } = getDb();
    const qbo = await startEmulator({ port: 0, host: '127.0.0.1', withHistory: false });
    emulator = qbo;
    const studio = await seedStudio({ db, dialect, emulator: qbo, realmId: SANDBOX_US, keyHex: testKeyHex() });
    const clientId = await studio.client('Storm Harbor Design');
    for (let i = 0; i < 4; i++) await studio.invoice(clientId, [`${300 + i}.00`]);

    let clock = Date.now();
    const worker = createWorker({
      db,
      dialect,
      workerId: 'storm',
      now: () => new Date(clock),
      process: createPushProcessor({ db, dialect, qbo: studio.service }),
      batch: { process: createBatchPushProcessor({ db, qbo: studio.service }), size: BULK_BATCH_SIZE },
    });
    const jobs = () => db.selectFrom('push_jobs').selectAll().where('org_id', '=', studio.org.id).execute();
    const counters = () => qbo.control.api.counters(studio.realmId)[studio.realmId];

    // Every one of the next six calls is answered 429 with Retry-After: 60.
    qbo.control.api.resetCounters();
    qbo.control.api.injectFault(studio.realmId, { mode: 'http429', count: 6 });
    await pushAllApproved(db, { orgId: studio.org.id, realmId: studio.realmId, userId: studio.userId, now: new Date(clock) });

    await worker.tick();
    const throttled = await jobs();
    expect(throttled.map((j) => j.status)).toEqual(['queued', 'queued', 'queued', 'queued']);
    for (const job of throttled) {
      expect(job.qbo_code).toBe('qbo_rate_limited');
      expect(Date.parse(job.run_after)).toBeGreaterThanOrEqual(clock + 60_000);
    }
    const callsDuringStorm = counters()?.total;
    expect(counters()?.throttled).toBe(4);

    clock += 59_000;
    expect(await worker.tick()).toBe(0);
    expect(counters()?.total).toBe(callsDuringStorm);

    for (let round = 0; round < 5 && (await jobs()).some((j) => j.status !== 'pushed'); round++) {
      clock += 61_000;
      await worker.tick();
    }
    const done = await jobs();
    expect(done.map((j) => [j.status, j.qbo_code])).toEqual(Array(4).fill(['pushed', null]));
    expect(qbo.control.api.listEntities(studio.realmId, 'Invoice')).toHaveLength(4);
    expect(qbo.control.api.listEntities(studio.realmId, 'Customer').filter((c) => c['DisplayName'] === 'Storm Harbor Design')).toHaveLength(1);
    // Only the injected answers were 429s: Workroom never ran into the limit by itself.
    expect(counters()?.throttled).toBe(6);
    // Waiting out a 429 is not a fault of the document: no job used up its automatic retries.
    expect(done.every((j) => j.streak_attempts <= 1)).toBe(true);
    const attempts = await db.selectFrom('push_attempts').selectAll().where('org_id', '=', studio.org.id).execute();
    expect(attempts.filter((a) => a.outcome === 'retry_scheduled').every((a) => a.qbo_code === 'qbo_rate_limited')).toBe(true);
    expect(attempts.filter((a) => a.outcome === 'pushed')).toHaveLength(4);
  });
});
