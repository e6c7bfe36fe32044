/**
 * Tenant isolation on every route. The route list comes from the running server (every route any area
 * registered), and the first test fails for a route without a case below: a new route cannot ship
 * without saying how it keeps one studio out of another's data.
 *
 * - `id` cases name org B's objects in the path. Org A's owner must get 404, exactly what an id that
 *   never existed gets; A's member must get the same answer as for an id that never existed; nothing
 *   in the database may change; and B itself can reach the same objects (so the ids are real).
 * - `scoped` cases have no ids in the path: the session decides the organisation. A's answer must not
 *   mention any of B's ids or names, and none of B's rows may change. Bodies that name B's objects must
 *   get the same answer as bodies naming objects that never existed.
 */
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StartedEmulator } from '../../../src/emulator/index.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { SANDBOX_US, SANDBOX_US_2 } from '../qbo-connection/harness.js';
import { BOOKKEEPING_TABLES, connectQbo, PASSWORD, snapshotDatabase, startApi, startTestEmulator, type ApiHarness, type Caller, type Studio } from './harness.js';

let emulator: StartedEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.close();
});

/** Org B's objects that routes take as ids. Every key gets a never-existing twin for comparison. */
interface Ids {
  client: string;
  vendor: string;
  category: string;
  taxCode: string;
  draftInvoice: string;
  draftPurchaseOrder: string;
  /** Approved, so "Push all approved" has something to push. */
  approvedPurchaseOrder: string;
  finalInvoice: string;
  finalEstimate: string;
  /** Push jobs: one pushed, one failed (its document was pushed before the tax mapping existed). */
  pushedJob: string;
  failedJob: string;
  /** A "Push all approved" run. */
  run: string;
  /** A member of the studio (not the owner the tests act as). */
  user: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
interface Req {
  method: Method;
  url: string;
  body?: unknown;
}

type Case =
  | {
      kind: 'id';
      /** One request, or one per kind of object the route serves (e.g. links of clients and of vendors). */
      request: (ids: Ids, own: Ids) => Req | Req[];
      /** A request B makes to show the ids are real; must be 2xx. */
      control: (ids: Ids) => Req | Req[];
    }
  | {
      kind: 'scoped';
      request: (ids: Ids, own: Ids) => Req;
      /**
       * The request names B's objects and must answer exactly as for objects that never existed: 'refused' with
       * a 4xx, or 'ignored' (a filter that finds nothing, a batch that skips them as unknown).
       */
      namesForeignIds?: 'refused' | 'ignored';
    }
  | { kind: 'custom'; run: (ctx: Context) => Promise<void> }
  | { kind: 'public'; why: string };

interface Context {
  api: ApiHarness;
  a: Studio;
  b: Studio;
  ids: Ids;
  aOwn: Ids;
}

const get = (url: string): Req => ({ method: 'GET', url });

const clientBody = { clientInformation: { name: 'Alpha Renamed' } };
const documentBody = (clientId: string) => ({ type: 'invoice', clientId, issueDate: '2025-02-01', lines: [{ quantity: '1', rate: '5' }] });

/** One entry per route. Keys are `METHOD /path` exactly as registered. */
const CASES: Record<string, Case> = {
  'GET /api/health': { kind: 'public', why: 'liveness; no organisation data' },
  'POST /api/auth/login': { kind: 'public', why: 'starts a session; covered by the security tests' },
  'GET /api/qbo/callback': { kind: 'public', why: "Intuit's redirect; the state is bound to the session and org that started it (qbo-connection tests)" },

  'GET /api/auth/me': { kind: 'scoped', request: () => get('/api/auth/me') },
  'POST /api/auth/logout': {
    kind: 'custom',
    async run({ api, a, b }) {
      const again = await api.login(a.owner.email);
      const cookie = again.cookies.find((c) => c.name === 'wr_session')?.value ?? '';
      const res = await api.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: `wr_session=${cookie}` } });
      expect(res.statusCode).toBe(204);
      expect((await api.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `wr_session=${cookie}` } })).statusCode).toBe(401);
      expect((await a.owner.request('GET', '/api/auth/me')).statusCode).toBe(200);
      expect((await b.owner.request('GET', '/api/auth/me')).statusCode).toBe(200);
    },
  },

  'POST /api/auth/password': {
    kind: 'custom',
    async run({ api, a, b }) {
      const email = `password-${randomUUID()}@example.test`;
      await a.owner.json('POST', '/api/users', { email, password: PASSWORD, role: 'member' });
      const own = await api.loggedIn(email);
      const res = await own.request('POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a fresh long password' });
      expect(res.statusCode).toBe(204);
      // Only that user's password and sessions changed, in neither studio anyone else's.
      expect((await api.login(email, 'a fresh long password')).statusCode).toBe(200);
      for (const other of [a.owner, b.owner]) {
        expect((await other.request('GET', '/api/auth/me')).statusCode).toBe(200);
        expect((await api.login(other.email)).statusCode).toBe(200);
      }
    },
  },

  'GET /api/organisation': { kind: 'scoped', request: () => get('/api/organisation') },
  'PUT /api/organisation': { kind: 'scoped', request: () => ({ method: 'PUT', url: '/api/organisation', body: { name: 'Alpha Studio', salesTaxRate: '7' } }) },
  'GET /api/users': { kind: 'scoped', request: () => get('/api/users') },
  'PUT /api/users/:id/role': {
    kind: 'id',
    request: (ids) => ({ method: 'PUT', url: `/api/users/${ids.user}/role`, body: { role: 'owner' } }),
    control: () => get('/api/users'),
  },
  'DELETE /api/users/:id': { kind: 'id', request: (ids) => ({ method: 'DELETE', url: `/api/users/${ids.user}` }), control: () => get('/api/users') },
  'POST /api/users': { kind: 'scoped', request: () => ({ method: 'POST', url: '/api/users', body: { email: `new-${randomUUID()}@example.test`, password: 'long enough pw' } }) },

  ...crudCases('clients', 'client', clientBody),
  ...crudCases('vendors', 'vendor', { name: 'Alpha Vendor' }),
  ...crudCases('categories', 'category', { name: `Alpha Category ${randomUUID()}` }),
  ...crudCases('tax-codes', 'taxCode', { name: `Alpha Tax ${randomUUID()}`, components: [] }),

  'GET /api/documents': { kind: 'scoped', request: (ids) => get(`/api/documents?clientId=${ids.client}`), namesForeignIds: 'ignored' },
  'POST /api/documents': { kind: 'scoped', request: (ids) => ({ method: 'POST', url: '/api/documents', body: documentBody(ids.client) }), namesForeignIds: 'refused' },
  'GET /api/documents/:id': { kind: 'id', request: (ids) => get(`/api/documents/${ids.finalInvoice}`), control: (ids) => get(`/api/documents/${ids.finalInvoice}`) },
  'PUT /api/documents/:id': {
    kind: 'id',
    // The body names only A's own client: the path id is the one foreign thing.
    request: (ids, own) => ({ method: 'PUT', url: `/api/documents/${ids.draftInvoice}`, body: documentBody(own.client) }),
    control: (ids) => get(`/api/documents/${ids.draftInvoice}`),
  },
  'DELETE /api/documents/:id': { kind: 'id', request: (ids) => ({ method: 'DELETE', url: `/api/documents/${ids.draftInvoice}` }), control: (ids) => get(`/api/documents/${ids.draftInvoice}`) },
  'POST /api/documents/:id/finalize': {
    kind: 'id',
    request: (ids) => ({ method: 'POST', url: `/api/documents/${ids.draftInvoice}/finalize` }),
    control: (ids) => get(`/api/documents/${ids.draftInvoice}`),
  },
  'POST /api/documents/:id/approve': {
    kind: 'id',
    request: (ids) => ({ method: 'POST', url: `/api/documents/${ids.draftPurchaseOrder}/approve` }),
    control: (ids) => get(`/api/documents/${ids.draftPurchaseOrder}`),
  },

  'POST /api/qbo/connect': { kind: 'scoped', request: () => ({ method: 'POST', url: '/api/qbo/connect' }) },
  'GET /api/qbo/connection': { kind: 'scoped', request: () => get('/api/qbo/connection') },
  'POST /api/qbo/connection/refresh-facts': { kind: 'scoped', request: () => ({ method: 'POST', url: '/api/qbo/connection/refresh-facts' }) },
  'GET /api/qbo/mapping': { kind: 'scoped', request: () => get('/api/qbo/mapping') },
  'GET /api/qbo/mapping/gaps': { kind: 'scoped', request: () => get('/api/qbo/mapping/gaps') },
  'PUT /api/qbo/mapping/accounts': {
    kind: 'scoped',
    request: (ids) => ({
      method: 'PUT',
      url: '/api/qbo/mapping/accounts',
      body: { defaultIncomeAccountId: '1', incomeByCategory: { [ids.category]: '3' }, expenseByVendor: { [ids.vendor]: '6' } },
    }),
    namesForeignIds: 'refused',
  },
  'PUT /api/qbo/mapping/tax': { kind: 'scoped', request: () => ({ method: 'PUT', url: '/api/qbo/mapping/tax', body: { kind: 'sales_tax', salesTaxCodeId: null } }) },
  'GET /api/qbo/reports/profit-and-loss': { kind: 'scoped', request: () => get('/api/qbo/reports/profit-and-loss?range=year_to_date') },
  'GET /api/qbo/documents/:id/push': {
    kind: 'id',
    request: (ids) => get(`/api/qbo/documents/${ids.finalInvoice}/push`),
    control: (ids) => get(`/api/qbo/documents/${ids.finalInvoice}/push`),
  },
  'POST /api/qbo/documents/:id/push': {
    kind: 'id',
    request: (ids) => ({ method: 'POST', url: `/api/qbo/documents/${ids.finalInvoice}/push` }),
    control: (ids) => get(`/api/qbo/documents/${ids.finalInvoice}/push`),
  },
  'GET /api/sync-center/jobs': { kind: 'scoped', request: (ids) => get(`/api/sync-center/jobs?clientId=${ids.client}`), namesForeignIds: 'ignored' },
  'GET /api/sync-center/jobs/:id': { kind: 'id', request: (ids) => get(`/api/sync-center/jobs/${ids.pushedJob}`), control: (ids) => get(`/api/sync-center/jobs/${ids.pushedJob}`) },
  'POST /api/sync-center/jobs/:id/retry': {
    kind: 'id',
    request: (ids) => ({ method: 'POST', url: `/api/sync-center/jobs/${ids.failedJob}/retry` }),
    control: (ids) => get(`/api/sync-center/jobs/${ids.failedJob}`),
  },
  'POST /api/sync-center/retry-failed': { kind: 'scoped', request: () => ({ method: 'POST', url: '/api/sync-center/retry-failed' }) },
  'POST /api/sync-center/push-all-approved': { kind: 'scoped', request: () => ({ method: 'POST', url: '/api/sync-center/push-all-approved' }) },
  'GET /api/sync-center/health': { kind: 'scoped', request: () => get('/api/sync-center/health') },
  'GET /api/sync-center/runs/:id': { kind: 'id', request: (ids) => get(`/api/sync-center/runs/${ids.run}`), control: (ids) => get(`/api/sync-center/runs/${ids.run}`) },
  'GET /api/sync-center/runs/:id/events': {
    kind: 'id',
    request: (ids) => get(`/api/sync-center/runs/${ids.run}/events`),
    // The stream itself stays open while the run goes on; its snapshot route shows the run is B's.
    control: (ids) => get(`/api/sync-center/runs/${ids.run}`),
  },
  'POST /api/qbo/push-jobs/:id/dismiss': {
    kind: 'id',
    request: (ids) => ({ method: 'POST', url: `/api/qbo/push-jobs/${ids.failedJob}/dismiss`, body: { reason: 'fixed by hand in QuickBooks' } }),
    control: (ids) => get(`/api/sync-center/jobs/${ids.failedJob}`),
  },
  'GET /api/qbo/drift': { kind: 'scoped', request: () => get('/api/qbo/drift') },
  'GET /api/qbo/drift.csv': { kind: 'scoped', request: () => get('/api/qbo/drift.csv') },
  'POST /api/qbo/drift/repush': {
    kind: 'scoped',
    request: (ids) => ({ method: 'POST', url: '/api/qbo/drift/repush', body: { documentIds: [ids.finalInvoice, ids.finalEstimate] } }),
    namesForeignIds: 'ignored',
  },
  ...linkCases(),
  'POST /api/qbo/sync/clients': { kind: 'scoped', request: () => ({ method: 'POST', url: '/api/qbo/sync/clients' }) },
  'POST /api/qbo/sync/vendors': { kind: 'scoped', request: () => ({ method: 'POST', url: '/api/qbo/sync/vendors' }) },
  // Last: it ends A's connection for every case after it.
  'POST /api/qbo/disconnect': { kind: 'scoped', request: () => ({ method: 'POST', url: '/api/qbo/disconnect' }) },
};

function crudCases(path: string, key: keyof Ids, body: unknown): Record<string, Case> {
  const one = (ids: Ids) => `/api/${path}/${ids[key]}`;
  return {
    [`GET /api/${path}`]: { kind: 'scoped', request: () => get(`/api/${path}?pageSize=100`) },
    [`POST /api/${path}`]: { kind: 'scoped', request: () => ({ method: 'POST', url: `/api/${path}`, body }) },
    [`GET /api/${path}/:id`]: { kind: 'id', request: (ids) => get(one(ids)), control: (ids) => get(one(ids)) },
    [`PUT /api/${path}/:id`]: { kind: 'id', request: (ids) => ({ method: 'PUT', url: one(ids), body }), control: (ids) => get(one(ids)) },
    [`DELETE /api/${path}/:id`]: { kind: 'id', request: (ids) => ({ method: 'DELETE', url: one(ids) }), control: (ids) => get(one(ids)) },
  };
}

/** Link to QuickBooks record: every action, on a client's link and on a vendor's. */
function linkCases(): Record<string, Case> {
  const both = (ids: Ids) => [`/api/qbo/links/clients/${ids.client}`, `/api/qbo/links/vendors/${ids.vendor}`];
  const each = (method: Method, suffix = '', body?: unknown) => (ids: Ids) => both(ids).map((url) => ({ method, url: `${url}${suffix}`, body }));
  const control = (ids: Ids) => both(ids).map(get);
  return {
    'GET /api/qbo/links/:kind/:id': { kind: 'id', request: each('GET'), control },
    'GET /api/qbo/links/:kind/:id/search': { kind: 'id', request: each('GET', '/search?q=a'), control },
    'PUT /api/qbo/links/:kind/:id': { kind: 'id', request: each('PUT', '', { qboId: '1' }), control },
    'DELETE /api/qbo/links/:kind/:id': { kind: 'id', request: each('DELETE'), control },
    'POST /api/qbo/links/:kind/:id/create-anyway': { kind: 'id', request: each('POST', '/create-anyway'), control },
  };
}

function neverExisting(): Ids {
  return {
    client: randomUUID(),
    vendor: randomUUID(),
    category: randomUUID(),
    taxCode: randomUUID(),
    draftInvoice: randomUUID(),
    draftPurchaseOrder: randomUUID(),
    approvedPurchaseOrder: randomUUID(),
    finalInvoice: randomUUID(),
    finalEstimate: randomUUID(),
    user: randomUUID(),
    pushedJob: randomUUID(),
    failedJob: randomUUID(),
    run: randomUUID(),
  };
}

async function send(caller: Caller, req: Req): Promise<LightMyRequestResponse> {
  return caller.request(req.method, req.url, req.body);
}

/** Comparable shape of an answer: status and body, with volatile ids and timestamps blanked. */
function shape(res: LightMyRequestResponse, ids: Ids): string {
  let body = res.body;
  for (const id of Object.values(ids) as string[]) body = body.split(id).join('<id>');
  return `${res.statusCode} ${body.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')}`;
}

/** Routes as the server registered them, minus HEAD twins and the OpenAPI pages. */
function apiRoutes(api: ApiHarness): string[] {
  return api.app.routeTable
    .filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD')
    .map((r) => `${r.method} ${r.url}`);
}

/** Everything of B's that must never show up in A's answers: ids, realm, names. */
async function canariesOf(api: ApiHarness, b: Studio, a: Studio): Promise<string[]> {
  const snapshot = await snapshotDatabase(api.db);
  const mine = new Set<string>();
  const theirs = new Set<string>();
  for (const rows of Object.values(snapshot)) {
    for (const text of rows) {
      const row = JSON.parse(text) as Record<string, unknown>;
      const target = row['org_id'] === b.orgId || row['id'] === b.orgId ? theirs : row['org_id'] === a.orgId || row['id'] === a.orgId ? mine : undefined;
      for (const [column, value] of Object.entries(row)) {
        if (typeof value !== 'string' || value.length < 8) continue;
        if (/(^id$|_id$|^realm_id$|^company_name$|^name$|^info_name$|^number$)/.test(column)) target?.add(value);
      }
    }
  }
  return [...theirs].filter((value) => !mine.has(value) && !/^(INV|EST|PO)-\d+$/.test(value));
}

/** B's rows (by org id or realm) as text, to prove A's request left them alone. */
async function sliceOf(api: ApiHarness, needles: readonly string[]): Promise<string[]> {
  const snapshot = await snapshotDatabase(api.db, BOOKKEEPING_TABLES);
  return Object.entries(snapshot).flatMap(([table, rows]) => rows.filter((row) => needles.some((n) => row.includes(n))).map((row) => `${table} ${row}`));
}

describeEachDatabase('tenant isolation on every route', (getDb, dialect) => {
  let api: ApiHarness;
  let ctx: Context;
  let canaries: string[] = [];
  let bNeedles: string[] = [];

  beforeAll(async () => {
    api = await startApi({ db: getDb().db, dialect, emulator });
    const a = await api.studio({ name: 'Alpha Studio' });
    const b = await api.studio({ name: 'Bravo Canary Studio' });
    const base = await seedStudio(b.owner, 'Bravo Canary');
    const aBase = await seedStudio(a.owner, 'Alpha');
    await connectQbo(b.owner, SANDBOX_US);
    await connectQbo(a.owner, SANDBOX_US_2);
    const ids = { ...base, ...(await mapAndPush(b.owner, base)) };
    const aOwn = { ...aBase, ...(await mapAndPush(a.owner, aBase)) };
    ctx = { api, a, b, ids, aOwn };
    canaries = await canariesOf(api, b, a);
    bNeedles = [b.orgId, SANDBOX_US];
  });
  afterAll(async () => {
    await api?.close();
  });

  it('has an isolation case for every route the server registers', () => {
    const routes = apiRoutes(api);
    expect(routes.length).toBeGreaterThan(40);
    const missing = routes.filter((route) => CASES[route] === undefined);
    expect(missing, `add a case to test/integration/api/isolation.integration.test.ts for: ${missing.join(', ')}`).toEqual([]);
    const idRoutesWithoutIdCase = routes.filter((route) => route.includes('/:') && CASES[route]?.kind !== 'id');
    expect(idRoutesWithoutIdCase, 'a route with a path id needs an `id` case (404 for other organisations)').toEqual([]);
    const publicRoutes = api.app.routeTable.filter((r) => !r.auth && r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD');
    for (const route of publicRoutes) expect(CASES[`${route.method} ${route.url}`]?.kind, `${route.method} ${route.url} needs no session`).toBe('public');
    expect(canaries.length).toBeGreaterThan(15);
  });

  it("answers 404 on B's ids, as for ids that never existed, and changes nothing", async () => {
    const { a, b, ids, aOwn } = ctx;
    const ghosts = neverExisting();
    let checked = 0;
    for (const [route, test] of Object.entries(CASES)) {
      if (test.kind !== 'id' || !apiRoutes(api).includes(route)) continue;
      const requests = [test.request(ids, aOwn)].flat();
      const ghostRequests = [test.request(ghosts, aOwn)].flat();
      for (const [i, req] of requests.entries()) {
        const ghost = ghostRequests[i] as Req;
        const label = `${route} (${req.method} ${req.url})`;
        const before = await snapshotDatabase(api.db, BOOKKEEPING_TABLES);
        const foreign = await send(a.owner, req);
        expect(foreign.statusCode, `${label}: ${foreign.body}`).toBe(404);
        expect(shape(foreign, ids), label).toBe(shape(await send(a.owner, ghost), ghosts));
        expect(shape(await send(a.member, req), ids), label).toBe(shape(await send(a.member, ghost), ghosts));
        const unsent = canaries.filter((canary) => !JSON.stringify(req).includes(canary));
        for (const canary of unsent) expect(foreign.body.includes(canary), `${label} leaks ${canary}`).toBe(false);
        expect(await snapshotDatabase(api.db, BOOKKEEPING_TABLES), `${label} wrote something`).toEqual(before);
      }
      for (const req of [test.control(ids)].flat()) {
        const control = await send(b.owner, req);
        expect(control.statusCode, `${route} control ${req.url}: ${control.body}`).toBeLessThan(300);
      }
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(19);
  });

  it("keeps every organisation-scoped answer to A's own data, and never touches B's rows", async () => {
    const { a, ids, aOwn } = ctx;
    let checked = 0;
    for (const [route, test] of Object.entries(CASES)) {
      if (!apiRoutes(api).includes(route)) continue;
      if (test.kind === 'custom') {
        await test.run(ctx);
        continue;
      }
      if (test.kind !== 'scoped') continue;
      const before = await sliceOf(api, bNeedles);
      const req = test.request(ids, aOwn);
      const res = await send(a.owner, req);
      expect(res.statusCode, `${route}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
      // An id A itself sent may be echoed in an error; anything else of B's may not appear.
      const unsent = canaries.filter((canary) => !JSON.stringify(req).includes(canary));
      for (const canary of unsent) expect(res.body.includes(canary), `${route} leaks ${canary}: ${res.body.slice(0, 300)}`).toBe(false);
      if (test.namesForeignIds) {
        const ghosts = neverExisting();
        if (test.namesForeignIds === 'refused') expect(res.statusCode, `${route} accepted B's ids: ${res.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
        expect(shape(res, ids), route).toBe(shape(await send(a.owner, test.request(ghosts, aOwn)), ghosts));
      }
      expect(await sliceOf(api, bNeedles), `${route} changed B's rows`).toEqual(before);
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  it("leaves B's own view of its studio whole after all of that", async () => {
    const { b, ids } = ctx;
    for (const url of [`/api/clients/${ids.client}`, `/api/vendors/${ids.vendor}`, `/api/categories/${ids.category}`, `/api/tax-codes/${ids.taxCode}`]) {
      expect((await b.owner.request('GET', url)).statusCode, url).toBe(200);
    }
    expect(await b.owner.json('GET', `/api/documents/${ids.draftInvoice}`)).toMatchObject({ status: 'draft', revision: 1 });
    expect(await b.owner.json('GET', `/api/documents/${ids.draftPurchaseOrder}`)).toMatchObject({ status: 'draft' });
    expect(await b.owner.json('GET', '/api/qbo/connection')).toMatchObject({ status: 'connected', company: { realmId: SANDBOX_US } });
    expect(await b.owner.json('GET', '/api/organisation')).toMatchObject({ name: 'Bravo Canary Studio', salesTaxRate: '8.25' });
  });
});

type BaseIds = Omit<Ids, 'pushedJob' | 'failedJob' | 'run'>;

/** One of everything a route can take an id of. */
async function seedStudio(owner: Caller, prefix: string): Promise<BaseIds> {
  const client = await owner.json<{ id: string }>('POST', '/api/clients', { clientInformation: { name: `${prefix} Client`, email: 'studio@example.test' } });
  const vendor = await owner.json<{ id: string }>('POST', '/api/vendors', { name: `${prefix} Vendor` });
  const category = await owner.json<{ id: string }>('POST', '/api/categories', { name: `${prefix} Furniture` });
  const taxCode = await owner.json<{ id: string }>('POST', '/api/tax-codes', { name: `${prefix} Tax`, components: [{ name: 'T', rate: '5' }] });
  const line = { description: `${prefix} sofa`, quantity: '2', rate: '150', categoryId: category.id };
  const doc = async (body: Record<string, unknown>) => (await owner.json<{ id: string }>('POST', '/api/documents', { issueDate: '2025-01-15', lines: [line], ...body })).id;
  const draftInvoice = await doc({ type: 'invoice', clientId: client.id });
  const draftPurchaseOrder = await doc({ type: 'purchase_order', vendorId: vendor.id });
  const approvedPurchaseOrder = await doc({ type: 'purchase_order', vendorId: vendor.id });
  const finalInvoice = await doc({ type: 'invoice', clientId: client.id });
  const finalEstimate = await doc({ type: 'estimate', clientId: client.id });
  await owner.json('POST', `/api/documents/${finalInvoice}/finalize`);
  await owner.json('POST', `/api/documents/${finalEstimate}/finalize`);
  const user = await owner.json<{ id: string }>('POST', '/api/users', { email: `${prefix.toLowerCase().replace(/\W/g, '-')}-${randomUUID()}@example.test`, password: PASSWORD });
  return { client: client.id, vendor: vendor.id, category: category.id, taxCode: taxCode.id, draftInvoice, draftPurchaseOrder, approvedPurchaseOrder, finalInvoice, finalEstimate, user: user.id };
}

interface PushResult {
  status: string;
  jobId: string;
  message: string;
}

/** Maps the accounts and pushes: one push that fails, one that succeeds, and a "Push all approved" run. */
async function mapAndPush(owner: Caller, ids: BaseIds): Promise<Pick<Ids, 'pushedJob' | 'failedJob' | 'run'>> {
  await owner.json('PUT', '/api/qbo/mapping/accounts', { defaultIncomeAccountId: '1', defaultExpenseAccountId: '6' });
  // Taxed lines without a paired Sales Tax code: QuickBooks is never asked, the push fails as a mapping problem.
  const failed = await owner.json<PushResult>('POST', `/api/qbo/documents/${ids.finalEstimate}/push`, undefined, 200);
  expect(failed.status, failed.message).toBe('failed');
  const mapping = await owner.json<{ choices: { taxCodes: { id: string; rate: string | null }[] } }>('GET', '/api/qbo/mapping');
  const salesTax = mapping.choices.taxCodes.find((c) => c.rate !== null && c.rate !== '0');
  await owner.json('PUT', '/api/qbo/mapping/tax', { kind: 'sales_tax', salesTaxCodeId: salesTax?.id ?? null });
  const pushed = await owner.json<PushResult>('POST', `/api/qbo/documents/${ids.finalInvoice}/push`, undefined, 200);
  expect(pushed.status, pushed.message).toBe('pushed');
  await owner.json('POST', `/api/documents/${ids.approvedPurchaseOrder}/approve`);
  const run = await owner.json<{ runId: string | null }>('POST', '/api/sync-center/push-all-approved', undefined, 200);
  if (run.runId === null) throw new Error('push all approved started no run');
  return { pushedJob: pushed.jobId, failedJob: failed.jobId, run: run.runId };
}
