import { expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/index.js';
import { claimJobs, completeJobs, enqueuePush, failJob, markBatch, requeueFailedJobs, type EnqueuePush } from '../../../src/qbo/sync/job-queue.js';
import { describeEachDatabase } from '../../helpers/databases.js';

const T0 = new Date('2026-11-25T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
let seq = 0;
const push = (overrides: Partial<EnqueuePush> = {}): EnqueuePush => ({
  orgId: 'org-a',
  realmId: '9130350000000001',
  documentId: `doc-${++seq}`,
  documentType: 'invoice',
  documentRevision: 1,
  startedBy: 'user-1',
  ...overrides,
});

describeEachDatabase('push job queue', (getDb, dialect) => {
  it('queues one job per document revision, however often it is asked', async () => {
    const { db } = getDb();
    const input = push();
    const first = await enqueuePush(db, input, T0);
    const again = await enqueuePush(db, input, T0);
    expect(first.created).toBe(true);
    expect(again).toEqual({ job: first.job, created: false });
  });

  it('lets a newer revision take over a job still waiting, and queues it apart from one being pushed', async () => {
    const { db } = getDb();
    const orgId = `org-edit-${dialect}`;
    const input = push({ orgId, startedBy: 'alice' });
    const { job } = await enqueuePush(db, input, T0);
    await claimJobs(db, dialect, { workerId: 'w1', limit: 50, leaseMs: 30_000, now: at(0) });
    await failJob(db, job.id, 'w1', { code: 'qbo_service_unavailable', message: 'SystemFault', retryAt: at(60_000), definitiveRejection: false }, at(1));

    // Edited while the job waits for its retry: the same job pushes the new revision, now, for the user who asked.
    const edited = await enqueuePush(db, { ...input, documentRevision: 2, startedBy: 'bob' }, at(2));
    expect(edited).toMatchObject({ created: false, job: { id: job.id, status: 'queued', document_revision: 2, run_after: at(2).toISOString(), next_attempt_by: 'bob' } });
    await claimJobs(db, dialect, { workerId: 'w1', limit: 50, leaseMs: 30_000, now: at(3), jobIds: [job.id] });

    // Edited again while it is being pushed: a job of its own, which waits for the first to settle.
    const third = await enqueuePush(db, { ...input, documentRevision: 3 }, at(4));
    expect(third.created).toBe(true);
    expect((await claimJobs(db, dialect, { workerId: 'w2', limit: 50, leaseMs: 30_000, now: at(5) })).map((j) => j.id)).not.toContain(third.job.id);
    await completeJobs(db, 'w1', [{ jobId: job.id, qboId: '42' }], at(6));
    expect((await claimJobs(db, dialect, { workerId: 'w2', limit: 50, leaseMs: 30_000, now: at(7) })).map((j) => j.id)).toContain(third.job.id);
  });

  it('puts a failed push of the same revision back in the queue instead of starting a second one', async () => {
    const { db } = getDb();
    const orgId = `org-repush-${dialect}`;
    const input = push({ orgId });
    const { job } = await enqueuePush(db, input, T0);
    await claimJobs(db, dialect, { workerId: 'w1', limit: 50, leaseMs: 30_000, now: at(0) });
    await failJob(db, job.id, 'w1', { code: 'qbo_needs_reconnect', message: 'QuickBooks needs reconnecting', definitiveRejection: false }, at(1));

    const again = await enqueuePush(db, { ...input, startedBy: 'bob' }, at(2));
    expect(again).toMatchObject({ created: false, job: { id: job.id, status: 'queued', request_id: job.request_id, finished_at: null, next_attempt_by: 'bob' } });
    // A new revision after a failure is a new push.
    await claimJobs(db, dialect, { workerId: 'w1', limit: 50, leaseMs: 30_000, now: at(3) });
    await failJob(db, job.id, 'w1', { code: 'qbo_validation', message: 'Invalid Reference Id', definitiveRejection: true }, at(4));
    expect((await enqueuePush(db, { ...input, documentRevision: 2 }, at(5))).created).toBe(true);
  });

  it('never hands out two jobs of one document at once: the oldest goes first, the next once it settles', async () => {
    const { db } = getDb();
    const orgId = `org-one-at-a-time-${dialect}`;
    const documentId = `doc-one-at-a-time-${dialect}`;
    const older = (await enqueuePush(db, push({ orgId, documentId }), T0)).job;
    await claimJobs(db, dialect, { workerId: 'w1', limit: 50, leaseMs: 30_000, now: at(1), jobIds: [older.id] });
    const newer = (await enqueuePush(db, push({ orgId, documentId, documentRevision: 2 }), at(2))).job;
    // Retry all failed could put the first back beside the second: both due at once.
    await failJob(db, older.id, 'w1', { code: 'qbo_needs_reconnect', message: 'QuickBooks needs reconnecting', definitiveRejection: false }, at(3));
    await requeueFailedJobs(db, orgId, 'all', at(4));
    const other = (await enqueuePush(db, push({ orgId }), at(4))).job;

    const claimed = await claimJobs(db, dialect, { workerId: 'w2', limit: 50, leaseMs: 30_000, now: at(5) });
    expect(claimed.filter((j) => j.org_id === orgId).map((j) => j.id).sort()).toEqual([older.id, other.id].sort());
    // A user's push of the newer revision waits too, rather than racing the older one.
    expect(await claimJobs(db, dialect, { workerId: 'w3', limit: 50, leaseMs: 30_000, now: at(6), jobIds: [newer.id] })).toEqual([]);
    // The worker holding the older one dies: the job is taken over before the newer one runs.
    const takenOver = await claimJobs(db, dialect, { workerId: 'w3', limit: 50, leaseMs: 30_000, now: at(40_000) });
    expect(takenOver.filter((j) => j.org_id === orgId).map((j) => j.id).sort()).toEqual([older.id, other.id].sort());
    await completeJobs(db, 'w3', [{ jobId: older.id, qboId: '42' }], at(40_001));
    const next = await claimJobs(db, dialect, { workerId: 'w3', limit: 50, leaseMs: 30_000, now: at(40_002) });
    expect(next.filter((j) => j.org_id === orgId).map((j) => j.id)).toEqual([newer.id]);
  });

  it('gives each due job to exactly one of several concurrent claimers', async () => {
    const handle = getDb();
    const orgId = `org-claim-${dialect}`;
    for (let i = 0; i < 12; i++) await enqueuePush(handle.db, push({ orgId }), T0);
    // Separate connections, so on PostgreSQL the claims really race under SKIP LOCKED.
    const others = [0, 1].map(() => openDatabase({ ...handle.config, pgPoolSize: 2 }));
    try {
      const claims = await Promise.all(
        [handle, ...others].map((h, i) => claimJobs(h.db, dialect, { workerId: `w${i}`, limit: 5, leaseMs: 30_000, now: at(1) })),
      );
      const ids = claims.flat().filter((j) => j.org_id === orgId).map((j) => j.id);
      expect(ids.length).toBeGreaterThanOrEqual(12);
      expect(new Set(ids).size).toBe(ids.length);
      for (const job of claims.flat()) expect(job).toMatchObject({ status: 'pushing', attempts: 1 });
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });

  it('does not hand out a job before its backoff is over', async () => {
    const { db } = getDb();
    const orgId = `org-backoff-${dialect}`;
    const { job } = await enqueuePush(db, push({ orgId }), T0);
    const [claimed] = (await claimJobs(db, dialect, { workerId: 'w1', limit: 50, leaseMs: 30_000, now: at(0) })).filter((j) => j.id === job.id);
    expect(claimed).toBeDefined();
    await failJob(db, job.id, 'w1', { code: 'qbo_rate_limited', message: 'ThrottleExceeded', retryAt: at(60_000), definitiveRejection: false }, at(1));
    const early = await claimJobs(db, dialect, { workerId: 'w2', limit: 50, leaseMs: 30_000, now: at(59_999) });
    expect(early.map((j) => j.id)).not.toContain(job.id);
    const due = await claimJobs(db, dialect, { workerId: 'w2', limit: 50, leaseMs: 30_000, now: at(60_000) });
    const retried = due.find((j) => j.id === job.id);
    expect(retried).toMatchObject({ attempts: 2, request_id: job.request_id, qbo_code: 'qbo_rate_limited' });
  });

  it('takes a job back from a worker that died, and the dead worker can no longer settle it', async () => {
    const { db } = getDb();
    const orgId = `org-lease-${dialect}`;
    const { job } = await enqueuePush(db, push({ orgId }), T0);
    await claimJobs(db, dialect, { workerId: 'dead', limit: 50, leaseMs: 10_000, now: at(0) });
    const stillLeased = await claimJobs(db, dialect, { workerId: 'alive', limit: 50, leaseMs: 10_000, now: at(9_999) });
    expect(stillLeased.map((j) => j.id)).not.toContain(job.id);
    const reclaimed = await claimJobs(db, dialect, { workerId: 'alive', limit: 50, leaseMs: 10_000, now: at(10_001) });
    expect(reclaimed.find((j) => j.id === job.id)).toMatchObject({ lease_owner: 'alive', attempts: 2, request_id: job.request_id });

    expect(await completeJobs(db, 'dead', [{ jobId: job.id, qboId: '999' }], at(10_002))).toEqual([]);
    expect(await completeJobs(db, 'alive', [{ jobId: job.id, qboId: '145' }], at(10_003))).toEqual([job.id]);
    const done = await db.selectFrom('push_jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(done).toMatchObject({ status: 'pushed', qbo_id: '145', lease_owner: null, finished_at: at(10_003).toISOString() });
  });

  it('settles the pushed jobs of a batch in one call, each with its own QBO id, but not one another worker took over', async () => {
    const { db } = getDb();
    const orgId = `org-batch-settle-${dialect}`;
    const jobs = [];
    for (let i = 0; i < 4; i++) jobs.push((await enqueuePush(db, push({ orgId }), T0)).job);
    const [a, b, c, lost] = jobs;
    await claimJobs(db, dialect, { workerId: 'w1', limit: 50, leaseMs: 10_000, now: at(0), jobIds: [a!.id, b!.id, c!.id] });
    await claimJobs(db, dialect, { workerId: 'w1', limit: 50, leaseMs: 1_000, now: at(0), jobIds: [lost!.id] });
    await claimJobs(db, dialect, { workerId: 'w2', limit: 50, leaseMs: 10_000, now: at(1_001), jobIds: [lost!.id] });

    const results = [a, b, c, lost].map((job, i) => ({ jobId: job!.id, qboId: String(500 + i) }));
    expect((await completeJobs(db, 'w1', results, at(2_000))).sort()).toEqual([a!.id, b!.id, c!.id].sort());

    const rows = await db.selectFrom('push_jobs').selectAll().where('org_id', '=', orgId).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    [a, b, c].forEach((job, i) => {
      expect(byId.get(job!.id)).toMatchObject({ status: 'pushed', qbo_id: String(500 + i), lease_owner: null, finished_at: at(2_000).toISOString() });
    });
    expect(byId.get(lost!.id)).toMatchObject({ status: 'pushing', qbo_id: null, lease_owner: 'w2' });
    const attempts = await db.selectFrom('push_attempts').selectAll().where('org_id', '=', orgId).execute();
    for (const [i, job] of [a, b, c].entries()) {
      expect(attempts.filter((t) => t.job_id === job!.id)).toEqual([expect.objectContaining({ worker_id: 'w1', outcome: 'pushed', qbo_id: String(500 + i) })]);
    }
    // The taken-over job's first attempt was abandoned, and its live one stays open for w2.
    expect(attempts.filter((t) => t.job_id === lost!.id).map((t) => [t.worker_id, t.outcome, t.qbo_id])).toEqual(
      expect.arrayContaining([
        ['w1', 'abandoned', null],
        ['w2', null, null],
      ]),
    );
    expect(await completeJobs(db, 'w1', [], at(3_000))).toEqual([]);
  });

  it('keeps a validation failure for the user, burns its requestid, and retries it on request', async () => {
    const { db } = getDb();
    const orgId = `org-fail-${dialect}`;
    const { job } = await enqueuePush(db, push({ orgId }), T0);
    await claimJobs(db, dialect, { workerId: 'w1', limit: 50, leaseMs: 30_000, now: at(0) });
    await failJob(
      db,
      job.id,
      'w1',
      { code: 'qbo_validation', message: 'Account not specified for line item', detail: 'line 1: Lighting', definitiveRejection: true },
      at(1),
    );
    const failed = await db.selectFrom('push_jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ status: 'failed', qbo_message: 'Account not specified for line item', qbo_detail: 'line 1: Lighting' });
    expect(failed.request_id).not.toBe(job.request_id);
    const notDue = await claimJobs(db, dialect, { workerId: 'w2', limit: 50, leaseMs: 30_000, now: at(3_600_000) });
    expect(notDue.map((j) => j.id)).not.toContain(job.id);

    expect(await requeueFailedJobs(db, 'someone-else', 'all', at(2))).toEqual([]);
    expect(await requeueFailedJobs(db, orgId, [job.id], at(2))).toEqual([job.id]);
    const again = await claimJobs(db, dialect, { workerId: 'w2', limit: 50, leaseMs: 30_000, now: at(3) });
    expect(again.find((j) => j.id === job.id)).toMatchObject({ status: 'pushing', request_id: failed.request_id });
  });

  it('opens an attempt per claim naming who asked for it, and marks the attempt of a dead worker abandoned', async () => {
    const { db } = getDb();
    const orgId = `org-attempts-${dialect}`;
    const { job } = await enqueuePush(db, push({ orgId, startedBy: 'alice' }), T0);
    await claimJobs(db, dialect, { workerId: 'dead', limit: 50, leaseMs: 1_000, now: at(0) });
    await claimJobs(db, dialect, { workerId: 'w2', limit: 50, leaseMs: 1_000, now: at(2_000) });
    await failJob(db, job.id, 'w2', { code: 'qbo_validation', message: 'Invalid Reference Id', definitiveRejection: true }, at(2_100));
    expect(await requeueFailedJobs(db, orgId, [job.id], at(3_000), { requestedBy: 'bob' })).toEqual([job.id]);
    await claimJobs(db, dialect, { workerId: 'w3', limit: 50, leaseMs: 1_000, now: at(3_001) });
    await completeJobs(db, 'w3', [{ jobId: job.id, qboId: '77' }], at(3_500));

    const attempts = await db.selectFrom('push_attempts').selectAll().where('job_id', '=', job.id).orderBy('attempt').execute();
    expect(attempts.map((a) => [a.attempt, a.trigger, a.started_by, a.worker_id, a.outcome, a.qbo_message])).toEqual([
      [1, 'push', 'alice', 'dead', 'abandoned', null],
      [2, 'lease_expired', 'alice', 'w2', 'failed', 'Invalid Reference Id'],
      [3, 'retry', 'bob', 'w3', 'pushed', null],
    ]);
    // A rejected write gets a fresh requestid for the user's retry, as the attempt rows show.
    expect(attempts[2]?.request_id).not.toBe(attempts[1]?.request_id);
    expect(await db.selectFrom('push_jobs').select(['streak_attempts', 'request_id_claims']).where('id', '=', job.id).executeTakeFirstOrThrow()).toEqual({
      streak_attempts: 1,
      request_id_claims: 1,
    });
  });

  it('marks a batch only while the worker still holds every job in it', async () => {
    const { db } = getDb();
    const orgId = `org-mark-${dialect}`;
    const a = (await enqueuePush(db, push({ orgId }), T0)).job;
    const b = (await enqueuePush(db, push({ orgId }), T0)).job;
    await claimJobs(db, dialect, { workerId: 'w1', limit: 50, leaseMs: 1_000, now: at(0), jobIds: [a.id, b.id] });
    expect(await markBatch(db, 'w1', 'batch-1', [{ jobId: a.id, bId: 'b0' }, { jobId: b.id, bId: 'b1' }])).toBe(true);
    const marked = await db.selectFrom('push_jobs').select(['id', 'batch_request_id', 'batch_item_id']).where('id', 'in', [a.id, b.id]).orderBy('batch_item_id').execute();
    expect(marked).toEqual([
      { id: a.id, batch_request_id: 'batch-1', batch_item_id: 'b0' },
      { id: b.id, batch_request_id: 'batch-1', batch_item_id: 'b1' },
    ]);
    // Another worker took b over after the lease ran out: the old holder may not send a batch with it.
    await claimJobs(db, dialect, { workerId: 'w2', limit: 50, leaseMs: 1_000, now: at(5_000), jobIds: [b.id] });
    expect(await markBatch(db, 'w1', 'batch-2', [{ jobId: a.id, bId: 'b0' }, { jobId: b.id, bId: 'b1' }])).toBe(false);
  });
});
