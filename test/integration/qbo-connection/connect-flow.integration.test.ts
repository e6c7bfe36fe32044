import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StartedEmulator } from '../../../src/emulator/index.js';
import { deriveRequestId, fetchTransport, type QboRequest, type QboTransport } from '../../../src/qbo/client/index.js';
import { QboIdMap } from '../../../src/qbo/connection/id-map.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import {
  authorizeAtEmulator,
  connect,
  makeService,
  PRODUCTION_US,
  SANDBOX_CA,
  SANDBOX_US,
  SANDBOX_US_2,
  seedSession,
  startCountingEmulator,
  testKeyHex,
} from './harness.js';

let emulator: StartedEmulator;
beforeAll(async () => {
  ({ emulator } = await startCountingEmulator());
});
afterAll(async () => {
  await emulator.close();
});

/** Every request the app sends, so a test can prove which hosts and paths it never touched. */
function recordingTransport(): { transport: QboTransport; requests: QboRequest[] } {
  const inner = fetchTransport();
  const requests: QboRequest[] = [];
  return { requests, transport: { send: (req) => (requests.push(req), inner.send(req)) } };
}

describeEachDatabase('qbo connect flow', (getDb, dialect) => {
  const service = () => makeService({ db: getDb().db, dialect, baseUrl: emulator.baseUrl, keyHex });
  const keyHex = testKeyHex();

  it('connects a sandbox company: environment probed, company facts stored', async () => {
    const session = await seedSession(getDb().db);
    const outcome = await connect(service(), session, SANDBOX_US);
    expect(outcome.ok).toBe(true);
    const status = await service().status(session.orgId);
    expect(status).toMatchObject({
      status: 'connected',
      platform: 'emulator',
      message: null,
      company: {
        realmId: SANDBOX_US,
        name: 'Sandbox Company_US_1',
        environment: 'sandbox',
        country: 'US',
        homeCurrency: 'USD',
        multiCurrency: false,
        taxModel: 'us',
      },
    });
  });

  it('detects a production company and a global-tax (Canadian) company', async () => {
    const db = getDb().db;
    const prod = await seedSession(db);
    const canada = await seedSession(db);
    expect((await connect(service(), prod, PRODUCTION_US)).ok).toBe(true);
    expect((await connect(service(), canada, SANDBOX_CA)).ok).toBe(true);
    expect((await service().status(prod.orgId)).company).toMatchObject({ environment: 'production', name: 'Workroom Demo Studio' });
    expect((await service().status(canada.orgId)).company).toMatchObject({
      environment: 'sandbox',
      country: 'CA',
      homeCurrency: 'CAD',
      taxModel: 'global',
    });
  });

  it('asks for the accounting scope with a fresh state each time', async () => {
    const session = await seedSession(getDb().db);
    const first = new URL((await service().startConnect(session)).authorizeUrl);
    const second = new URL((await service().startConnect(session)).authorizeUrl);
    expect(first.searchParams.get('scope')).toBe('com.intuit.quickbooks.accounting');
    expect(first.searchParams.get('response_type')).toBe('code');
    expect(first.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(first.searchParams.get('state')).not.toBe(second.searchParams.get('state'));
  });

  it('refuses a denied, tampered, replayed, expired or foreign-session callback', async () => {
    const db = getDb().db;
    const session = await seedSession(db);
    const other = await seedSession(db);

    const denied = await authorizeAtEmulator((await service().startConnect(session)).authorizeUrl, {
      realmId: SANDBOX_US,
      decision: 'deny',
    });
    expect(await service().handleCallback(denied, session)).toEqual({ ok: false, error: 'denied' });

    const tampered = await authorizeAtEmulator((await service().startConnect(session)).authorizeUrl, { realmId: SANDBOX_US });
    expect(await service().handleCallback({ ...tampered, state: `${tampered['state']}x` }, session)).toEqual({
      ok: false,
      error: 'state_invalid',
    });
    expect(await service().handleCallback({ ...tampered, state: undefined }, session)).toEqual({ ok: false, error: 'state_missing' });

    const good = await authorizeAtEmulator((await service().startConnect(session)).authorizeUrl, { realmId: SANDBOX_US });
    expect((await service().handleCallback(good, session)).ok).toBe(true);
    expect(await service().handleCallback(good, session)).toEqual({ ok: false, error: 'state_used' });

    const late = await authorizeAtEmulator((await service().startConnect(session)).authorizeUrl, { realmId: SANDBOX_US });
    const elevenMinutesLater = makeService({ db, dialect, baseUrl: emulator.baseUrl, keyHex, now: () => Date.now() + 11 * 60_000 });
    expect(await elevenMinutesLater.handleCallback(late, session)).toEqual({ ok: false, error: 'state_expired' });

    const stolen = await authorizeAtEmulator((await service().startConnect(session)).authorizeUrl, { realmId: SANDBOX_US });
    expect(await service().handleCallback(stolen, other)).toEqual({ ok: false, error: 'state_other_session' });
    expect(await service().handleCallback(stolen, { ...session, sessionId: 'another-browser' })).toEqual({
      ok: false,
      error: 'state_used',
    });
    expect((await service().status(other.orgId)).status).toBe('not_connected');
  });

  it('reports a failed code exchange without connecting', async () => {
    const session = await seedSession(getDb().db);
    const query = await authorizeAtEmulator((await service().startConnect(session)).authorizeUrl, { realmId: SANDBOX_US });
    expect(await service().handleCallback({ ...query, code: 'AB11forged' }, session)).toEqual({ ok: false, error: 'exchange_failed' });
    expect((await service().status(session.orgId)).status).toBe('not_connected');
  });

  it('revokes the grant and saves nothing when the chosen company cannot be read, and connects on the next try', async () => {
    const db = getDb().db;
    const session = await seedSession(db);
    const inner = fetchTransport();
    const requests: QboRequest[] = [];
    // The paths QuickBooks refuses for now, with an authorization fault (a user without access to the company's settings).
    let refused: RegExp | null = null;
    const fault = { Fault: { Error: [{ Message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403', Detail: '', code: '3100' }], type: 'AuthorizationFault' } };
    const transport: QboTransport = {
      send(req) {
        requests.push(req);
        return refused?.test(new URL(req.url).pathname) === true
          ? Promise.resolve(new Response(JSON.stringify(fault), { status: 403, headers: { 'content-type': 'application/json' } }))
          : inner.send(req);
      },
    };
    const flaky = makeService({ db, dialect, baseUrl: emulator.baseUrl, keyHex, transport });
    const attempt = async () => flaky.handleCallback(await authorizeAtEmulator((await flaky.startConnect(session)).authorizeUrl, { realmId: SANDBOX_US }), session);
    const revocations = () => requests.filter((r) => r.method === 'POST' && r.url.endsWith('/oauth2/tokens/revoke')).length;

    refused = /\/preferences$/;
    expect(await attempt()).toEqual({ ok: false, error: 'company_unreadable' });
    expect(revocations()).toBe(1);
    expect((await flaky.status(session.orgId)).status).toBe('not_connected');

    // Neither host answers for the company: where it lives is unknown, so nothing is saved either.
    refused = /\/companyinfo\//;
    expect(await attempt()).toEqual({ ok: false, error: 'environment_unknown' });
    expect(revocations()).toBe(2);
    expect((await flaky.status(session.orgId)).status).toBe('not_connected');

    refused = null;
    expect((await attempt()).ok).toBe(true);
    expect(revocations()).toBe(2);
    expect(await flaky.status(session.orgId)).toMatchObject({ status: 'connected', company: { realmId: SANDBOX_US, environment: 'sandbox' } });
  });

  it('keeps a sandbox connection off production hosts, even with a production realm id', async () => {
    const db = getDb().db;
    const session = await seedSession(db);
    const { transport, requests } = recordingTransport();
    const recorded = makeService({ db, dialect, baseUrl: emulator.baseUrl, keyHex, transport });
    expect((await connect(recorded, session, SANDBOX_US)).ok).toBe(true);

    const client = await recorded.getClientFor(session.orgId);
    if (!client.ok) throw client.error;
    expect(client.value.environment).toBe('sandbox');
    const created = await client.value.create(
      'Customer',
      { DisplayName: `Env check ${session.orgId.slice(0, 8)}` },
      { requestId: deriveRequestId('env', session.orgId) },
    );
    expect(created.Id).toBeTruthy();

    // A corrupted row pointing the sandbox connection at a production realm still only reaches the sandbox host.
    await db.updateTable('qbo_connections').set({ realm_id: PRODUCTION_US }).where('org_id', '=', session.orgId).execute();
    const misrouted = await recorded.getClientFor(session.orgId);
    if (!misrouted.ok) throw misrouted.error;
    await expect(
      misrouted.value.create('Customer', { DisplayName: 'Must never land in production' }, { requestId: deriveRequestId('env2', session.orgId) }),
    ).rejects.toMatchObject({ name: 'QboError' });

    const apiCalls = requests.filter((r) => r.url.includes('/v3/company/'));
    const afterProbe = apiCalls.slice(apiCalls.findIndex((r) => r.url.includes('/sandbox-quickbooks/')));
    expect(afterProbe.length).toBeGreaterThan(2);
    for (const req of afterProbe) expect(new URL(req.url).pathname.startsWith('/sandbox-quickbooks/')).toBe(true);
    expect(apiCalls.some((r) => r.method === 'POST' && new URL(r.url).pathname.startsWith('/quickbooks/'))).toBe(false);
  });

  it('disconnects: revokes at Intuit, stops clients, deletes nothing; same realm brings ids back, another starts clean', async () => {
    const db = getDb().db;
    const session = await seedSession(db);
    const ids = new QboIdMap(db);
    expect((await connect(service(), session, SANDBOX_US)).ok).toBe(true);
    const grantsBefore = emulator.control.grants().filter((g) => g.realmId === SANDBOX_US && !g.revoked).length;
    await ids.remember({ orgId: session.orgId, realmId: SANDBOX_US }, 'customer', 'client-1', { qboId: '58', syncToken: '0' });

    const result = await service().disconnect(session.orgId);
    expect(result.revokedAtIntuit).toBe(true);
    expect(result.connection).toMatchObject({ status: 'disconnected', company: { realmId: SANDBOX_US } });
    expect(emulator.control.grants().filter((g) => g.realmId === SANDBOX_US && !g.revoked).length).toBe(grantsBefore - 1);
    const client = await service().getClientFor(session.orgId);
    expect(client.ok ? 'client' : client.error.code).toBe('qbo_needs_reconnect');
    const row = await db.selectFrom('qbo_connections').selectAll().where('org_id', '=', session.orgId).executeTakeFirstOrThrow();
    expect([row.access_token_enc, row.refresh_token_enc]).toEqual([null, null]);

    expect((await connect(service(), session, SANDBOX_US)).ok).toBe(true);
    const realm = (await service().status(session.orgId)).company?.realmId ?? '';
    expect(await ids.lookup({ orgId: session.orgId, realmId: realm }, 'customer', 'client-1')).toEqual({ qboId: '58', syncToken: '0' });

    expect((await connect(service(), session, SANDBOX_US_2)).ok).toBe(true);
    const other = (await service().status(session.orgId)).company?.realmId ?? '';
    expect(other).toBe(SANDBOX_US_2);
    expect(await ids.lookup({ orgId: session.orgId, realmId: other }, 'customer', 'client-1')).toBeUndefined();
  });

  it('a client for the old company refuses to send once the org reconnected elsewhere', async () => {
    const session = await seedSession(getDb().db);
    expect((await connect(service(), session, SANDBOX_US)).ok).toBe(true);
    const old = await service().getClientFor(session.orgId);
    if (!old.ok) throw old.error;
    expect((await connect(service(), session, SANDBOX_US_2)).ok).toBe(true);
    await expect(old.value.companyInfo()).rejects.toMatchObject({ code: 'qbo_needs_reconnect' });
  });

  it('two callbacks racing for one organisation leave one connection row', async () => {
    const db = getDb().db;
    const session = await seedSession(db);
    const queries = await Promise.all(
      [SANDBOX_US, SANDBOX_US_2].map(async (realmId) =>
        authorizeAtEmulator((await service().startConnect(session)).authorizeUrl, { realmId }),
      ),
    );
    const outcomes = await Promise.all(queries.map((query) => service().handleCallback(query, session)));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    const rows = await db.selectFrom('qbo_connections').select('realm_id').where('org_id', '=', session.orgId).execute();
    expect(rows).toHaveLength(1);
    const client = await service().getClientFor(session.orgId);
    if (!client.ok) throw client.error;
    expect((await client.value.companyInfo()).Id).toBeDefined();
  });

  it('a connection made on the other platform needs reconnecting', async () => {
    const db = getDb().db;
    const session = await seedSession(db);
    expect((await connect(service(), session, SANDBOX_US)).ok).toBe(true);
    await db.updateTable('qbo_connections').set({ platform: 'intuit' }).where('org_id', '=', session.orgId).execute();
    const status = await service().status(session.orgId);
    expect(status.status).toBe('needs_reconnect');
    expect(status.message).toMatch(/emulator/);
    const client = await service().getClientFor(session.orgId);
    expect(client.ok ? 'client' : client.error.message).toBe(status.message);
  });

  it('refreshes company facts on demand', async () => {
    const db = getDb().db;
    const session = await seedSession(db);
    expect((await connect(service(), session, SANDBOX_US)).ok).toBe(true);
    await db.updateTable('qbo_connections').set({ company_name: 'stale', facts_refreshed_at: '2000-01-01T00:00:00.000Z' }).where('org_id', '=', session.orgId).execute();
    const refreshed = await service().refreshFacts(session.orgId);
    if (!refreshed.ok) throw refreshed.error;
    expect(refreshed.value.company?.name).toBe('Sandbox Company_US_1');
    expect(refreshed.value.company?.factsRefreshedAt).not.toBe('2000-01-01T00:00:00.000Z');
  });
});
