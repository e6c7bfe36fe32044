import { afterEach, expect, it } from 'vitest';
import { startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';
import { BULK_BATCH_SIZE, createBatchPushProcessor, pushAllApproved } from '../../../src/qbo/sync/bulk-push.js';
import { enqueuePush } from '../../../src/qbo/sync/job-queue.js';
import { createPushProcessor } from '../../../src/qbo/sync/push-processor.js';
import { createWorker, type Worker } from '../../../src/qbo/sync/worker.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { testKeyHex } from '../qbo-connection/harness.js';
import { SANDBOX_US, seedStudio, startWorkerProcess, type Studio, type WorkerProcess } from './harness.js';

/** Ticks until every job of the organisation has settled (the lease of the dead worker has to run out first). */
async function settleAll(worker: Worker, pending: () => Promise<number>): Promise<void> {
  for (let round = 0; round < 200 && (await pending()) > 0; round++) {
    if ((await worker.tick()) === 0) await new Promise((r) => setTimeout(r, 100));
  }
}

describeEachDatabase('a worker process killed between QBO’s answer and our commit', (getDb, dialect) => {
  let emulator: StartedEmulator | undefined;
  let doomed: WorkerProcess | undefined;
  afterEach(async () => {
    await doomed?.kill();
    await emulator?.close();
    doomed = undefined;
    emulator = undefined;
  });

  async function setUp(): Promise<{ studio: Studio; emulator: StartedEmulator; keyHex: string }> {
    emulator = await startEmulator({ port: 0, host: '127.0.0.1', withHistory: false });
    const keyHex = testKeyHex();
    const studio = await seedStudio({ db: getDb().db, dialect, emulator, realmId: SANDBOX_US, keyHex });
    return { studio, emulator, keyHex };
  }

  function survivor(studio: Studio): Worker {
    const { db } = getDb();
    return createWorker({
      db,
      dialect,
      workerId: 'survivor',
      process: createPushProcessor({ db, dialect, qbo: studio.service }),
      batch: { process: createBatchPushProcessor({ db, qbo: studio.service }), size: BULK_BATCH_SIZE },
    });
  }

  const jobsOf = (studio: Studio) => getDb().db.selectFrom('push_jobs').selectAll().where('org_id', '=', studio.org.id).execute();
  const pendingOf = (studio: Studio) => async () => (await jobsOf(studio)).filter((j) => j.status === 'queued' || j.status === 'pushing').length;

  it('single push: the job is taken over when the lease runs out, and QBO replays the create instead of making a second invoice', async () => {
    const { studio, emulator: qbo, keyHex } = await setUp();
    const { db, config } = getDb();
    const doc = await studio.invoice(await studio.client('Crash Course Interiors'), ['150.00']);
    const { job } = await enqueuePush(
      db,
      { orgId: studio.org.id, realmId: studio.realmId, documentId: doc.id, documentType: 'invoice', documentRevision: doc.revision, startedBy: studio.userId },
      new Date(),
    );

    doomed = startWorkerProcess({ database: config, baseUrl: qbo.baseUrl, keyHex, leaseMs: 1_500, concurrency: 1, batch: true, hangAfterDocumentWrite: true });
    expect(await doomed.line('answered')).toMatch(/\/invoice$/);
    await doomed.kill();

    // QBO has the invoice; Workroom still thinks it is being pushed.
    expect(qbo.control.api.listEntities(studio.realmId, 'Invoice')).toHaveLength(1);
    expect(await db.selectFrom('push_jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow()).toMatchObject({ status: 'pushing', qbo_id: null });

    await settleAll(survivor(studio), pendingOf(studio));
    const invoices = qbo.control.api.listEntities(studio.realmId, 'Invoice');
    expect(invoices).toHaveLength(1);
    const settled = await db.selectFrom('push_jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(settled).toMatchObject({ status: 'pushed', attempts: 2, request_id: job.request_id, qbo_id: invoices[0]?.['Id'] });
    expect(qbo.control.api.counters(studio.realmId)[studio.realmId]?.replays).toBeGreaterThanOrEqual(1);

    const attempts = await db.selectFrom('push_attempts').selectAll().where('job_id', '=', job.id).orderBy('attempt').execute();
    expect(attempts.map((a) => [a.attempt, a.trigger, a.outcome, a.started_by])).toEqual([
      [1, 'push', 'abandoned', studio.userId],
      [2, 'lease_expired', 'pushed', studio.userId],
    ]);
    expect(attempts[0]?.worker_id).not.toBe('survivor');
  });

  it('bulk push: the batch is sent again under its requestid and QBO replays it, so each invoice exists once', async () => {
    const { studio, emulator: qbo, keyHex } = await setUp();
    const { db, config } = getDb();
    const clientId = await studio.client('Batch & Co');
    for (let i = 0; i < 5; i++) await studio.invoice(clientId, [`${100 + i}.00`]);
    const run = await pushAllApproved(db, { orgId: studio.org.id, realmId: studio.realmId, userId: studio.userId, now: new Date() });
    expect(run.total).toBe(5);

    doomed = startWorkerProcess({ database: config, baseUrl: qbo.baseUrl, keyHex, leaseMs: 1_500, concurrency: 1, batch: true, hangAfterDocumentWrite: true });
    expect(await doomed.line('answered')).toMatch(/\/batch$/);
    await doomed.kill();
    expect(qbo.control.api.listEntities(studio.realmId, 'Invoice')).toHaveLength(5);
    const marked = await jobsOf(studio);
    expect(new Set(marked.map((j) => j.batch_request_id)).size).toBe(1);
    expect(marked.every((j) => j.status === 'pushing' && j.batch_request_id !== null)).toBe(true);

    await settleAll(survivor(studio), pendingOf(studio));
    const invoices = qbo.control.api.listEntities(studio.realmId, 'Invoice');
    expect(invoices).toHaveLength(5);
    const jobs = await jobsOf(studio);
    expect(jobs.every((j) => j.status === 'pushed')).toBe(true);
    expect(new Set(jobs.map((j) => j.qbo_id))).toEqual(new Set(invoices.map((i) => i['Id'])));
    const counters = qbo.control.api.counters(studio.realmId)[studio.realmId];
    expect(counters?.replaysByRequestId[marked[0]?.batch_request_id ?? '']).toBe(1);
    expect(counters?.byEndpoint['POST invoice'] ?? 0).toBe(0);
  });
});
