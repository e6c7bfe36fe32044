import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { EMULATOR_CLIENT_SECRET, type StartedEmulator } from '../../../src/emulator/index.js';
import { buildApp } from '../../../src/server/index.js';
import { PASSWORD_MAX_ATTEMPTS } from '../../../src/server/auth/password-throttle.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { authorizeAtEmulator, SANDBOX_US, SANDBOX_US_2 } from '../qbo-connection/harness.js';
import { BOOKKEEPING_TABLES, PASSWORD, PUBLIC_URL, snapshotDatabase, startApi, startTestEmulator, type ApiHarness, type Studio } from './harness.js';

let emulator: StartedEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.close();
});

const EVIL = 'https://evil.example';

function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'wr_session');
  if (!cookie) throw new Error(`no session cookie (HTTP ${res.statusCode}: ${res.body})`);
  return cookie.value;
}

describeEachDatabase('security', (getDb, dialect) => {
  let api: ApiHarness;
  let studio: Studio;

  beforeAll(async () => {
    api = await startApi({ db: getDb().db, dialect, emulator });
    studio = await api.studio();
  });
  afterAll(async () => {
    await api.close();
  });

  describe('CSRF', () => {
    const client = { clientInformation: { name: 'CSRF probe' } };

    it('refuses every state-changing route when another site sends it, before it runs', async () => {
      const changing = api.app.routeTable.filter((r) => ['POST', 'PUT', 'DELETE', 'PATCH'].includes(r.method) && r.url.startsWith('/api/'));
      expect(changing.length).toBeGreaterThan(20);
      const before = await snapshotDatabase(api.db, BOOKKEEPING_TABLES);
      for (const route of changing) {
        const url = route.url.replace(/:(\w+)/g, 'x');
        const forged: Record<string, string>[] = [{ origin: EVIL }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }, { referer: `${EVIL}/page` }];
        for (const headers of forged) {
          const res = await studio.owner.request(route.method as 'POST', url, {}, headers);
          expect(res.statusCode, `${route.method} ${route.url} with ${JSON.stringify(headers)}`).toBe(403);
          const body = res.json<{ error: string; message: string }>();
          expect(body.error).toBe('forbidden');
          expect(body.message).toContain('came from another site');
        }
      }
      expect(await snapshotDatabase(api.db, BOOKKEEPING_TABLES)).toEqual(before);
    });

    it('refuses a cross-site log-in (login CSRF) but not a same-site one', async () => {
      const forged = await api.login(studio.owner.email, PASSWORD, { origin: EVIL });
      expect(forged.statusCode).toBe(403);
      expect(forged.cookies).toEqual([]);
      const own = await api.login(studio.owner.email, PASSWORD, { origin: PUBLIC_URL, 'sec-fetch-site': 'same-origin' });
      expect(own.statusCode).toBe(200);
    });

    it('accepts the same origin, whether it is the public URL or the host the browser addressed, and non-browser clients', async () => {
      const accepted: Record<string, string>[] = [
        { origin: PUBLIC_URL },
        { origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000', 'sec-fetch-site': 'same-origin' },
        { referer: `${PUBLIC_URL}/clients/new` },
        {},
      ];
      for (const headers of accepted) {
        const res = await studio.owner.request('POST', '/api/clients', client, headers);
        expect(res.statusCode, JSON.stringify(headers)).toBe(201);
      }
      const otherPort = await studio.owner.request('POST', '/api/clients', client, { origin: 'http://127.0.0.1:4000', host: '127.0.0.1:3000' });
      expect(otherPort.statusCode).toBe(403);
    });

    it("keeps Intuit's cross-site redirect to the OAuth callback working", async () => {
      const started = await studio.owner.json<{ authorizeUrl: string }>('POST', '/api/qbo/connect', undefined, 200);
      const query = await authorizeAtEmulator(started.authorizeUrl, { realmId: SANDBOX_US });
      const back = await studio.owner.request('GET', `/api/qbo/callback?${new URLSearchParams(query).toString()}`, undefined, {
        'sec-fetch-site': 'cross-site',
        referer: 'https://appcenter.intuit.com/',
      });
      expect(back.statusCode).toBe(302);
      expect(back.headers.location).toBe('/settings/apps?qbo=connected');
    });

    it('sets the session cookie httpOnly and SameSite=Lax (Secure behind https), and frames nothing', async () => {
      const res = await api.login(studio.member.email);
      const cookie = res.cookies.find((c) => c.name === 'wr_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(cookie?.secure).toBeFalsy();
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['cache-control']).toBe('no-store');

      const secureApp = await buildApp({
        db: api.db,
        dialect: api.dialect,
        config: parseConfig({ PUBLIC_URL: 'https://workroom.example', LOG_LEVEL: 'silent' }),
        logger: false,
      });
      const secure = await secureApp.inject({ method: 'POST', url: '/api/auth/login', payload: { email: studio.member.email, password: PASSWORD } });
      expect(secure.cookies.find((c) => c.name === 'wr_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
      await secureApp.close();
    });
  });

  describe('log-in rate limiting', () => {
    async function attempt(email: string, password: string, ip: string): Promise<LightMyRequestResponse> {
      return api.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: ip });
    }

    it(`allows ${PASSWORD_MAX_ATTEMPTS} attempts per email and IP, then answers 429 with Retry-After, even for the right password`, async () => {
      const { email } = studio.member;
      for (let i = 0; i < PASSWORD_MAX_ATTEMPTS; i += 1) expect((await attempt(email, 'wrong password', '10.0.0.1')).statusCode).toBe(401);
      const limited = await attempt(email, PASSWORD, '10.0.0.1');
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toEqual({ error: 'rate_limited', message: 'Too many log-in attempts for this email. Try again in 15 minutes.' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
      expect(limited.cookies).toEqual([]);
      // Another network, or another account from this one, is not held back.
      expect((await attempt(email, PASSWORD, '10.0.0.2')).statusCode).toBe(200);
      expect((await attempt(studio.owner.email, PASSWORD, '10.0.0.1')).statusCode).toBe(200);
      // Neither the email nor the address is stored.
      const stored = JSON.stringify(await getDb().db.selectFrom('login_attempts').selectAll().execute());
      expect(stored).not.toContain(email);
      expect(stored).not.toContain('10.0.0.1');
      // Once the window has passed, the account opens again.
      await getDb().db.updateTable('login_attempts').set({ attempted_at: new Date(Date.now() - 16 * 60_000).toISOString() }).execute();
      expect((await attempt(email, PASSWORD, '10.0.0.1')).statusCode).toBe(200);
    });

    it('starts the count afresh after a successful log-in', async () => {
      const { email } = studio.owner;
      for (let i = 0; i < PASSWORD_MAX_ATTEMPTS - 1; i += 1) expect((await attempt(email, 'nope', '10.0.1.1')).statusCode).toBe(401);
      expect((await attempt(email, PASSWORD, '10.0.1.1')).statusCode).toBe(200);
      for (let i = 0; i < PASSWORD_MAX_ATTEMPTS; i += 1) expect((await attempt(email, 'nope', '10.0.1.1')).statusCode).toBe(401);
      expect((await attempt(email, PASSWORD, '10.0.1.1')).statusCode).toBe(429);
    });

    it('lets at most the limit through when many guesses arrive at once', async () => {
      const answers = await Promise.all(Array.from({ length: 20 }, () => attempt('parallel@example.test', 'guess', '10.0.2.1')));
      const statuses = answers.map((a) => a.statusCode);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(PASSWORD_MAX_ATTEMPTS);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20 - PASSWORD_MAX_ATTEMPTS);
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    });
  });

  describe('current-password guessing on the password form', () => {
    it(`allows ${PASSWORD_MAX_ATTEMPTS} wrong current passwords per account from any address, then 429 even for the right one`, async () => {
      const email = `guessed-${studio.orgId}@example.test`;
      await studio.owner.json('POST', '/api/users', { email, password: PASSWORD, role: 'member' });
      const holder = await api.loggedIn(email);
      const change = (currentPassword: string, newPassword: string, ip: string) =>
        api.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: holder.cookie }, payload: { currentPassword, newPassword }, remoteAddress: ip });

      // A right password starts the count afresh.
      for (let i = 0; i < PASSWORD_MAX_ATTEMPTS - 1; i += 1) expect((await change('a guess', 'a fresh long password', '10.0.3.1')).statusCode).toBe(400);
      expect((await change(PASSWORD, 'second long password', '10.0.3.1')).statusCode).toBe(204);

      // Changing networks does not buy more guesses: the count is the account's.
      for (let i = 0; i < PASSWORD_MAX_ATTEMPTS; i += 1) expect((await change('a guess', 'a fresh long password', `10.0.4.${i}`)).statusCode).toBe(400);
      const limited = await change('second long password', 'third long password', '10.0.5.1');
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toEqual({ error: 'rate_limited', message: 'Too many wrong current passwords. Try again in 15 minutes.' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
      expect((await api.login(email, 'third long password')).statusCode).toBe(401);

      // Log-ins keep their own count, and nobody else's password form is held back.
      expect((await api.login(email, 'second long password')).statusCode).toBe(200);
      const owners = await studio.owner.request('POST', '/api/auth/password', { currentPassword: 'a guess', newPassword: 'a fresh long password' });
      expect(owners.statusCode).toBe(400);

      await getDb().db.updateTable('login_attempts').set({ attempted_at: new Date(Date.now() - 16 * 60_000).toISOString() }).execute();
      expect((await change('second long password', 'third long password', '10.0.5.1')).statusCode).toBe(204);
      expect((await api.login(email, 'third long password')).statusCode).toBe(200);
    });
  });

  describe('sessions', () => {
    it('issues a fresh session id at log-in and ends the one the browser arrived with', async () => {
      const first = sessionCookie(await api.login(studio.member.email, PASSWORD, {}));
      const second = await api.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: studio.member.email, password: PASSWORD },
        headers: { cookie: `wr_session=${first}` },
      });
      const fresh = sessionCookie(second);
      expect(fresh).not.toBe(first);
      const me = (token: string) => api.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `wr_session=${token}` } });
      expect((await me(first)).statusCode).toBe(401);
      expect((await me(fresh)).statusCode).toBe(200);
    });

    it('never adopts a session id planted by someone else', async () => {
      const planted = 'attacker-chosen-session-token';
      const res = await api.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: studio.member.email, password: PASSWORD },
        headers: { cookie: `wr_session=${planted}` },
      });
      expect(sessionCookie(res)).not.toBe(planted);
      expect((await api.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `wr_session=${planted}` } })).statusCode).toBe(401);
      // Only a hash of the token is stored, so the sessions table cannot be replayed as cookies.
      const ids = (await getDb().db.selectFrom('sessions').select('id').execute()).map((r) => r.id);
      expect(ids).not.toContain(sessionCookie(res));
    });

    it('ends the session on the server at log-out, whatever the browser keeps', async () => {
      const token = sessionCookie(await api.login(studio.member.email));
      const out = await api.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: `wr_session=${token}` } });
      expect(out.statusCode).toBe(204);
      expect((await api.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `wr_session=${token}` } })).statusCode).toBe(401);
    });
  });

  describe('OAuth state', () => {
    it('accepts a callback once; a replay, or the same callback in another session, changes nothing', async () => {
      const other = await api.studio();
      const callbackFor = async (realmId: string) => {
        const started = await studio.owner.json<{ authorizeUrl: string }>('POST', '/api/qbo/connect', undefined, 200);
        const query = await authorizeAtEmulator(started.authorizeUrl, { realmId });
        return `/api/qbo/callback?${new URLSearchParams(query).toString()}`;
      };

      // A callback URL that reaches another studio's browser connects nothing there, and is spent.
      const leaked = await callbackFor(SANDBOX_US);
      expect((await other.owner.request('GET', leaked)).headers.location).toBe('/settings/apps?qbo=state_other_session');
      expect(await other.owner.json('GET', '/api/qbo/connection')).toMatchObject({ status: 'not_connected' });
      expect((await studio.owner.request('GET', leaked)).headers.location).toBe('/settings/apps?qbo=state_used');

      const callback = await callbackFor(SANDBOX_US_2);
      expect((await studio.owner.request('GET', callback)).headers.location).toBe('/settings/apps?qbo=connected');
      const connected = await studio.owner.json('GET', '/api/qbo/connection');
      expect(connected).toMatchObject({ status: 'connected', company: { realmId: SANDBOX_US_2 } });

      const replay = await studio.owner.request('GET', callback);
      expect(replay.headers.location).toBe('/settings/apps?qbo=state_used');
      expect(await studio.owner.json('GET', '/api/qbo/connection')).toEqual(connected);
    });
  });
});

describeEachDatabase('secrets stay out of logs, responses and plain columns through a whole connect-and-push flow', (getDb, dialect) => {
  let api: ApiHarness;
  const logLines: string[] = [];
  const responses: string[] = [];
  const consoleOut: string[] = [];

  beforeAll(async () => {
    const logger = pino(
      { level: 'trace' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    api = await startApi({
      db: getDb().db,
      dialect,
      emulator,
      logger,
      beforeReady: (app) =>
        app.addHook('onSend', async (_request, reply, payload) => {
          // The log-in answer hands its own session token over in Set-Cookie; that is its job.
          const { 'set-cookie': _own, ...headers } = reply.getHeaders();
          responses.push(`${JSON.stringify(headers)}\n${typeof payload === 'string' ? payload : ''}`);
          return payload;
        }),
    });
  });
  afterAll(async () => {
    await api.close();
    emulator.clock.reset();
  });

  it('never shows a token, the client secret, the key, a password or a session id', async () => {
    const secrets = new Set<string>([EMULATOR_CLIENT_SECRET, PASSWORD]);
    const key = api.secretKeyHex ?? '';
    secrets.add(key).add(Buffer.from(key, 'hex').toString('base64')).add(Buffer.from(key, 'hex').toString('base64url'));
    const collectTokens = () => {
      const snapshot = emulator.tokens.snapshot();
      for (const [token] of [...snapshot.accessTokens, ...snapshot.refreshTokens]) secrets.add(token);
    };
    const writes = [process.stdout, process.stderr].map((stream) => {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        consoleOut.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return original(chunk, ...rest);
      });
      return () => (stream.write = original);
    });

    try {
      const studio = await api.studio();
      secrets.add(studio.owner.cookie.replace('wr_session=', '')).add(studio.member.cookie.replace('wr_session=', ''));
      const o = studio.owner;
      const started = await o.json<{ authorizeUrl: string }>('POST', '/api/qbo/connect', undefined, 200);
      const query = await authorizeAtEmulator(started.authorizeUrl, { realmId: SANDBOX_US });
      // The state travels in the authorize URL by design; the code is Intuit's and must go no further.
      secrets.add(query['code'] ?? '');
      expect((await o.request('GET', `/api/qbo/callback?${new URLSearchParams(query).toString()}`)).headers.location).toBe('/settings/apps?qbo=connected');
      collectTokens();

      await o.json('PUT', '/api/qbo/mapping/accounts', { defaultIncomeAccountId: '1', defaultExpenseAccountId: '6' });
      const mapping = await o.json<{ choices: { taxCodes: { id: string; rate: string | null }[] } }>('GET', '/api/qbo/mapping');
      await o.json('PUT', '/api/qbo/mapping/tax', { kind: 'sales_tax', salesTaxCodeId: mapping.choices.taxCodes.find((c) => c.rate !== null && c.rate !== '0')?.id ?? null });
      const client = await o.json<{ id: string }>('POST', '/api/clients', { clientInformation: { name: 'Secret Flow Client', email: 'c@example.test' } });
      const doc = await o.json<{ id: string }>('POST', '/api/documents', { type: 'invoice', clientId: client.id, issueDate: '2025-05-01', lines: [{ quantity: '1', rate: '99.95' }] });
      await o.json('POST', `/api/documents/${doc.id}/finalize`);
      expect(await o.json('POST', `/api/qbo/documents/${doc.id}/push`, undefined, 200)).toMatchObject({ status: 'pushed' });

      // An hour later the access token has expired: the next push refreshes it first.
      emulator.clock.advance(3_700_000);
      await o.json('PUT', `/api/documents/${doc.id}`, { type: 'invoice', clientId: client.id, issueDate: '2025-05-01', lines: [{ quantity: '2', rate: '99.95' }] });
      expect(await o.json('POST', `/api/qbo/documents/${doc.id}/push`, undefined, 200)).toMatchObject({ status: 'pushed' });
      collectTokens();
      await o.json('GET', '/api/qbo/reports/profit-and-loss?range=year_to_date');
      await o.json('POST', '/api/qbo/sync/clients', undefined, 200);
      await o.json('POST', '/api/qbo/connection/refresh-facts', undefined, 200);
      collectTokens();
      await o.json('POST', '/api/qbo/disconnect', undefined, 200);
    } finally {
      for (const restore of writes) restore();
    }

    const values = [...secrets].filter((s) => s.length >= 8);
    expect(values.length).toBeGreaterThanOrEqual(10);
    expect(logLines.length).toBeGreaterThan(20);
    const stored = JSON.stringify(await snapshotDatabase(api.db));
    for (const secret of values) {
      for (const line of logLines) expect(line.includes(secret), `a log line leaks a secret: ${line.slice(0, 300)}`).toBe(false);
      for (const body of responses) expect(body.includes(secret), `a response leaks a secret: ${body.slice(0, 300)}`).toBe(false);
      for (const text of consoleOut) expect(text.includes(secret), `console output leaks a secret: ${text.slice(0, 300)}`).toBe(false);
      expect(stored.includes(secret), 'a secret is stored in plain text').toBe(false);
    }
  });
});
