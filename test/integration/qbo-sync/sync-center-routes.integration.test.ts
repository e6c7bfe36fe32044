import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId, nowIso } from '../../../src/db/index.js';
import { DocumentInputSchema } from '../../../src/domain/documents.js';
import { VendorInputSchema } from '../../../src/domain/parties.js';
import { applyDocumentAction, createDocument } from '../../../src/domain/store/documents.js';
import { createOrganisation } from '../../../src/domain/store/organisations.js';
import { createVendor } from '../../../src/domain/store/vendors.js';
import { startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';
import { emulatorPlatform } from '../../../src/qbo/client/index.js';
import { AccountMappingSchema } from '../../../src/qbo/mapping/index.js';
import { BULK_BATCH_SIZE, createBatchPushProcessor } from '../../../src/qbo/sync/bulk-push.js';
import { saveMappings } from '../../../src/qbo/sync/mapping-store.js';
import { ProgressSignals } from '../../../src/qbo/sync/progress.js';
import { DriftService } from '../../../src/qbo/sync/drift-service.js';
import { createPushProcessor } from '../../../src/qbo/sync/push-processor.js';
import { SyncCenter } from '../../../src/qbo/sync/sync-center.js';
import { createWorker, type Worker } from '../../../src/qbo/sync/worker.js';
import { buildApp, hashPassword } from '../../../src/server/index.js';
import { DismissalSchema } from '../../../src/server/routes/qbo-drift/contract.js';
import { qboDriftRoutes } from '../../../src/server/routes/qbo-drift/index.js';
import { syncCenterRoutes } from '../../../src/server/routes/sync-center/index.js';
import {
  PushAllApprovedResultSchema,
  RetryAllResultSchema,
  RunProgressSchema,
  SyncHealthSchema,
  SyncHistorySchema,
  SyncJobDetailSchema,
  SyncJobSchema,
  type RunProgress,
} from '../../../src/server/routes/sync-center/contract.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { testKeyHex } from '../qbo-connection/harness.js';
import { enqueuePush } from '../../../src/qbo/sync/job-queue.js';
import { DESIGN_SERVICES, PRODUCTION_US, SANDBOX_US, seedStudio, type Studio } from './harness.js';

/** Reads a server-sent event stream until it ends; every `progress` event parsed. */
async function readProgressStream(url: string, cookie: string, whileOpen: () => Promise<void>): Promise<RunProgress[]> {
  const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' } });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  const events: RunProgress[] = [];
  let buffer = '';
  let work: Promise<void> | undefined;
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^event: progress\ndata: (.*)$/m.exec(block)?.[1];
      if (data !== undefined) events.push(RunProgressSchema.parse(JSON.parse(data)));
    }
    // Start the work only once the first event is in, so the stream sees the run from its start.
    work ??= whileOpen();
  }
  await work;
  return events;
}

describeEachDatabase('Sync Center API', (getDb, dialect) => {
  let emulator: StartedEmulator;
  let studio: Studio;
  let app: FastifyInstance;
  let baseUrl: string;
  let worker: Worker;
  let cookie: string;
  let memberId: string;
  let strangerCookie: string;

  beforeAll(async () => {
    const { db } = getDb();
    emulator = await startEmulator({ port: 0, host: '127.0.0.1', withHistory: false });
    studio = await seedStudio({ db, dialect, emulator, realmId: SANDBOX_US, keyHex: testKeyHex() });
    const signals = new ProgressSignals();
    worker = createWorker({
      db,
      dialect,
      workerId: 'api-test',
      process: createPushProcessor({ db, dialect, qbo: studio.service }),
      batch: { process: createBatchPushProcessor({ db, qbo: studio.service }), size: BULK_BATCH_SIZE },
      onSettled: (job) => signals.notify(job.org_id),
    });
    const center = new SyncCenter({ db, qbo: studio.service, platform: emulatorPlatform(emulator.baseUrl) });
    app = await buildApp({
      db,
      dialect,
      config: { publicUrl: 'http://127.0.0.1:9', logLevel: 'silent' },
      logger: false,
      extend: async (instance) => {
        await instance.register(syncCenterRoutes, { center, signals, pollMs: 50 });
        await instance.register(qboDriftRoutes, { drift: new DriftService({ db, qbo: studio.service }) });
      },
    });
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    ({ cookie, userId: memberId } = await login(studio.org.id));
    ({ cookie: strangerCookie } = await login((await createOrganisation(db, { name: 'Other studio', country: 'US', homeCurrency: 'USD' })).id));
  });
  afterAll(async () => {
    await app?.close();
    await emulator?.close();
  });

  async function login(orgId: string): Promise<{ cookie: string; userId: string }> {
    const email = `member-${newId()}@example.test`;
    const userId = newId();
    await getDb()
      .db.insertInto('users')
      .values({ id: userId, org_id: orgId, email, password_hash: await hashPassword('correct horse'), role: 'member', created_at: nowIso() })
      .execute();
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'correct horse' } });
    const session = res.cookies.find((c) => c.name === 'wr_session');
    if (!session) throw new Error(`login failed: ${res.statusCode}`);
    return { cookie: `wr_session=${session.value}`, userId };
  }

  const get = (url: string, as = cookie) => app.inject({ method: 'GET', url, headers: { cookie: as } });
  const post = (url: string, as = cookie) => app.inject({ method: 'POST', url, headers: { cookie: as } });
  const dismiss = (jobId: string, reason: string, as = cookie) =>
    app.inject({ method: 'POST', url: `/api/qbo/push-jobs/${jobId}/dismiss`, headers: { cookie: as }, payload: { reason } });
  const drain = async () => {
    while ((await worker.tick()) > 0);
  };
  const mapIncome = (accountId: string | null) =>
    saveMappings(getDb().db, { orgId: studio.org.id, realmId: studio.realmId, userId: null, accounts: AccountMappingSchema.parse({ defaultIncomeAccountId: accountId }) }, studio.org.taxModel);

  it('pushes all approved with live progress over server-sent events, and records who started each attempt', async () => {
    const clientId = await studio.client('Event Stream Studio');
    for (let i = 0; i < 6; i++) await studio.invoice(clientId, [`${50 + i}.00`]);

    const started = PushAllApprovedResultSchema.parse((await post('/api/sync-center/push-all-approved')).json());
    expect(started).toMatchObject({ total: 6, queued: 6 });
    const events = await readProgressStream(`${baseUrl}/api/sync-center/runs/${started.runId ?? ''}/events`, cookie, drain);
    expect(events[0]).toMatchObject({ total: 6, pushed: 0, pending: 6, done: false });
    expect(events.at(-1)).toMatchObject({ total: 6, pushed: 6, failed: 0, pending: 0, done: true });
    for (const [i, event] of events.entries()) if (i > 0) expect(event.pushed).toBeGreaterThanOrEqual(events[i - 1]?.pushed ?? 0);

    const run = RunProgressSchema.parse((await get(`/api/sync-center/runs/${started.runId ?? ''}`)).json());
    expect(run).toMatchObject({ done: true, pushed: 6, startedBy: memberId });
    const history = SyncHistorySchema.parse((await get('/api/sync-center/jobs?pageSize=100')).json());
    const pushed = history.items.filter((j) => j.status === 'pushed');
    expect(pushed).toHaveLength(6);
    for (const job of pushed) {
      expect(job.startedBy?.id).toBe(memberId);
      expect(job.qboUrl).toBe(`${emulator.baseUrl}/sandbox-app/app/invoice?txnId=${job.qboId ?? ''}`);
    }
    const detail = SyncJobDetailSchema.parse((await get(`/api/sync-center/jobs/${pushed[0]?.id ?? ''}`)).json());
    expect(detail.attemptHistory.map((a) => [a.attempt, a.trigger, a.outcome, a.startedBy?.id])).toEqual([[1, 'bulk', 'pushed', memberId]]);
  });

  it('shows a failure with QBO’s reason, retries it for the user who asked, and turns it green', async () => {
    await mapIncome(null);
    const doc = await studio.invoice(await studio.client('Retry Row Interiors'), ['75.00']);
    await post('/api/sync-center/push-all-approved');
    await drain();
    const health = SyncHealthSchema.parse((await get('/api/sync-center/health')).json());
    expect(health).toMatchObject({ failed: 1, queued: 0, connection: { status: 'connected', environment: 'sandbox', realmId: SANDBOX_US } });
    expect(health.lastSuccessAt).not.toBeNull();

    const failed = SyncHistorySchema.parse((await get('/api/sync-center/jobs?status=failed')).json());
    expect(failed.items.map((j) => j.documentNumber)).toEqual([doc.number]);
    const [job] = failed.items;
    expect(job?.error?.message).toMatch(/^Account not specified for line item/);
    expect(job?.qboUrl).toBeNull();

    // Retrying before the cause is fixed fails again, visibly.
    const { cookie: otherMember, userId: otherId } = await login(studio.org.id);
    expect((await post(`/api/sync-center/jobs/${job?.id ?? ''}/retry`, otherMember)).statusCode).toBe(200);
    await drain();
    await mapIncome(DESIGN_SERVICES);
    const retried = SyncJobSchema.parse((await post(`/api/sync-center/jobs/${job?.id ?? ''}/retry`)).json());
    expect(retried).toMatchObject({ status: 'queued', id: job?.id });
    expect((await post(`/api/sync-center/jobs/${job?.id ?? ''}/retry`)).statusCode).toBe(409);
    await drain();

    const detail = SyncJobDetailSchema.parse((await get(`/api/sync-center/jobs/${job?.id ?? ''}`)).json());
    expect(detail).toMatchObject({ status: 'pushed', error: null });
    expect(detail.attemptHistory.map((a) => [a.attempt, a.trigger, a.outcome, a.startedBy?.id])).toEqual([
      [3, 'retry', 'pushed', memberId],
      [2, 'retry', 'failed', otherId],
      [1, 'bulk', 'failed', memberId],
    ]);
    expect(SyncHealthSchema.parse((await get('/api/sync-center/health')).json()).failed).toBe(0);
  });

  it('retries all failed as one run', async () => {
    await mapIncome(null);
    const clientId = await studio.client('Retry All Atelier');
    await studio.invoice(clientId, ['10.00']);
    await studio.invoice(clientId, ['20.00']);
    await post('/api/sync-center/push-all-approved');
    await drain();
    expect(SyncHealthSchema.parse((await get('/api/sync-center/health')).json()).failed).toBe(2);
    await mapIncome(DESIGN_SERVICES);
    const run = RetryAllResultSchema.parse((await post('/api/sync-center/retry-failed')).json());
    expect(run.total).toBe(2);
    await drain();
    expect(RunProgressSchema.parse((await get(`/api/sync-center/runs/${run.runId ?? ''}`)).json())).toMatchObject({ kind: 'retry_all', pushed: 2, done: true });
    expect(RetryAllResultSchema.parse((await post('/api/sync-center/retry-failed')).json())).toEqual({ runId: null, total: 0 });
  });

  it('pages the history newest first and filters it by status, type, client and number', async () => {
    const all = SyncHistorySchema.parse((await get('/api/sync-center/jobs?pageSize=100')).json());
    expect(all.total).toBeGreaterThanOrEqual(9);
    const created = all.items.map((j) => j.createdAt);
    expect(created).toEqual([...created].sort().reverse());

    const first = SyncHistorySchema.parse((await get('/api/sync-center/jobs?pageSize=4')).json());
    const second = SyncHistorySchema.parse((await get('/api/sync-center/jobs?pageSize=4&page=2')).json());
    expect(first.items.map((j) => j.id)).toEqual(all.items.slice(0, 4).map((j) => j.id));
    expect(second.items.map((j) => j.id)).toEqual(all.items.slice(4, 8).map((j) => j.id));

    const target = all.items[2];
    const byNumber = SyncHistorySchema.parse((await get(`/api/sync-center/jobs?q=${encodeURIComponent((target?.documentNumber ?? '').toLowerCase())}`)).json());
    expect(byNumber.items.map((j) => j.id)).toContain(target?.id);
    expect(byNumber.items.every((j) => j.documentNumber?.includes(target?.documentNumber ?? '-'))).toBe(true);
    expect(SyncHistorySchema.parse((await get('/api/sync-center/jobs?q=%25')).json()).total).toBe(0);

    const client = await getDb().db.selectFrom('clients').select('id').where('org_id', '=', studio.org.id).where('info_name', '=', 'Retry All Atelier').executeTakeFirstOrThrow();
    const byClient = SyncHistorySchema.parse((await get(`/api/sync-center/jobs?clientId=${client.id}`)).json());
    expect(byClient.items.map((j) => j.partyName)).toEqual(['Retry All Atelier', 'Retry All Atelier']);
    expect(SyncHistorySchema.parse((await get('/api/sync-center/jobs?type=estimate')).json()).total).toBe(0);
    expect(SyncHistorySchema.parse((await get('/api/sync-center/jobs?status=queued')).json()).total).toBe(0);
    expect((await get('/api/sync-center/jobs?status=lost')).statusCode).toBe(400);
  });

  it('filters the history by vendor: a purchase order’s push, not the client documents, nor another studio’s vendor', async () => {
    const { db } = getDb();
    const buyer = await seedStudio({ db, dialect, emulator, realmId: PRODUCTION_US, keyHex: testKeyHex() });
    const { cookie: buyerCookie } = await login(buyer.org.id);
    const vendor = await createVendor(db, buyer.org.id, VendorInputSchema.parse({ name: 'Loom & Weft Mills' }));
    const otherVendor = await createVendor(db, buyer.org.id, VendorInputSchema.parse({ name: 'Brass & Co' }));
    const order = await createDocument(
      db,
      buyer.org,
      DocumentInputSchema.parse({ type: 'purchase_order', vendorId: vendor.id, issueDate: '2026-03-02', lines: [{ description: 'Linen, 40 m', quantity: '40', rate: '18.50', taxable: false }] }),
    );
    if (!order.ok) throw new Error('purchase order');
    const approved = await applyDocumentAction(db, buyer.org, order.value.id, 'approve');
    if (!approved.ok) throw new Error('approve');
    const invoice = await buyer.invoice(await buyer.client('Loom Client'), ['12.00']);
    const queue = (documentId: string, documentType: 'invoice' | 'purchase_order', documentRevision: number) =>
      enqueuePush(db, { orgId: buyer.org.id, realmId: PRODUCTION_US, documentId, documentType, documentRevision, startedBy: buyer.userId }, new Date());
    const { job: orderJob } = await queue(approved.value.id, 'purchase_order', approved.value.revision);
    await queue(invoice.id, 'invoice', invoice.revision);

    const history = async (query: string, as = buyerCookie) => SyncHistorySchema.parse((await get(`/api/sync-center/jobs?${query}`, as)).json());
    expect((await history('')).total).toBe(2);
    const byVendor = await history(`vendorId=${vendor.id}`);
    expect(byVendor.items.map((j) => [j.id, j.documentType, j.partyName])).toEqual([[orderJob.id, 'purchase_order', 'Loom & Weft Mills']]);
    expect((await history(`vendorId=${otherVendor.id}`)).total).toBe(0);
    // A vendor of this studio means nothing to another studio's history.
    expect((await history(`vendorId=${vendor.id}`, cookie)).total).toBe(0);
    expect((await history('vendorId=no-such-vendor')).total).toBe(0);
  });

  it('links a pushed row to the record on the host of its company’s environment', async () => {
    const { db } = getDb();
    const live = await seedStudio({ db, dialect, emulator, realmId: PRODUCTION_US, keyHex: testKeyHex() });
    const { cookie: liveCookie } = await login(live.org.id);
    const doc = await live.invoice(await live.client('Production Parlour'), ['90.00']);
    const pushedAs = async (realmId: string, qboId: string): Promise<string> => {
      const { job } = await enqueuePush(
        db,
        { orgId: live.org.id, realmId, documentId: doc.id, documentType: 'invoice', documentRevision: doc.revision, startedBy: live.userId },
        new Date(),
      );
      await db.updateTable('push_jobs').set({ status: 'pushed', qbo_id: qboId, finished_at: new Date().toISOString() }).where('id', '=', job.id).execute();
      return job.id;
    };
    const here = await pushedAs(PRODUCTION_US, '130');
    // Pushed to a company file the studio is no longer connected to: its id means nothing on this one's host.
    const elsewhere = await pushedAs(SANDBOX_US, '131');
    const items = SyncHistorySchema.parse((await get('/api/sync-center/jobs', liveCookie)).json()).items;
    expect(items.find((j) => j.id === here)?.qboUrl).toBe(`${emulator.baseUrl}/app/app/invoice?txnId=130`);
    expect(items.find((j) => j.id === elsewhere)?.qboUrl).toBeNull();
  });

  it('keeps every organisation to its own pushes', async () => {
    const mine = SyncHistorySchema.parse((await get('/api/sync-center/jobs')).json()).items[0];
    expect(SyncHistorySchema.parse((await get('/api/sync-center/jobs', strangerCookie)).json()).total).toBe(0);
    expect((await get(`/api/sync-center/jobs/${mine?.id ?? ''}`, strangerCookie)).statusCode).toBe(404);
    expect((await post(`/api/sync-center/jobs/${mine?.id ?? ''}/retry`, strangerCookie)).statusCode).toBe(404);
    expect((await get('/api/sync-center/jobs')).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/sync-center/health' })).statusCode).toBe(401);
  });

  it('dismisses a failed push with who, when and why, and no retry or worker ever pushes it again', async () => {
    const { db } = getDb();
    await mapIncome(null);
    const clientId = await studio.client('Dismissed Drapery');
    const fixedByHand = await studio.invoice(clientId, ['310.00']);
    const stillFailing = await studio.invoice(clientId, ['320.00']);
    await post('/api/sync-center/push-all-approved');
    await drain();
    const failed = SyncHistorySchema.parse((await get(`/api/sync-center/jobs?status=failed&clientId=${clientId}`)).json()).items;
    const job = failed.find((j) => j.documentNumber === fixedByHand.number);
    expect(failed).toHaveLength(2);
    const jobId = job?.id ?? '';
    const failedBefore = SyncHealthSchema.parse((await get('/api/sync-center/health')).json()).failed;

    expect((await dismiss(jobId, '   ')).statusCode).toBe(400);
    expect((await dismiss(jobId, 'Fixed by hand in QuickBooks', strangerCookie)).statusCode).toBe(404);
    const dismissal = DismissalSchema.parse((await dismiss(jobId, '  Fixed by hand in QuickBooks ')).json());
    expect(dismissal).toMatchObject({ jobId, reason: 'Fixed by hand in QuickBooks', dismissedBy: memberId });
    expect((await dismiss(jobId, 'again')).statusCode).toBe(409);

    // The history shows it apart, with the reason, who and when; it no longer needs attention.
    const dismissed = SyncHistorySchema.parse((await get('/api/sync-center/jobs?status=dismissed')).json()).items;
    expect(dismissed.map((j) => [j.id, j.status, j.dismissal?.reason, j.dismissal?.by?.id, j.dismissal?.at])).toEqual([
      [jobId, 'dismissed', 'Fixed by hand in QuickBooks', memberId, dismissal.dismissedAt],
    ]);
    expect(dismissed[0]?.dismissal?.by?.email).toMatch(/^member-.*@example\.test$/);
    expect(dismissed[0]?.error?.message).toMatch(/^Account not specified for line item/);
    const detail = SyncJobDetailSchema.parse((await get(`/api/sync-center/jobs/${jobId}`)).json());
    expect(detail.dismissal?.reason).toBe('Fixed by hand in QuickBooks');
    expect(SyncHistorySchema.parse((await get('/api/sync-center/jobs?status=failed')).json()).items.map((j) => j.id)).not.toContain(jobId);
    expect(SyncHealthSchema.parse((await get('/api/sync-center/health')).json()).failed).toBe(failedBefore - 1);

    // Neither the user's retries, nor "Push all approved", nor any worker push it again.
    await mapIncome(DESIGN_SERVICES);
    expect((await post(`/api/sync-center/jobs/${jobId}/retry`)).statusCode).toBe(409);
    const retryAll = RetryAllResultSchema.parse((await post('/api/sync-center/retry-failed')).json());
    expect(retryAll.total).toBe(1);
    // Only the other document, already queued again by "Retry all failed", is followed.
    expect(PushAllApprovedResultSchema.parse((await post('/api/sync-center/push-all-approved')).json())).toMatchObject({
      total: 1,
      queued: 0,
      retried: 0,
      alreadyQueued: 1,
    });
    await db.updateTable('push_jobs').set({ run_after: '2000-01-01T00:00:00.000Z' }).where('id', '=', jobId).execute();
    expect(await worker.runNow([jobId])).toBe(0);
    await drain();
    const after = SyncHistorySchema.parse((await get(`/api/sync-center/jobs?clientId=${clientId}`)).json()).items;
    expect(after.map((j) => [j.documentNumber, j.status]).sort()).toEqual(
      [
        [fixedByHand.number, 'dismissed'],
        [stillFailing.number, 'pushed'],
      ].sort(),
    );
    const invoices = emulator.control.api.listEntities(SANDBOX_US, 'Invoice').map((i) => i['DocNumber']);
    expect(invoices).toContain(stillFailing.number);
    expect(invoices).not.toContain(fixedByHand.number);
  });

  it('refuses to queue anything while QuickBooks is not connected', async () => {
    await studio.service.disconnect(studio.org.id);
    const res = await post('/api/sync-center/push-all-approved');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'conflict' });
    expect(SyncHealthSchema.parse((await get('/api/sync-center/health')).json()).connection.status).toBe('disconnected');
  });
});
