import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId, nowIso } from '../../../src/db/index.js';
import type { StartedEmulator } from '../../../src/emulator/index.js';
import { fetchTransport, type QboTransport } from '../../../src/qbo/client/index.js';
import { buildApp, hashPassword } from '../../../src/server/index.js';
import { qboConnectionRoutes } from '../../../src/server/routes/qbo/index.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { authorizeAtEmulator, makeService, SANDBOX_US, startCountingEmulator, testKeyHex } from './harness.js';
import { seedOrganisation } from './seed.js';

let emulator: StartedEmulator;
beforeAll(async () => {
  ({ emulator } = await startCountingEmulator());
});
afterAll(async () => {
  await emulator.close();
});

/** Keeps every token Intuit hands out, so the test knows exactly which strings must never leak. */
function tokenCapturingTransport(secrets: Set<string>): QboTransport {
  const inner = fetchTransport();
  return {
    async send(req) {
      const response = await inner.send(req);
      if (req.url.includes('/oauth2/v1/tokens/bearer')) {
        const body = (await response.clone().json().catch(() => ({}))) as Record<string, unknown>;
        for (const key of ['access_token', 'refresh_token']) {
          const value = body[key];
          if (typeof value === 'string') secrets.add(value);
        }
      }
      return response;
    },
  };
}

describeEachDatabase('qbo connection routes', (getDb, dialect) => {
  const logLines: string[] = [];
  const responses: string[] = [];
  const secrets = new Set<string>();
  let app: FastifyInstance;
  let owner: { cookie: string; orgId: string };
  let member: { cookie: string };

  beforeAll(async () => {
    const { db } = getDb();
    const logger = pino(
      { level: 'trace' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    const service = makeService({
      db,
      dialect,
      baseUrl: emulator.baseUrl,
      keyHex: testKeyHex(),
      transport: tokenCapturingTransport(secrets),
      now: () => emulator.clock.now(),
      logger,
    });
    app = await buildApp({
      db,
      dialect,
      config: { publicUrl: 'http://127.0.0.1:9', logLevel: 'trace' },
      logger,
      extend: async (instance) => {
        await instance.register(qboConnectionRoutes, { service, db });
      },
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      responses.push(`${JSON.stringify(reply.getHeaders())}\n${typeof payload === 'string' ? payload : ''}`);
      return payload;
    });
    await app.ready();
    const orgId = await seedOrganisation(db);
    owner = { orgId, cookie: await login(orgId, 'owner') };
    member = { cookie: await login(orgId, 'member') };
  });
  afterAll(async () => {
    await app.close();
    emulator.clock.reset();
  });

  async function login(orgId: string, role: 'owner' | 'member'): Promise<string> {
    const email = `${role}-${newId()}@example.test`;
    await getDb()
      .db.insertInto('users')
      .values({ id: newId(), org_id: orgId, email, password_hash: await hashPassword('correct horse'), role, created_at: nowIso() })
      .execute();
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'correct horse' } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'wr_session');
    if (!cookie) throw new Error('no session cookie');
    return `wr_session=${cookie.value}`;
  }

  async function startConnect(cookie: string): Promise<string> {
    const res = await app.inject({ method: 'POST', url: '/api/qbo/connect', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    return res.json<{ authorizeUrl: string }>().authorizeUrl;
  }

  async function callback(query: Record<string, string>, cookie?: string): Promise<string | undefined> {
    const res = await app.inject({
      method: 'GET',
      url: `/api/qbo/callback?${new URLSearchParams(query).toString()}`,
      ...(cookie ? { headers: { cookie } } : {}),
    });
    expect(res.statusCode).toBe(302);
    return res.headers.location;
  }

  it('connects through the routes and reports the tile status', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/qbo/connection', headers: { cookie: owner.cookie } })).json()).toMatchObject({
      status: 'not_connected',
      company: null,
    });
    const query = await authorizeAtEmulator(await startConnect(owner.cookie), { realmId: SANDBOX_US });
    secrets.add(query['code'] ?? '');
    expect(await callback(query, owner.cookie)).toBe('/settings/apps?qbo=connected');

    const status = await app.inject({ method: 'GET', url: '/api/qbo/connection', headers: { cookie: owner.cookie } });
    expect(status.json()).toMatchObject({
      status: 'connected',
      platform: 'emulator',
      company: { name: 'Sandbox Company_US_1', environment: 'sandbox', homeCurrency: 'USD', taxModel: 'us' },
    });
    expect((await app.inject({ method: 'POST', url: '/api/qbo/connection/refresh-facts', headers: { cookie: member.cookie } })).statusCode).toBe(200);
  });

  it('redirects each refused callback to the tile with its reason', async () => {
    const denied = await authorizeAtEmulator(await startConnect(owner.cookie), { realmId: SANDBOX_US, decision: 'deny' });
    expect(await callback(denied, owner.cookie)).toBe('/settings/apps?qbo=denied');

    const query = await authorizeAtEmulator(await startConnect(owner.cookie), { realmId: SANDBOX_US });
    secrets.add(query['code'] ?? '');
    expect(await callback({ ...query, state: 'forged-state' }, owner.cookie)).toBe('/settings/apps?qbo=state_invalid');
    expect(await callback(query, member.cookie)).toBe('/settings/apps?qbo=state_other_session');
    expect(await callback(query, owner.cookie)).toBe('/settings/apps?qbo=state_used');
    expect(await callback(query)).toBe('/settings/apps?qbo=state_other_session');

    const exchange = await authorizeAtEmulator(await startConnect(owner.cookie), { realmId: SANDBOX_US });
    secrets.add(exchange['code'] ?? '');
    expect(await callback({ ...exchange, code: 'AB11forged-code' }, owner.cookie)).toBe('/settings/apps?qbo=exchange_failed');
  });

  it('lets only owners connect and disconnect, and only logged-in users see the status', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/qbo/connect', headers: { cookie: member.cookie } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/qbo/disconnect', headers: { cookie: member.cookie } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/qbo/connection' })).statusCode).toBe(401);
  });

  it('refreshes tokens, then disconnects; no token ever appears in a response or a log line', async () => {
    emulator.clock.advance(3600_000 + 1000);
    const refreshed = await app.inject({ method: 'POST', url: '/api/qbo/connection/refresh-facts', headers: { cookie: owner.cookie } });
    expect(refreshed.statusCode).toBe(200);

    const res = await app.inject({ method: 'POST', url: '/api/qbo/disconnect', headers: { cookie: owner.cookie } });
    expect(res.json()).toMatchObject({ revokedAtIntuit: true, connection: { status: 'disconnected' } });
    const after = await app.inject({ method: 'POST', url: '/api/qbo/connection/refresh-facts', headers: { cookie: owner.cookie } });
    expect(after.statusCode).toBe(409);

    // Three exchanges/refreshes happened: two connects' pairs and one refreshed access token at least.
    const values = [...secrets].filter((s) => s.length >= 16);
    expect(values.length).toBeGreaterThanOrEqual(4);
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.join('')).toContain('qbo token refreshed');
    for (const secret of values) {
      for (const line of logLines) expect(line.includes(secret), `log line leaks a token: ${line.slice(0, 200)}`).toBe(false);
      for (const body of responses) expect(body.includes(secret), 'a response leaks a token').toBe(false);
    }
    const rows = await getDb().db.selectFrom('qbo_connections').selectAll().execute();
    const stored = JSON.stringify(rows);
    for (const secret of values) expect(stored.includes(secret)).toBe(false);
  });
});
