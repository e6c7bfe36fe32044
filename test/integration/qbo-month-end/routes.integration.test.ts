import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId, nowIso } from '../../../src/db/index.js';
import { createOrganisation } from '../../../src/domain/store/organisations.js';
import { DriftService } from '../../../src/qbo/sync/drift-service.js';
import { PartyLinkService } from '../../../src/qbo/sync/month-end-links.js';
import { buildApp, hashPassword } from '../../../src/server/index.js';
import { DismissalSchema, DriftReportSchema, RepushResultSchema } from '../../../src/server/routes/qbo-drift/contract.js';
import { qboDriftRoutes } from '../../../src/server/routes/qbo-drift/index.js';
import { LinkSearchPageSchema, PartyLinkViewSchema } from '../../../src/server/routes/qbo-links/contract.js';
import { qboLinkRoutes } from '../../../src/server/routes/qbo-links/index.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { ACCOUNTS, createWorld, ISSUE_DATE, line, SANDBOX_US, US_TAX_CODES, type PushWorld } from '../qbo-push/harness.js';
import { qboUser } from './qbo-user.js';

describeEachDatabase('month-end routes', (getDb, dialect) => {
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
        await instance.register(qboLinkRoutes, { links: new PartyLinkService({ db, qbo: w.service }) });
        await instance.register(qboDriftRoutes, { drift: new DriftService({ db, qbo: w.service, worker: w.worker }) });
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

  const send = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, as = cookie) =>
    app.inject({ method, url, headers: { cookie: as }, ...(body === undefined ? {} : { payload: body as object }) });

  it('links and unlinks over HTTP, with validation, conflicts and tenant isolation', async () => {
    const user = await qboUser({ db: w.db, dialect, baseUrl: w.emulator.baseUrl, realmId: SANDBOX_US });
    const qboId = String((await user.createCustomer('Route, Ltd'))['Id']);
    const clientId = await w.client('Route Ltd');
    const otherId = await w.client('Route Two');

    const view = PartyLinkViewSchema.parse((await send('GET', `/api/qbo/links/clients/${clientId}`)).json());
    expect(view).toMatchObject({ kind: 'clients', id: clientId, name: 'Route Ltd', link: null, company: { realmId: SANDBOX_US, connected: true } });
    const page = LinkSearchPageSchema.parse((await send('GET', `/api/qbo/links/clients/${clientId}/search?q=route`)).json());
    expect(page.items.map((i) => i.displayName)).toEqual(['Route, Ltd']);

    const linked = await send('PUT', `/api/qbo/links/clients/${clientId}`, { qboId });
    expect(linked.statusCode).toBe(200);
    expect(PartyLinkViewSchema.parse(linked.json()).link).toMatchObject({ qboId, displayName: 'Route, Ltd' });
    const refused = await send('PUT', `/api/qbo/links/clients/${otherId}`, { qboId });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: string; message: string }>()).toMatchObject({ error: 'conflict' });
    expect(refused.json<{ message: string }>().message).toContain('already linked to the client “Route Ltd”');

    expect((await send('PUT', `/api/qbo/links/clients/${clientId}`, { qboId: 'abc' })).json()).toMatchObject({ error: 'invalid_body', field: 'qboId' });
    expect((await send('PUT', `/api/qbo/links/clients/${clientId}`, { qboId, extra: 1 })).statusCode).toBe(400);
    expect((await send('GET', `/api/qbo/links/customers/${clientId}`)).statusCode).toBe(400);
    expect((await send('GET', `/api/qbo/links/clients/${clientId}`, undefined, strangerCookie)).statusCode).toBe(404);
    expect((await send('PUT', `/api/qbo/links/clients/${clientId}`, { qboId }, strangerCookie)).statusCode).toBe(404);
    expect((await send('POST', `/api/qbo/links/clients/${clientId}/create-anyway`)).statusCode).toBe(409);

    const unlinked = await send('DELETE', `/api/qbo/links/clients/${clientId}`);
    expect(PartyLinkViewSchema.parse(unlinked.json()).link).toBeNull();
  });

  it('serves the drift report, its CSV, re-push and dismiss', async () => {
    await w.map({ defaultIncomeAccountId: ACCOUNTS.designServices }, { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null });
    const clientId = await w.client('Drift, "Quoted" Client');
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '100')] });
    const report = DriftReportSchema.parse((await send('GET', '/api/qbo/drift')).json());
    const row = report.rows.find((r) => r.subjectId === doc.id);
    expect(row).toMatchObject({ kind: 'not_pushed', canRepush: true, failedJobId: null });

    const csv = await send('GET', '/api/qbo/drift.csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="quickbooks-drift-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(csv.body.split('\r\n')[0]).toBe('Kind,Type,Number or name,Client or vendor,Field,Workroom value,QuickBooks value,QuickBooks id,QuickBooks updated at,Note');
    expect(csv.body).toContain(`Issued but not in QuickBooks,Invoice,${doc.number},"Drift, ""Quoted"" Client",Record,Invoice ${doc.number},not pushed,,,`);

    expect((await send('POST', '/api/qbo/drift/repush', { documentIds: [] })).statusCode).toBe(400);
    expect((await send('POST', '/api/qbo/drift/repush', { documentIds: [doc.id] }, strangerCookie)).statusCode).toBe(409);
    const pushed = RepushResultSchema.parse((await send('POST', '/api/qbo/drift/repush', { documentIds: [doc.id, 'nope'] })).json());
    expect(pushed.results).toEqual([expect.objectContaining({ documentId: doc.id, status: 'pushed' })]);
    expect(pushed.skipped).toEqual([{ documentId: 'nope', reason: 'No such document in your organisation.' }]);
    expect(DriftReportSchema.parse((await send('GET', '/api/qbo/drift')).json()).rows.find((r) => r.subjectId === doc.id)).toBeUndefined();

    const failing = await w.document({ type: 'purchase_order', vendorId: await w.vendor('No Expense Account'), issueDate: ISSUE_DATE, lines: [line('1', '5')] });
    const { job } = await w.push(failing.id);
    expect(job.status).toBe('failed');
    expect((await send('POST', `/api/qbo/push-jobs/${job.id}/dismiss`, { reason: '' })).json()).toMatchObject({ error: 'invalid_body', field: 'reason' });
    expect((await send('POST', `/api/qbo/push-jobs/${job.id}/dismiss`, { reason: 'done by hand' }, strangerCookie)).statusCode).toBe(404);
    const dismissed = await send('POST', `/api/qbo/push-jobs/${job.id}/dismiss`, { reason: 'Entered by hand in QuickBooks' });
    expect(dismissed.statusCode).toBe(200);
    expect(DismissalSchema.parse(dismissed.json())).toMatchObject({ jobId: job.id, reason: 'Entered by hand in QuickBooks' });
    expect((await send('POST', `/api/qbo/push-jobs/${job.id}/dismiss`, { reason: 'again' })).statusCode).toBe(409);
  });
});
