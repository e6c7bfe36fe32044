import { expect, it } from 'vitest';
import { BULK_BATCH_SIZE, createBatchPushProcessor, pushAllApproved } from '../../../src/qbo/sync/bulk-push.js';
import { enqueuePush } from '../../../src/qbo/sync/job-queue.js';
import { saveMappings } from '../../../src/qbo/sync/mapping-store.js';
import { AccountMappingSchema } from '../../../src/qbo/mapping/index.js';
import { readRunProgress } from '../../../src/qbo/sync/progress.js';
import { createPushProcessor } from '../../../src/qbo/sync/push-processor.js';
import { createWorker, type Worker } from '../../../src/qbo/sync/worker.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { connect } from '../qbo-connection/harness.js';
import { qboUser } from '../qbo-month-end/qbo-user.js';
import { ACCOUNTS, ISSUE_DATE, line as taxedLine, SANDBOX_US, SANDBOX_US_2, worldsClosedAfterEach, type PushWorld } from '../qbo-push/harness.js';

/** An untaxed line: these tests are about the queue, not the tax mapping. */
const line = (quantity: string, rate: string, extra: Record<string, unknown> = {}) => taxedLine(quantity, rate, { taxable: false, ...extra });

function bulkWorker(w: PushWorld, dialect: 'sqlite' | 'postgres'): Worker {
  return createWorker({
    db: w.db,
    dialect,
    workerId: `bulk-${w.org.id.slice(0, 6)}`,
    process: createPushProcessor({ db: w.db, dialect, qbo: w.service }),
    batch: { process: createBatchPushProcessor({ db: w.db, qbo: w.service }), size: BULK_BATCH_SIZE },
  });
}

async function drain(worker: Worker): Promise<void> {
  while ((await worker.tick()) > 0);
}

describeEachDatabase('push all approved', (getDb, dialect) => {
  const newWorld = worldsClosedAfterEach(getDb, dialect);
  const world = () => newWorld({ realmId: SANDBOX_US });
  const jobsOf = (w: PushWorld) => w.db.selectFrom('push_jobs').selectAll().where('org_id', '=', w.org.id).execute();
  const calls = (w: PushWorld) => w.emulator.control.api.counters(w.realmId)[w.realmId]?.byEndpoint ?? {};

  it('queues every approved document once, sends them in batches of 30 and creates each customer once', async () => {
    const w = await world();
    await w.map({ defaultIncomeAccountId: ACCOUNTS.designServices, defaultExpenseAccountId: ACCOUNTS.purchases });
    const harbor = await w.client('Harbor Lofts');
    const maple = await w.client('Maple & Finch');
    const vendorId = await w.vendor('Lumen Supply');
    for (let i = 0; i < 34; i++) {
      await w.document({ type: 'invoice', clientId: i % 2 === 0 ? harbor : maple, issueDate: ISSUE_DATE, lines: [line('1', `${100 + i}`)] });
    }
    await w.document({ type: 'estimate', clientId: harbor, issueDate: ISSUE_DATE, lines: [line('2', '40')] });
    await w.document({ type: 'purchase_order', vendorId, issueDate: ISSUE_DATE, lines: [line('3', '12.50')] });
    await w.document({ type: 'invoice', clientId: maple, issueDate: ISSUE_DATE, lines: [line('1', '5')] }, { draft: true });
    w.emulator.control.api.resetCounters();

    const run = await pushAllApproved(w.db, { orgId: w.org.id, realmId: w.realmId, userId: w.session.userId, now: new Date() });
    expect(run).toMatchObject({ total: 36, queued: 36, retried: 0, alreadyQueued: 0 });
    // Pressing it again while the first run waits queues nothing twice.
    const again = await pushAllApproved(w.db, { orgId: w.org.id, realmId: w.realmId, userId: w.session.userId, now: new Date() });
    expect(again).toMatchObject({ total: 36, queued: 0, alreadyQueued: 36 });

    await drain(bulkWorker(w, dialect));
    const jobs = await jobsOf(w);
    expect(jobs).toHaveLength(36);
    expect(jobs.every((j) => j.status === 'pushed' && j.qbo_id !== null)).toBe(true);
    expect(w.qbo('Invoice')).toHaveLength(34);
    expect(w.qbo('Estimate')).toHaveLength(1);
    expect(w.qbo('PurchaseOrder')).toHaveLength(1);
    expect(w.qbo('Customer').filter((c) => ['Harbor Lofts', 'Maple & Finch'].includes(String(c['DisplayName'])))).toHaveLength(2);

    const byEndpoint = calls(w);
    expect(byEndpoint['POST customer']).toBe(2);
    expect(byEndpoint['POST vendor']).toBe(1);
    expect(byEndpoint['POST batch']).toBe(2);
    expect(byEndpoint['POST invoice'] ?? 0).toBe(0);
    const total = Object.values(byEndpoint).reduce((a, b) => a + b, 0);
    // Two parties looked up and created, one item, two batches: far fewer calls than documents.
    expect(total).toBeLessThan(20);

    // Each answer recorded against its own document: QBO's id for its number, and no create left pending.
    const pushes = await w.db.selectFrom('document_pushes').innerJoin('documents', 'documents.id', 'document_pushes.document_id').select(['documents.number', 'document_pushes.qbo_id', 'document_pushes.status', 'document_pushes.operation']).where('document_pushes.org_id', '=', w.org.id).execute();
    const qboIdByNumber = new Map(['Invoice', 'Estimate', 'PurchaseOrder'].flatMap((entity) => w.qbo(entity as 'Invoice').map((r) => [String(r['DocNumber']), String(r['Id'])] as const)));
    expect(pushes).toHaveLength(36);
    for (const push of pushes) expect(push).toMatchObject({ status: 'pushed', operation: 'created', qbo_id: qboIdByNumber.get(push.number) });
    expect(await w.db.selectFrom('qbo_pending_creates').selectAll().where('org_id', '=', w.org.id).execute()).toEqual([]);

    expect(await readRunProgress(w.db, w.org.id, run.runId ?? '')).toMatchObject({ total: 36, pushed: 36, failed: 0, pending: 0, done: true });
    const attempts = await w.db.selectFrom('push_attempts').selectAll().where('org_id', '=', w.org.id).execute();
    expect(attempts).toHaveLength(36);
    expect(attempts.every((a) => a.trigger === 'bulk' && a.started_by === w.session.userId && a.outcome === 'pushed')).toBe(true);

    expect(await pushAllApproved(w.db, { orgId: w.org.id, realmId: w.realmId, userId: w.session.userId, now: new Date() })).toMatchObject({ runId: null, total: 0 });
  });

  it('re-pushes only documents changed since their push, updating the same QBO records', async () => {
    const w = await world();
    await w.map({ defaultIncomeAccountId: ACCOUNTS.designServices });
    const clientId = await w.client('Cedar Row');
    const docs = [];
    for (let i = 0; i < 3; i++) docs.push(await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '200')] }));
    const worker = bulkWorker(w, dialect);
    await pushAllApproved(w.db, { orgId: w.org.id, realmId: w.realmId, userId: w.session.userId, now: new Date() });
    await drain(worker);
    expect(w.qbo('Invoice')).toHaveLength(3);

    const [first, second] = docs;
    await w.edit(first!, { lines: [line('2', '200')] });
    await w.edit(second!, { lines: [line('3', '200')] });
    const run = await pushAllApproved(w.db, { orgId: w.org.id, realmId: w.realmId, userId: w.session.userId, now: new Date() });
    expect(run).toMatchObject({ total: 2, queued: 2 });
    await drain(worker);
    const invoices = w.qbo('Invoice');
    expect(invoices).toHaveLength(3);
    expect(invoices.map((i) => i['TotalAmt']).sort()).toEqual([200, 400, 600]);
    expect(invoices.filter((i) => i['SyncToken'] === '1')).toHaveLength(2);
  });

  it('fails only the document QBO cannot take, with the reason, and pushes it once the mapping is fixed', async () => {
    const w = await world();
    const furniture = await w.category('Furniture');
    await w.map({ incomeByCategory: { [furniture]: ACCOUNTS.productIncome } });
    const clientId = await w.client('Birch & Co');
    for (let i = 0; i < 3; i++) {
      await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '90', { categoryId: furniture })] });
    }
    const odd = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '60')] });
    const worker = bulkWorker(w, dialect);
    const run = await pushAllApproved(w.db, { orgId: w.org.id, realmId: w.realmId, userId: w.session.userId, now: new Date() });
    await drain(worker);
    expect(await readRunProgress(w.db, w.org.id, run.runId ?? '')).toMatchObject({ total: 4, pushed: 3, failed: 1, done: true });
    const failed = (await jobsOf(w)).find((j) => j.document_id === odd.id);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed?.qbo_message).toMatch(/^Account not specified for line item/);

    await w.map({ defaultIncomeAccountId: ACCOUNTS.designServices, incomeByCategory: { [furniture]: ACCOUNTS.productIncome } });
    const retry = await pushAllApproved(w.db, { orgId: w.org.id, realmId: w.realmId, userId: w.session.userId, now: new Date() });
    expect(retry).toMatchObject({ total: 1, retried: 1, queued: 0 });
    await drain(worker);
    const jobs = await jobsOf(w);
    expect(jobs).toHaveLength(4);
    expect(jobs.find((j) => j.document_id === odd.id)).toMatchObject({ status: 'pushed', qbo_code: null });
    expect(w.qbo('Invoice')).toHaveLength(4);
  });

  it('stops a document its mapping cannot carry before QuickBooks, even when its customer and item are already known', async () => {
    const w = await world();
    await w.map({ defaultIncomeAccountId: ACCOUNTS.designServices }, { kind: 'sales_tax', salesTaxCodeId: null, exemptTaxCodeId: null });
    const clientId = await w.client('Juniper Hall');
    const first = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '80')] });
    expect((await w.push(first.id)).job.status).toBe('pushed');
    const plain = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('2', '80')] });
    const taxed = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '50'), taxedLine('1', '20', { taxable: true })] });
    w.emulator.control.api.resetCounters();

    await pushAllApproved(w.db, { orgId: w.org.id, realmId: w.realmId, userId: w.session.userId, now: new Date() });
    await drain(bulkWorker(w, dialect));
    const jobs = new Map((await jobsOf(w)).map((j) => [j.document_id, j]));
    expect(jobs.get(plain.id)).toMatchObject({ status: 'pushed' });
    expect(jobs.get(taxed.id)).toMatchObject({ status: 'failed', qbo_code: 'tax_code_mismatch' });
    expect(jobs.get(taxed.id)?.qbo_message).toContain('the Sales Tax % is not paired with a QuickBooks tax code');
    expect(w.qbo('Invoice').map((i) => i['DocNumber']).sort()).toEqual([first.number, plain.number].sort());
    // The known customer and item cost nothing: one call, the create of the one document QuickBooks can take.
    expect(calls(w)).toEqual({ 'POST invoice': 1 });
  });

  it('fails only the batch item QuickBooks refuses, in its words, pushes its neighbours, and Retry pushes it once the clash is gone', async () => {
    const w = await world();
    await w.map({ defaultIncomeAccountId: ACCOUNTS.designServices });
    const clientId = await w.client('Linden Court');
    const docs = [];
    for (let i = 0; i < 3; i++) docs.push(await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', `${500 + i}`)] }));
    const clashing = docs[1]!;
    // A bookkeeper turned on custom transaction numbers and typed an invoice with the same number in QuickBooks.
    const bookkeeper = await qboUser({ db: w.db, dialect, baseUrl: w.emulator.baseUrl, realmId: w.realmId });
    const preferences = await bookkeeper.read('Preferences', '1');
    await bookkeeper.call('POST', 'preferences', { Id: '1', SyncToken: preferences['SyncToken'], sparse: true, SalesFormsPrefs: { CustomTxnNumbers: true } });
    const walkIn = await bookkeeper.createCustomer('Walk-in');
    const byHand = (await bookkeeper.call('POST', 'invoice', {
      CustomerRef: { value: walkIn['Id'] },
      DocNumber: clashing.number,
      Line: [{ Amount: 10, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: 10 } }],
    }))['Invoice'] as Record<string, unknown>;
    w.emulator.control.api.resetCounters();

    const run = await pushAllApproved(w.db, { orgId: w.org.id, realmId: w.realmId, userId: w.session.userId, now: new Date() });
    await drain(bulkWorker(w, dialect));
    expect(calls(w)['POST batch']).toBe(1);
    expect(calls(w)['POST invoice'] ?? 0).toBe(0);
    expect(await readRunProgress(w.db, w.org.id, run.runId ?? '')).toMatchObject({ total: 3, pushed: 2, failed: 1, done: true });
    const jobs = new Map((await jobsOf(w)).map((j) => [j.document_id, j]));
    expect(jobs.get(clashing.id)).toMatchObject({ status: 'failed', qbo_code: 'qbo_duplicate_doc_number' });
    expect(jobs.get(clashing.id)?.qbo_message).toContain('Duplicate Document Number Error');
    expect(jobs.get(clashing.id)?.qbo_detail).toContain(`QuickBooks error 6140: Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${clashing.number} is assigned to TxnType=Invoice with TxnId=${String(byHand['Id'])}`);
    for (const doc of [docs[0]!, docs[2]!]) expect(jobs.get(doc.id)).toMatchObject({ status: 'pushed' });
    // QuickBooks refused the create outright: nothing is left pending that a later push would go looking for.
    expect(await w.db.selectFrom('qbo_pending_creates').selectAll().where('org_id', '=', w.org.id).execute()).toEqual([]);

    await bookkeeper.remove('Invoice', String(byHand['Id']));
    expect(await pushAllApproved(w.db, { orgId: w.org.id, realmId: w.realmId, userId: w.session.userId, now: new Date() })).toMatchObject({ total: 1, retried: 1 });
    await drain(bulkWorker(w, dialect));
    expect((await jobsOf(w)).find((j) => j.document_id === clashing.id)).toMatchObject({ status: 'pushed' });
    expect(w.qbo('Invoice').map((i) => i['DocNumber']).sort()).toEqual(docs.map((d) => d.number).sort());
  });

  it('sends nothing queued for one company to the company the studio has switched to, alone or in a batch, and says so', async () => {
    const w = await world();
    await w.map({ defaultIncomeAccountId: ACCOUNTS.designServices });
    const clientId = await w.client('Alder House');
    const docs = [];
    for (let i = 0; i < 4; i++) docs.push(await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', `${300 + i}`)] }));
    const [alone] = docs;
    const { job: aloneJob } = await enqueuePush(w.db, { orgId: w.org.id, realmId: SANDBOX_US, documentId: alone!.id, documentType: 'invoice', documentRevision: alone!.revision, startedBy: w.session.userId }, new Date());
    expect(await pushAllApproved(w.db, { orgId: w.org.id, realmId: SANDBOX_US, userId: w.session.userId, now: new Date() })).toMatchObject({ queued: 3, alreadyQueued: 1 });

    await w.service.disconnect(w.org.id);
    expect((await connect(w.service, w.session, SANDBOX_US_2)).ok).toBe(true);
    const companyName = (await w.service.status(w.org.id)).company?.name;
    expect(companyName).toBeTruthy();
    w.emulator.control.api.resetCounters();

    await w.worker.runNow([aloneJob.id]);
    await drain(bulkWorker(w, dialect));
    const jobs = await jobsOf(w);
    expect(jobs).toHaveLength(4);
    for (const job of jobs) {
      expect(job).toMatchObject({ status: 'failed', qbo_code: 'wrong_company' });
      expect(job.qbo_message).toContain(`queued for QuickBooks company ${SANDBOX_US}, but Workroom is now connected to ${companyName}; push the document again`);
    }
    const pushes = await w.db.selectFrom('document_pushes').select(['realm_id', 'status', 'error_code']).where('org_id', '=', w.org.id).execute();
    expect(pushes).toEqual(docs.map(() => ({ realm_id: SANDBOX_US, status: 'failed', error_code: 'wrong_company' })));
    expect(w.emulator.control.api.counters()).toEqual({});

    // Pushed again, they go to the company connected now, once each.
    await saveMappings(w.db, { orgId: w.org.id, realmId: SANDBOX_US_2, userId: w.session.userId, accounts: AccountMappingSchema.parse({ defaultIncomeAccountId: ACCOUNTS.designServices }) }, w.org.taxModel);
    expect(await pushAllApproved(w.db, { orgId: w.org.id, realmId: SANDBOX_US_2, userId: w.session.userId, now: new Date() })).toMatchObject({ total: 4, queued: 4 });
    await drain(bulkWorker(w, dialect));
    expect(w.emulator.control.api.listEntities(SANDBOX_US_2, 'Invoice')).toHaveLength(4);
    expect(w.emulator.control.api.listEntities(SANDBOX_US, 'Invoice')).toHaveLength(0);
  });

  it('two clicks at once queue each document once, however many chunks the queueing takes', async () => {
    const w = await world();
    const clientId = await w.client('Juniper Hall');
    const count = 450;
    for (let i = 0; i < count; i++) await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', `${10 + i}`)] });

    const click = () => pushAllApproved(w.db, { orgId: w.org.id, realmId: w.realmId, userId: w.session.userId, now: new Date() });
    const runs = await Promise.all([click(), click()]);
    expect(runs.map((r) => r.total)).toEqual([count, count]);
    expect(runs.reduce((sum, r) => sum + r.queued, 0)).toBe(count);
    expect(runs.reduce((sum, r) => sum + r.alreadyQueued, 0)).toBe(count);

    const jobs = await jobsOf(w);
    expect(jobs).toHaveLength(count);
    expect(new Set(jobs.map((j) => j.document_id)).size).toBe(count);
    for (const run of runs) expect(await readRunProgress(w.db, w.org.id, run.runId ?? '')).toMatchObject({ total: count, pending: count });
  });
});
