import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger, FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import { buildProduct, type Product } from '../../../src/app.js';
import { parseConfig, type AppConfig } from '../../../src/config.js';
import type { Database, DialectName } from '../../../src/db/index.js';
import { createOrganisation, createUser } from '../../../src/domain/store/organisations.js';
import { startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';
import { hashPassword } from '../../../src/server/index.js';
import { authorizeAtEmulator } from '../qbo-connection/harness.js';

export const PASSWORD = 'correct horse battery';
export const PUBLIC_URL = 'http://127.0.0.1:9';

export interface Studio {
  readonly orgId: string;
  readonly name: string;
  readonly owner: Caller;
  readonly member: Caller;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** A logged-in browser: every request carries its session cookie. */
export interface Caller {
  readonly email: string;
  readonly cookie: string;
  request(method: Method, url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** JSON body of a request that must answer `status`. */
  json<T = Record<string, unknown>>(method: Method, url: string, payload?: unknown, status?: number): Promise<T>;
}

export interface ApiHarness {
  readonly app: FastifyInstance;
  readonly product: Product;
  readonly config: AppConfig;
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly secretKeyHex: string | null;
  studio(options?: { country?: 'US' | 'CA'; name?: string }): Promise<Studio>;
  login(email: string, password?: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** A fresh session for an existing user. */
  loggedIn(email: string): Promise<Caller>;
  anonymous(method: Method, url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startTestEmulator(): Promise<StartedEmulator> {
  return startEmulator({ port: 0, host: '127.0.0.1', withHistory: false });
}

/** The whole product (core and every QuickBooks surface) on a test database, talking to a test emulator. */
export async function startApi(options: {
  db: Kysely<Database>;
  dialect: DialectName;
  emulator: StartedEmulator;
  logger?: FastifyBaseLogger;
  /** WORKROOM_SECRET_KEY as hex; null runs without it, on the key file generated into DATA_DIR. */
  secretKeyHex?: string | null;
  /** DATA_DIR; a fresh temp folder (removed on close) when not given. */
  dataDir?: string;
  /** Runs before the app is ready, e.g. to add hooks. */
  beforeReady?: (app: FastifyInstance) => void;
}): Promise<ApiHarness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'workroom-api-'));
  const secretKeyHex = options.secretKeyHex === undefined ? randomBytes(32).toString('hex') : options.secretKeyHex;
  const config = parseConfig({
    DATA_DIR: dataDir,
    PUBLIC_URL,
    QBO_EMULATOR_URL: options.emulator.baseUrl,
    ...(secretKeyHex === null ? {} : { WORKROOM_SECRET_KEY: secretKeyHex }),
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
  });
  const product = await buildProduct({ db: options.db, dialect: options.dialect, config, logger: options.logger ?? false });
  const { app } = product;
  options.beforeReady?.(app);
  await app.ready();

  async function inject(opts: InjectOptions): Promise<LightMyRequestResponse> {
    return app.inject(opts);
  }

  async function login(email: string, password = PASSWORD, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, headers });
  }

  function caller(email: string, cookie: string): Caller {
    const request: Caller['request'] = (method, url, payload, headers = {}) =>
      inject({ method, url, headers: { cookie, ...headers }, ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }) });
    return {
      email,
      cookie,
      request,
      async json<T>(method: Method, url: string, payload?: unknown, status?: number): Promise<T> {
        const res = await request(method, url, payload);
        const expected = status ?? (method === 'POST' && !url.includes('/finalize') && !url.includes('/approve') ? 201 : 200);
        expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 300)}`).toBe(expected);
        return res.json<T>();
      },
    };
  }

  async function loggedIn(email: string): Promise<Caller> {
    const res = await login(email);
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'wr_session');
    if (!cookie) throw new Error('login set no session cookie');
    return caller(email, `wr_session=${cookie.value}`);
  }

  return {
    app,
    product,
    config,
    db: options.db,
    dialect: options.dialect,
    secretKeyHex,
    login,
    loggedIn,
    anonymous: (method, url, payload) => inject({ method, url, ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }) }),
    async studio({ country = 'US', name } = {}) {
      const org = await createOrganisation(options.db, {
        name: name ?? `Studio ${randomBytes(3).toString('hex')}`,
        country,
        homeCurrency: country === 'CA' ? 'CAD' : 'USD',
        salesTaxRate: '8.25',
      });
      const hash = await hashPassword(PASSWORD);
      const emails = { owner: `owner-${org.id}@example.test`, member: `member-${org.id}@example.test` };
      for (const role of ['owner', 'member'] as const) {
        const created = await createUser(options.db, { orgId: org.id, email: emails[role], passwordHash: hash, role });
        if (!created.ok) throw new Error(`could not create the ${role}`);
      }
      return { orgId: org.id, name: org.name, owner: await loggedIn(emails.owner), member: await loggedIn(emails.member) };
    },
    async close() {
      await app.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Settings → Apps → Connect, the company chooser at the emulator, and Intuit's redirect back. */
export async function connectQbo(caller: Caller, realmId: string): Promise<void> {
  const started = await caller.json<{ authorizeUrl: string }>('POST', '/api/qbo/connect', undefined, 200);
  const query = await authorizeAtEmulator(started.authorizeUrl, { realmId });
  const back = await caller.request('GET', `/api/qbo/callback?${new URLSearchParams(query).toString()}`);
  expect(back.headers.location).toBe('/settings/apps?qbo=connected');
}

async function currentSchema(db: Kysely<Database>): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  return (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema;
}

/** Every row of every table, so a test can prove a request changed nothing at all. */
export async function snapshotDatabase(db: Kysely<Database>, ignore: readonly string[] = []): Promise<Record<string, string[]>> {
  let names = tableNames.get(db);
  if (names === undefined) {
    // PostgreSQL introspection lists every schema's tables; other test files' schemas may hold newer ones.
    const schema = await currentSchema(db);
    names = (await db.introspection.getTables())
      .filter((t) => schema === undefined || t.schema === schema)
      .map((t) => t.name)
      .filter((name) => !name.startsWith('kysely_'));
    tableNames.set(db, names);
  }
  const snapshot: Record<string, string[]> = {};
  for (const name of names) {
    if (ignore.includes(name)) continue;
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    snapshot[name] = rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort();
  }
  return snapshot;
}

/** The schema does not change during a test file; introspecting it once keeps snapshots cheap. */
const tableNames = new WeakMap<Kysely<Database>, string[]>();

/** Sessions and log-in throttling change on every log-in; they are not data a request could corrupt. */
export const BOOKKEEPING_TABLES = ['sessions', 'login_attempts'] as const;
