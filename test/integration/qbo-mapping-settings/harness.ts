import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { newId, nowIso, type Database, type DialectName } from '../../../src/db/index.js';
import { CategoryInputSchema, VendorInputSchema } from '../../../src/domain/parties.js';
import { createCategory } from '../../../src/domain/store/categories.js';
import { createOrganisation } from '../../../src/domain/store/organisations.js';
import { createVendor } from '../../../src/domain/store/vendors.js';
import { startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';
import type { QboConnectionService } from '../../../src/qbo/connection/connection-service.js';
import { QboMappingService } from '../../../src/qbo/sync/mapping-service.js';
import { buildApp, hashPassword } from '../../../src/server/index.js';
import type { QboMappingView } from '../../../src/server/routes/qbo-mapping/contract.js';
import { qboMappingRoutes } from '../../../src/server/routes/qbo-mapping/index.js';
import { qboConnectionRoutes } from '../../../src/server/routes/qbo/index.js';
import { authorizeAtEmulator, makeService, testKeyHex } from '../qbo-connection/harness.js';

export { PRODUCTION_US, SANDBOX_CA, SANDBOX_US, SANDBOX_US_2 } from '../qbo-connection/harness.js';

export interface MappingHarness {
  readonly emulator: StartedEmulator;
  readonly app: FastifyInstance;
  readonly connections: QboConnectionService;
  close(): Promise<void>;
}

/** A private emulator (tests create and deactivate accounts in it) and the app with the QuickBooks routes. */
export async function startMappingHarness(db: Kysely<Database>, dialect: DialectName): Promise<MappingHarness> {
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', withHistory: false });
  const connections = makeService({ db, dialect, baseUrl: emulator.baseUrl, keyHex: testKeyHex(), now: () => emulator.clock.now() });
  const app = await buildApp({
    db,
    dialect,
    config: { publicUrl: 'http://127.0.0.1:9', logLevel: 'silent' },
    logger: false,
    extend: async (instance) => {
      await instance.register(qboConnectionRoutes, { service: connections, db });
      await instance.register(qboMappingRoutes, { service: new QboMappingService({ db, connections }) });
    },
  });
  await app.ready();
  return {
    emulator,
    app,
    connections,
    async close() {
      await app.close();
      await emulator.close();
    },
  };
}

export interface Studio {
  readonly orgId: string;
  readonly owner: string;
  readonly member: string;
}

/** An organisation as Workroom creates it (Canadian ones get the preset tax codes), with an owner and a member logged in. */
export async function seedStudio(app: FastifyInstance, db: Kysely<Database>, country: 'US' | 'CA'): Promise<Studio> {
  const org = await createOrganisation(db, {
    name: `Studio ${newId().slice(0, 6)}`,
    country,
    homeCurrency: country === 'CA' ? 'CAD' : 'USD',
    ...(country === 'US' ? { salesTaxRate: '8.25' } : {}),
  });
  const login = async (role: 'owner' | 'member'): Promise<string> => {
    const email = `${role}-${newId()}@example.test`;
    await db
      .insertInto('users')
      .values({ id: newId(), org_id: org.id, email, password_hash: await hashPassword('correct horse'), role, created_at: nowIso() })
      .execute();
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'correct horse' } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'wr_session');
    if (!cookie) throw new Error('no session cookie');
    return `wr_session=${cookie.value}`;
  };
  return { orgId: org.id, owner: await login('owner'), member: await login('member') };
}

/** The connect round trip through the routes, as the browser makes it. */
export async function connectThroughRoutes(app: FastifyInstance, cookie: string, realmId: string): Promise<void> {
  const start = await app.inject({ method: 'POST', url: '/api/qbo/connect', headers: { cookie } });
  expect(start.statusCode).toBe(200);
  const query = await authorizeAtEmulator(start.json<{ authorizeUrl: string }>().authorizeUrl, { realmId });
  const back = await app.inject({ method: 'GET', url: `/api/qbo/callback?${new URLSearchParams(query).toString()}`, headers: { cookie } });
  expect(back.headers.location).toBe('/settings/apps?qbo=connected');
}

export async function getMapping(app: FastifyInstance, cookie: string) {
  return app.inject({ method: 'GET', url: '/api/qbo/mapping', headers: { cookie } });
}

/** What the Sync Center asks: the slots whose emptiness makes pushes fail. */
export async function getGaps(app: FastifyInstance, cookie: string) {
  return app.inject({ method: 'GET', url: '/api/qbo/mapping/gaps', headers: { cookie } });
}

/** Requests the emulator has answered for a realm, refused ones included. */
export function qboCalls(h: MappingHarness, realmId: string): number {
  return h.emulator.control.api.counters(realmId)[realmId]?.total ?? 0;
}

export async function putMapping(app: FastifyInstance, cookie: string, half: 'accounts' | 'tax', payload: unknown) {
  return app.inject({ method: 'PUT', url: `/api/qbo/mapping/${half}`, headers: { cookie }, payload: payload as object });
}

export function viewOf(res: { statusCode: number; json: <T>() => T; body: string }): QboMappingView {
  expect(res.statusCode, res.body).toBe(200);
  return res.json<QboMappingView>();
}

export async function insertCategory(db: Kysely<Database>, orgId: string, name: string): Promise<string> {
  const created = await createCategory(db, orgId, CategoryInputSchema.parse({ name }));
  if (!created.ok) throw new Error(`category ${name}: ${created.error.kind}`);
  return created.value.id;
}

export async function insertVendor(db: Kysely<Database>, orgId: string, name: string): Promise<string> {
  return (await createVendor(db, orgId, VendorInputSchema.parse({ name }))).id;
}
