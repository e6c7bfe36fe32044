import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId, nowIso, type Database, type DialectName } from '../../../src/db/index.js';
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';
import { emulatorPlatform, fetchTransport, InProcessRealmLimiter, type QboLogger, type QboTransport } from '../../../src/qbo/client/index.js';
import { QboConnectionService, type SessionRef } from '../../../src/qbo/connection/connection-service.js';
import { secretKey, TokenCipher } from '../../../src/qbo/connection/token-crypto.js';
import { seedOrganisation } from './seed.js';

export const SANDBOX_US = '4620816365290212450';
export const SANDBOX_US_2 = '4620816365290212468';
export const SANDBOX_CA = '4620816365290212476';
export const PRODUCTION_US = '9130357921644326';

export const REDIRECT_URI = 'http://127.0.0.1:9/api/qbo/callback';

/** Counts what reaches the emulator's token endpoint, whichever process sent it. */
export interface TokenEndpointCounter {
  readonly count: () => number;
  readonly reset: () => void;
}

export async function startCountingEmulator(): Promise<{ emulator: StartedEmulator; tokenRequests: TokenEndpointCounter }> {
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', withHistory: false });
  let count = 0;
  emulator.app.server.on('request', (req: { method?: string; url?: string }) => {
    if (req.method === 'POST' && req.url?.startsWith('/oauth2/v1/tokens/bearer')) count += 1;
  });
  return { emulator, tokenRequests: { count: () => count, reset: () => (count = 0) } };
}

export function testKeyHex(): string {
  return randomBytes(32).toString('hex');
}

export interface ServiceOptions {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly baseUrl: string;
  readonly keyHex: string;
  readonly transport?: QboTransport;
  readonly now?: () => number;
  readonly logger?: QboLogger;
}

export function makeService(options: ServiceOptions): QboConnectionService {
  return new QboConnectionService({
    db: options.db,
    dialect: options.dialect,
    cipher: new TokenCipher({ current: secretKey(Buffer.from(options.keyHex, 'hex')), previous: [] }),
    platform: emulatorPlatform(options.baseUrl),
    credentials: { clientId: EMULATOR_CLIENT_ID, clientSecret: EMULATOR_CLIENT_SECRET, redirectUri: REDIRECT_URI },
    transport: options.transport ?? fetchTransport(),
    limiter: new InProcessRealmLimiter(),
    ...(options.now ? { now: options.now } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}

/** An organisation with an owner and a session row, as a logged-in browser would have. */
export async function seedSession(db: Kysely<Database>): Promise<SessionRef> {
  const orgId = await seedOrganisation(db);
  const userId = newId();
  const sessionId = randomBytes(32).toString('hex');
  await db
    .insertInto('users')
    .values({ id: userId, org_id: orgId, email: `${userId}@example.test`, password_hash: 'x', role: 'owner', created_at: nowIso() })
    .execute();
  await db
    .insertInto('sessions')
    .values({ id: sessionId, user_id: userId, org_id: orgId, created_at: nowIso(), expires_at: new Date(Date.now() + 3_600_000).toISOString() })
    .execute();
  return { orgId, userId, sessionId };
}

/**
 * What the browser does at Intuit: open the authorize URL, pick a company on the chooser, approve or deny.
 * Returns the query Intuit redirects back to the app with.
 */
export async function authorizeAtEmulator(
  authorizeUrl: string,
  choice: { realmId: string; decision?: 'approve' | 'deny' },
): Promise<Record<string, string>> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  const pending = /name="pending" value="([^"]+)"/.exec(html)?.[1];
  if (!page.ok || pending === undefined) throw new Error(`no consent page (HTTP ${page.status}): ${html.slice(0, 300)}`);
  const decisionUrl = new URL('/connect/oauth2/decision', authorizeUrl);
  const answer = await fetch(decisionUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ pending, decision: choice.decision ?? 'approve', realmId: choice.realmId }).toString(),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || location === null) throw new Error(`consent answered ${answer.status}`);
  return Object.fromEntries(new URL(location).searchParams.entries());
}

/** The whole round trip for a session: connect, choose `realmId`, come back through the callback. */
export async function connect(service: QboConnectionService, session: SessionRef, realmId: string) {
  const { authorizeUrl } = await service.startConnect(session);
  const query = await authorizeAtEmulator(authorizeUrl, { realmId });
  return service.handleCallback(query, session);
}
