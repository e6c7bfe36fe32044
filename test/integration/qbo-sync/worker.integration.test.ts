import { expect, it } from 'vitest';
import { enqueuePush } from '../../../src/qbo/sync/job-queue.js';
import { createWorker, type JobOutcome } from '../../../src/qbo/sync/worker.js';
import { describeEachDatabase } from '../../helpers/databases.js';

let clock = new Date('2026-11-25T12:00:00.000Z');
const now = () => clock;
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));
let docSeq = 0;

describeEachDatabase('push worker', (getDb, dialect) => {
  const enqueue = async (orgId: string) =>
    (
      await enqueuePush(
        getDb().db,
        { orgId, realmId: '9130350000000001', documentId: `d${++docSeq}`, documentType: 'invoice', documentRevision: 1, startedBy: 'u1' },
        clock,
      )
    ).job;
  const read = (id: string) => getDb().db.selectFrom('push_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('retries a throttled push by itself after Retry-After, then records the QBO id', async () => {
    const job = await enqueue(`org-retry-${dialect}`);
    const outcomes: JobOutcome[] = [
      { status: 'failed', code: 'qbo_rate_limited', message: 'ThrottleExceeded', retryable: true, retryAfterMs: 60_000, definitiveRejection: false },
      { status: 'pushed', qboId: '177' },
    ];
    const seen: string[] = [];
    const worker = createWorker({
      db: getDb().db,
      dialect,
      workerId: 'w-retry',
      now,
      process: (j) => {
        seen.push(j.request_id);
        return Promise.resolve(j.id === job.id ? outcomes.shift()! : { status: 'pushed', qboId: 'x' });
      },
    });
    await worker.tick();
    expect(await read(job.id)).toMatchObject({ status: 'queued', qbo_code: 'qbo_rate_limited', attempts: 1 });
    advance(59_000);
    await worker.tick();
    expect((await read(job.id)).status).toBe('queued');
    advance(1_000);
    await worker.tick();
    expect(await read(job.id)).toMatchObject({ status: 'pushed', qbo_id: '177', attempts: 2 });
    expect(new Set(seen.filter((r) => r === job.request_id)).size).toBe(1);
  });

  it('fails a validation fault at once and keeps QBO message for the Sync Center', async () => {
    const job = await enqueue(`org-validation-${dialect}`);
    const worker = createWorker({
      db: getDb().db,
      dialect,
      workerId: 'w-val',
      now,
      process: () =>
        Promise.resolve({ status: 'failed', code: 'qbo_validation', message: 'Amount is not equal to UnitPrice * Qty', retryable: false, definitiveRejection: true }),
    });
    await worker.tick();
    const failed = await read(job.id);
    expect(failed).toMatchObject({ status: 'failed', qbo_message: 'Amount is not equal to UnitPrice * Qty', attempts: 1 });
    expect(failed.finished_at).not.toBeNull();
  });

  it('turns a crash in processing into a visible failure instead of a stuck job', async () => {
    const job = await enqueue(`org-crash-${dialect}`);
    const worker = createWorker({ db: getDb().db, dialect, workerId: 'w-crash', now, process: () => Promise.reject(new Error('mapper exploded')) });
    await worker.tick();
    expect(await read(job.id)).toMatchObject({ status: 'failed', qbo_code: 'internal_error', qbo_message: 'mapper exploded' });
  });

  it('stops retrying transient faults after the attempt limit', async () => {
    const job = await enqueue(`org-exhaust-${dialect}`);
    const worker = createWorker({
      db: getDb().db,
      dialect,
      workerId: 'w-ex',
      now,
      retryPolicy: { baseDelayMs: 10, maxDelayMs: 10, maxAttempts: 3, maxElapsedMs: 10 ** 9 },
      process: () => Promise.resolve({ status: 'failed', code: 'qbo_service_unavailable', message: 'Service Unavailable', retryable: true, definitiveRejection: false }),
    });
    for (let i = 0; i < 5; i++) {
      await worker.tick();
      advance(1_000);
    }
    expect(await read(job.id)).toMatchObject({ status: 'failed', attempts: 3, request_id: job.request_id });
  });

  it('runs just the job a user is waiting on, and only if no other worker holds it', async () => {
    const orgId = `org-now-${dialect}`;
    const mine = await enqueue(orgId);
    const other = await enqueue(orgId);
    const handled: string[] = [];
    const worker = createWorker({
      db: getDb().db,
      dialect,
      workerId: 'w-now',
      now,
      process: (j) => {
        handled.push(j.id);
        return Promise.resolve({ status: 'pushed', qboId: '42' });
      },
    });
    expect(await worker.runNow([mine.id])).toBe(1);
    expect(handled).toEqual([mine.id]);
    expect(await read(mine.id)).toMatchObject({ status: 'pushed', qbo_id: '42' });
    expect(await read(other.id)).toMatchObject({ status: 'queued' });
    expect(await worker.runNow([mine.id])).toBe(0);
  });

  it('runs in the background until stopped', async () => {
    const job = await enqueue(`org-loop-${dialect}`);
    const worker = createWorker({ db: getDb().db, dialect, workerId: 'w-loop', pollMs: 20, now: () => new Date(clock.getTime() + 10 ** 9), process: () => Promise.resolve({ status: 'pushed', qboId: '9' }) });
    worker.start();
    for (let i = 0; i < 100 && (await read(job.id)).status !== 'pushed'; i++) await new Promise((r) => setTimeout(r, 20));
    await worker.stop();
    expect((await read(job.id)).status).toBe('pushed');
  });
});

describeEachDatabase('push worker: batches, throttling, leases', (getDb, dialect) => {
  const realmA = '9130350000000002';
  const realmB = '9130350000000003';
  const enqueue = async (orgId: string, realmId = realmA) =>
    (
      await enqueuePush(
        getDb().db,
        { orgId, realmId, documentId: `d${++docSeq}`, documentType: 'invoice', documentRevision: 1, startedBy: 'u1' },
        clock,
      )
    ).job;
  const read = (id: string) => getDb().db.selectFrom('push_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('hands fresh jobs of one organisation and realm to the batch processor together, and the rest one by one', async () => {
    const orgId = `org-batch-${dialect}`;
    const fresh = [await enqueue(orgId), await enqueue(orgId), await enqueue(orgId)];
    const elsewhere = await enqueue(orgId, realmB);
    const units: string[][] = [];
    const worker = createWorker({
      db: getDb().db,
      dialect,
      workerId: 'w-batch',
      now,
      process: (job) => {
        units.push([job.id]);
        return Promise.resolve({ status: 'failed', code: 'qbo_service_unavailable', message: 'down', retryable: true, definitiveRejection: false });
      },
      batch: {
        size: 2,
        process: (jobs) => {
          units.push(jobs.map((j) => j.id));
          return Promise.resolve(new Map(jobs.map((j) => [j.id, { status: 'failed', code: 'qbo_service_unavailable', message: 'down', retryable: true, definitiveRejection: false } as const])));
        },
      },
    });
    await worker.tick();
    expect(units.map((u) => u.length).sort()).toEqual([1, 1, 2]);
    expect(units).toContainEqual([elsewhere.id]);
    expect(units.flat().sort()).toEqual([...fresh.map((j) => j.id), elsewhere.id].sort());

    // Tried once already under their own requestids, so never batched again.
    advance(60_000);
    units.length = 0;
    await worker.tick();
    expect(units.every((u) => u.length === 1)).toBe(true);
    expect(units).toHaveLength(4);
  });

  it('does not spend a job’s automatic retries on being told to slow down', async () => {
    const job = await enqueue(`org-slow-${dialect}`);
    const worker = createWorker({
      db: getDb().db,
      dialect,
      workerId: 'w-slow',
      now,
      retryPolicy: { baseDelayMs: 10, maxDelayMs: 10, maxAttempts: 2, maxElapsedMs: 10 ** 9 },
      process: () => Promise.resolve({ status: 'failed', code: 'qbo_rate_limited', message: 'ThrottleExceeded', retryable: true, retryAfterMs: 60_000, definitiveRejection: false }),
    });
    for (let i = 0; i < 5; i++) {
      expect(await worker.runNow([job.id])).toBe(1);
      advance(60_000);
    }
    expect(await read(job.id)).toMatchObject({ status: 'queued', attempts: 5, streak_attempts: 0, qbo_code: 'qbo_rate_limited' });
  });

  it('keeps renewing the lease of a job that takes long, so no other worker takes it over', async () => {
    const real = () => new Date();
    const { job } = await enqueuePush(
      getDb().db,
      { orgId: `org-slowjob-${dialect}`, realmId: realmA, documentId: `d${++docSeq}`, documentType: 'invoice', documentRevision: 1, startedBy: 'u1' },
      real(),
    );
    let finish: () => void = () => undefined;
    const worker = createWorker({
      db: getDb().db,
      dialect,
      workerId: 'w-long',
      leaseMs: 300,
      now: real,
      process: () => new Promise((resolve) => (finish = () => resolve({ status: 'pushed', qboId: '5' }))),
    });
    const running = worker.runNow([job.id]);
    await new Promise((r) => setTimeout(r, 700));
    expect((await read(job.id)).lease_owner).toBe('w-long');
    const other = createWorker({ db: getDb().db, dialect, workerId: 'w-thief', now: real, process: () => Promise.resolve({ status: 'pushed', qboId: 'stolen' }) });
    expect(await other.runNow([job.id])).toBe(0);
    finish();
    await running;
    expect(await read(job.id)).toMatchObject({ status: 'pushed', qbo_id: '5', attempts: 1 });
  });

  it('claims nothing for a realm the realm gate reports at its budget', async () => {
    const orgId = `org-busy-${dialect}`;
    const busy = await enqueue(orgId, '9130350000000004');
    const free = await enqueue(orgId, '9130350000000005');
    const handled: string[] = [];
    const worker = createWorker({
      db: getDb().db,
      dialect,
      workerId: 'w-busy',
      now,
      busyRealms: () => ['9130350000000004'],
      process: (job) => {
        handled.push(job.id);
        return Promise.resolve({ status: 'pushed', qboId: '1' });
      },
    });
    while ((await worker.tick()) > 0);
    expect(handled).toContain(free.id);
    expect(handled).not.toContain(busy.id);
    expect((await read(busy.id)).status).toBe('queued');
  });
});
