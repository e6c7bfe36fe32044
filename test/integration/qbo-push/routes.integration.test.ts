import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId, nowIso } from '../../../src/db/index.js';
import { createOrganisation } from '../../../src/domain/store/organisations.js';
import { buildApp, hashPassword } from '../../../src/server/index.js';
import { qboPushRoutes } from '../../../src/server/routes/qbo-push/index.js';
import { PartySyncReportSchema, PushResultSchema, PushStateResponseSchema } from '../../../src/server/routes/qbo-push/contract.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { qboUser } from '../qbo-month-end/qbo-user.js';
import { ACCOUNTS, createWorld, ISSUE_DATE, line, SANDBOX_US, US_TAX_CODES, type PushWorld } from './harness.js';

describeEachDatabase('push routes', (getDb, dialect) => {
  let w: PushWorld;
  let app: FastifyInstance;
  let cookie: string;
  let strangerCookie: string;

  beforeAll(async () => {
    const { db } = getDb();
    w = await createWorld({ db, dialect, realmId: SANDBOX_US });
    app = await buildApp({
      db,
      dialect,
      config: { publicUrl: 'http://127.0.0.1:9', logLevel: 'silent' },
      logger: false,
      extend: async (instance) => {
        await instance.register(qboPushRoutes, { service: w.service, worker: w.worker, db });
      },
    });
    await app.ready();
    cookie = await login(w.org.id);
    strangerCookie = await login((await createOrganisation(db, { name: 'Other studio', country: 'US', homeCurrency: 'USD' })).id);
  });
  afterAll(async () => {
    await app?.close();
    await w?.close();
  });

  async function login(orgId: string): Promise<string> {
    const email = `member-${newId()}@example.test`;
    await getDb()
      .db.insertInto('users')
      .values({ id: newId(), org_id: orgId, email, password_hash: await hashPassword('correct horse'), role: 'member', created_at: nowIso() })
      .execute();
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'correct horse' } });
    const session = res.cookies.find((c) => c.name === 'wr_session');
    if (!session) throw new Error(`login failed: ${res.statusCode}`);
    return `wr_session=${session.value}`;
  }

  const post = (url: string, as = cookie) => app.inject({ method: 'POST', url, headers: { cookie: as } });
  const get = (url: string, as = cookie) => app.inject({ method: 'GET', url, headers: { cookie: as } });

  it('pushes from the API with a confirmation, then shows the push state', async () => {
    await w.map({ defaultIncomeAccountId: ACCOUNTS.services }, { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null });
    const clientId = await w.client('Route Client');
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('2', '50', { taxable: false })] });

    const before = PushStateResponseSchema.parse((await get(`/api/qbo/documents/${doc.id}/push`)).json());
    expect(before).toMatchObject({ connection: 'connected', company: { realmId: SANDBOX_US, name: 'Sandbox Company_US_1' }, state: null, documentRevision: doc.revision });
    expect(before.refusal).toBeNull();

    const res = await post(`/api/qbo/documents/${doc.id}/push`);
    expect(res.statusCode).toBe(200);
    const result = PushResultSchema.parse(res.json());
    const qboId = w.qbo('Invoice')[0]?.['Id'];
    expect(result).toMatchObject({ status: 'pushed', error: null, state: { qboId, operation: 'created' } });
    expect(result.message).toBe(`${doc.number} is in QuickBooks: created invoice #${String(qboId)}. Totals match (100.00).`);

    const after = PushStateResponseSchema.parse((await get(`/api/qbo/documents/${doc.id}/push`)).json());
    expect(after.state).toMatchObject({ status: 'pushed', qboId, pushedRevision: doc.revision, totals: { difference: '0.00' } });

    const again = PushResultSchema.parse((await post(`/api/qbo/documents/${doc.id}/push`)).json());
    expect(again.message).toContain('updated invoice');
    expect(w.qbo('Invoice')).toHaveLength(1);

    // Deleted in QuickBooks since: the re-push creates it again and says so.
    await (await qboUser({ db: getDb().db, dialect, baseUrl: w.emulator.baseUrl, realmId: SANDBOX_US })).remove('Invoice', String(qboId));
    const recreated = PushResultSchema.parse((await post(`/api/qbo/documents/${doc.id}/push`)).json());
    const newId = String(w.qbo('Invoice')[0]?.['Id']);
    expect(newId).not.toBe(String(qboId));
    expect(recreated).toMatchObject({ status: 'pushed', state: { qboId: newId, operation: 'recreated' } });
    expect(recreated.message).toBe(
      `${doc.number} is in QuickBooks again: the invoice pushed earlier was deleted there, so it was created again as invoice #${newId}. Totals match (100.00).`,
    );
  });

  it('answers a failed push with the troubleshooting heading and QBO-style detail', async () => {
    await w.map({}, { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null });
    const doc = await w.document({ type: 'estimate', clientId: await w.client('Unmapped Client'), issueDate: ISSUE_DATE, lines: [line('1', '5')] });
    const result = PushResultSchema.parse((await post(`/api/qbo/documents/${doc.id}/push`)).json());
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'account_not_specified', title: 'Account not specified for line item' });
    expect(result.message).toMatch(/^Account not specified for line item: line 1 \(no category\)/);
  });

  it('says before the push what would refuse it, in the refusal’s own words, without asking QuickBooks', async () => {
    await w.map({}, { kind: 'sales_tax', salesTaxCodeId: null, exemptTaxCodeId: null });
    const doc = await w.document({ type: 'invoice', clientId: await w.client('Foreseen Client'), issueDate: ISSUE_DATE, lines: [line('1', '5', { taxable: true })] });
    const calls = () => w.emulator.control.api.counters(SANDBOX_US)[SANDBOX_US]?.total ?? 0;
    const callsBefore = calls();
    const foreseen = PushStateResponseSchema.parse((await get(`/api/qbo/documents/${doc.id}/push`)).json());
    expect(calls()).toBe(callsBefore);
    expect(foreseen.state).toBeNull();
    expect(foreseen.refusal).toMatchObject({ code: 'account_not_specified', title: 'Account not specified for line item', qboCode: null });
    expect(foreseen.refusal?.message.split('\n')).toEqual([
      'Account not specified for line item: line 1 (no category) has no income account; set the Default Income Account in Settings → Finances → QuickBooks',
      'Tax code mismatch: the Sales Tax % is not paired with a QuickBooks tax code (taxed line 1); pair it in Settings → Finances → QuickBooks → Tax mapping',
    ]);
    // The push itself is refused with exactly those words.
    const pushed = PushResultSchema.parse((await post(`/api/qbo/documents/${doc.id}/push`)).json());
    expect(pushed.error?.message).toBe(foreseen.refusal?.message);

    // Once mapped, nothing stands in the way; a draft would be refused for being a draft.
    await w.map({ defaultIncomeAccountId: ACCOUNTS.services }, { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null });
    expect(PushStateResponseSchema.parse((await get(`/api/qbo/documents/${doc.id}/push`)).json()).refusal).toBeNull();
    const draft = await w.document({ type: 'invoice', clientId: await w.client('Foreseen Client'), issueDate: ISSUE_DATE, lines: [line('1', '5')] }, { draft: true });
    const draftState = PushStateResponseSchema.parse((await get(`/api/qbo/documents/${draft.id}/push`)).json());
    expect(draftState.refusal).toMatchObject({ code: 'draft_document', message: `Finalize ${draft.number} first: drafts are not pushed to QuickBooks` });
  });

  it('puts a failed push back in the queue when the user pushes the same revision again, in one history row', async () => {
    await w.map({}, { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null });
    const doc = await w.document({ type: 'invoice', clientId: await w.client('Second Try Client'), issueDate: ISSUE_DATE, lines: [line('1', '40', { taxable: false })] });
    const failed = PushResultSchema.parse((await post(`/api/qbo/documents/${doc.id}/push`)).json());
    expect(failed.status).toBe('failed');

    await w.map({ defaultIncomeAccountId: ACCOUNTS.services }, { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null });
    const again = PushResultSchema.parse((await post(`/api/qbo/documents/${doc.id}/push`)).json());
    expect(again).toMatchObject({ status: 'pushed', jobId: failed.jobId, error: null });
    const jobs = await getDb().db.selectFrom('push_jobs').selectAll().where('document_id', '=', doc.id).execute();
    expect(jobs.map((j) => [j.id, j.status, j.attempts])).toEqual([[failed.jobId, 'pushed', 2]]);
    const attempts = await getDb().db.selectFrom('push_attempts').select(['trigger', 'outcome']).where('job_id', '=', failed.jobId).orderBy('attempt').execute();
    expect(attempts).toEqual([
      { trigger: 'push', outcome: 'failed' },
      { trigger: 'push', outcome: 'pushed' },
    ]);
    expect(w.qbo('Invoice').filter((i) => i['DocNumber'] === doc.number)).toHaveLength(1);
  });

  it('refuses drafts, unknown and other studios’ documents, and a studio without QuickBooks', async () => {
    const draft = await w.document({ type: 'invoice', clientId: await w.client('Draft Client'), issueDate: ISSUE_DATE, lines: [line('1', '5')] }, { draft: true });
    const refused = await post(`/api/qbo/documents/${draft.id}/push`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'conflict', message: `Finalize ${draft.number} first: drafts are not pushed to QuickBooks` });
    expect(await getDb().db.selectFrom('push_jobs').select('id').where('document_id', '=', draft.id).execute()).toEqual([]);

    expect((await post('/api/qbo/documents/no-such-document/push')).statusCode).toBe(404);
    expect((await post(`/api/qbo/documents/${draft.id}/push`, strangerCookie)).statusCode).toBe(404);
    expect((await get(`/api/qbo/documents/${draft.id}/push`, strangerCookie)).statusCode).toBe(404);

    const strangerDoc = await getDb()
      .db.selectFrom('documents')
      .select('id')
      .where('org_id', '=', w.org.id)
      .executeTakeFirstOrThrow();
    expect((await post(`/api/qbo/documents/${strangerDoc.id}/push`, strangerCookie)).statusCode).toBe(404);
    const notConnected = await post('/api/qbo/sync/clients', strangerCookie);
    expect(notConnected.statusCode).toBe(409);
    expect(notConnected.json()).toMatchObject({ message: 'QuickBooks is not connected.' });

    // A final invoice of a studio that never connected: Push says where to connect, and nothing is queued.
    const send = (method: 'POST', url: string, payload?: object) => app.inject({ method, url, headers: { cookie: strangerCookie }, ...(payload ? { payload } : {}) });
    const client = (await send('POST', '/api/clients', { clientInformation: { name: 'Unconnected Client' } })).json<{ id: string }>();
    const own = (await send('POST', '/api/documents', { type: 'invoice', clientId: client.id, issueDate: ISSUE_DATE, lines: [{ quantity: '1', rate: '5' }] })).json<{ id: string }>();
    expect((await send('POST', `/api/documents/${own.id}/finalize`)).statusCode).toBe(200);
    const unconnected = await post(`/api/qbo/documents/${own.id}/push`, strangerCookie);
    expect(unconnected.statusCode).toBe(409);
    expect(unconnected.json()).toEqual({ error: 'conflict', message: 'QuickBooks is not connected. Connect it in Settings → Apps first.' });
    expect(await getDb().db.selectFrom('push_jobs').select('id').where('document_id', '=', own.id).execute()).toEqual([]);
  });

  it('syncs clients and vendors from the API with a report', async () => {
    await w.vendor('Route Vendor');
    const clients = PartySyncReportSchema.parse((await post('/api/qbo/sync/clients')).json());
    expect(clients.role).toBe('customer');
    expect(clients.total).toBeGreaterThanOrEqual(3);
    expect(clients.matched.find((m) => m.name === 'Route Client')?.action).toBe('remembered');
    expect(clients.created.map((c) => c.name)).toContain('Draft Client');
    const vendors = PartySyncReportSchema.parse((await post('/api/qbo/sync/vendors')).json());
    expect(vendors.created.map((c) => c.qboName)).toEqual(['Route Vendor']);
    expect((await app.inject({ method: 'POST', url: '/api/qbo/sync/clients' })).statusCode).toBe(401);
  });
});
