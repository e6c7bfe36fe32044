import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { newId, nowIso, type Database, type DialectName } from '../../../src/db/index.js';
import type { StartedEmulator } from '../../../src/emulator/index.js';
import { emulatorPlatform, fetchTransport, type QboClient, type QboTransport } from '../../../src/qbo/client/index.js';
import type { QboConnectionService, SessionRef } from '../../../src/qbo/connection/connection-service.js';
import { buildApp } from '../../../src/server/index.js';
import { createSession } from '../../../src/server/auth/sessions.js';
import { qboReportRoutes } from '../../../src/server/routes/qbo-reports/index.js';
import { connect, makeService, testKeyHex } from '../qbo-connection/harness.js';
import { seedOrganisation } from '../qbo-connection/seed.js';

export interface PnlHarness {
  readonly app: FastifyInstance;
  readonly connections: QboConnectionService;
  readonly session: SessionRef;
  /** GET the P&L route as the logged-in owner. */
  pnl(query: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Connect the org to a company file through the real OAuth round trip at the emulator. */
  connectTo(realmId: string): Promise<void>;
  client(): Promise<QboClient>;
}

/**
 * The P&L route on a real database, talking to the emulator through the real connection service. The
 * connection's clock is the emulator's, so advancing it expires tokens on both sides.
 */
export async function startPnlHarness(options: {
  db: Kysely<Database>;
  dialect: DialectName;
  emulator: StartedEmulator;
  transport?: QboTransport;
}): Promise<PnlHarness> {
  const { db, dialect, emulator } = options;
  const connections = makeService({
    db,
    dialect,
    baseUrl: emulator.baseUrl,
    keyHex: testKeyHex(),
    transport: options.transport ?? fetchTransport(),
    now: () => emulator.clock.now(),
  });
  const app = await buildApp({
    db,
    dialect,
    config: { publicUrl: 'http://127.0.0.1:9', logLevel: 'silent' },
    logger: false,
    extend: async (instance) => {
      await instance.register(qboReportRoutes, { connections, platform: emulatorPlatform(emulator.baseUrl) });
    },
  });
  await app.ready();
  const orgId = await seedOrganisation(db);
  const userId = newId();
  await db
    .insertInto('users')
    .values({ id: userId, org_id: orgId, email: `${userId}@example.test`, password_hash: 'x', role: 'owner', created_at: nowIso() })
    .execute();
  const { token } = await createSession(db, { id: userId, org_id: orgId });
  const session: SessionRef = { orgId, userId, sessionId: token };
  return {
    app,
    connections,
    session,
    pnl: (query) =>
      app.inject({ method: 'GET', url: `/api/qbo/reports/profit-and-loss?${new URLSearchParams(query).toString()}`, headers: { cookie: `wr_session=${token}` } }),
    async connectTo(realmId) {
      const connected = await connect(connections, session, realmId);
      if (!connected.ok) throw new Error(`connect failed: ${connected.error}`);
    },
    async client() {
      const client = await connections.getClientFor(orgId);
      if (!client.ok) throw client.error;
      return client.value;
    },
  };
}
