import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';

const REDIRECT = 'http://localhost:9000/cb';
const BASIC = `Basic ${Buffer.from(`${EMULATOR_CLIENT_ID}:${EMULATOR_CLIENT_SECRET}`).toString('base64')}`;

interface Tokens {
  access_token: string;
  refresh_token: string;
}

async function connect(emulator: StartedEmulator, realmId: string): Promise<Tokens> {
  const authorize = `${emulator.urls.authorizeUrl}?${new URLSearchParams({
    client_id: EMULATOR_CLIENT_ID,
    response_type: 'code',
    scope: 'com.intuit.quickbooks.accounting',
    redirect_uri: REDIRECT,
    state: 's',
  })}`;
  const pending = /name="pending" value="([^"]+)"/.exec(await (await fetch(authorize)).text())?.[1] ?? '';
  const decision = await fetch(`${emulator.baseUrl}/connect/oauth2/decision`, {
    method: 'POST',
    body: new URLSearchParams({ pending, decision: 'approve', realmId }),
    redirect: 'manual',
  });
  const code = new URL(decision.headers.get('location') ?? '').searchParams.get('code') ?? '';
  return (await tokenCall(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).json() as Promise<Tokens>;
}

function tokenCall(emulator: StartedEmulator, form: Record<string, string>): Promise<Response> {
  return fetch(emulator.urls.tokenUrl, { method: 'POST', headers: { authorization: BASIC }, body: new URLSearchParams(form) });
}

function companyInfo(emulator: StartedEmulator, realmId: string, accessToken: string): Promise<Response> {
  const environment = emulator.directory.getCompany(realmId)?.environment ?? 'sandbox';
  return fetch(`${emulator.urls.apiBaseUrl(environment)}/v3/company/${realmId}/companyinfo/${realmId}?minorversion=75`, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
  });
}

function control(emulator: StartedEmulator, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${emulator.urls.controlUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

describe('assembled emulator', () => {
  let emulator: StartedEmulator;
  let realmId: string;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
    realmId = emulator.directory.listCompanies()[0]?.realmId ?? '';
  });
  afterEach(() => {
    emulator.clock.reset();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('lists sandbox and production companies on the consent page', async () => {
    const res = await fetch(
      `${emulator.urls.authorizeUrl}?${new URLSearchParams({
        client_id: EMULATOR_CLIENT_ID,
        response_type: 'code',
        scope: 'com.intuit.quickbooks.accounting',
        redirect_uri: REDIRECT,
        state: 's',
      })}`,
    );
    const html = await res.text();
    for (const company of emulator.directory.listCompanies()) expect(html).toContain(company.realmId);
    expect(html).toContain('(Sandbox,');
    expect(html).toContain('(Production,');
  });

  it('an access token opens the API for its realm until the clock passes one hour', async () => {
    const tokens = await connect(emulator, realmId);
    expect((await companyInfo(emulator, realmId, tokens.access_token)).status).toBe(200);
    const advanced = await control(emulator, 'POST', '/clock/advance', { seconds: 3600 });
    expect(advanced.status).toBe(200);
    expect((await companyInfo(emulator, realmId, tokens.access_token)).status).toBe(401);
    const refreshed = await tokenCall(emulator, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    const fresh = (await refreshed.json()) as Tokens;
    expect((await companyInfo(emulator, realmId, fresh.access_token)).status).toBe(200);
  });

  it('control revoke by realm ends the connection: 401 on the API, invalid_grant on refresh', async () => {
    const tokens = await connect(emulator, realmId);
    const res = await control(emulator, 'POST', '/oauth/revoke', { realmId });
    expect(((await res.json()) as { revoked: number }).revoked).toBeGreaterThanOrEqual(1);
    expect((await companyInfo(emulator, realmId, tokens.access_token)).status).toBe(401);
    const refresh = await tokenCall(emulator, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toEqual({ error: 'invalid_grant' });
  });

  it('control revoke by refresh token ends that grant only (Intuit revoked one app connection)', async () => {
    const revoked = await connect(emulator, realmId);
    const kept = await connect(emulator, realmId);
    const res = await control(emulator, 'POST', '/oauth/revoke', { refreshToken: revoked.refresh_token });
    expect(await res.json()).toEqual({ revoked: 1 });
    expect((await companyInfo(emulator, realmId, revoked.access_token)).status).toBe(401);
    expect(await (await tokenCall(emulator, { grant_type: 'refresh_token', refresh_token: revoked.refresh_token })).json()).toEqual({ error: 'invalid_grant' });
    expect((await companyInfo(emulator, realmId, kept.access_token)).status).toBe(200);
    expect((await tokenCall(emulator, { grant_type: 'refresh_token', refresh_token: kept.refresh_token })).status).toBe(200);
    expect(await (await control(emulator, 'POST', '/oauth/revoke', { refreshToken: revoked.refresh_token })).json()).toEqual({ revoked: 0 });
  });

  it('lists grants without ever returning a token value', async () => {
    const tokens = await connect(emulator, realmId);
    const text = await (await control(emulator, 'GET', '/oauth/grants')).text();
    expect(text).toContain(realmId);
    expect(text).not.toContain(tokens.refresh_token);
    expect(text).not.toContain(tokens.access_token);
  });

  it('rejects a bad control body with invalid_body', async () => {
    const res = await control(emulator, 'POST', '/clock/advance', { hours: 2 });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_body' } });
  });

  it('mounts the Accounting API controls: injected fault, counters, reset', async () => {
    const tokens = await connect(emulator, realmId);
    expect((await control(emulator, 'POST', '/accounting/faults', { realmId, mode: 'http503' })).status).toBe(200);
    expect((await companyInfo(emulator, realmId, tokens.access_token)).status).toBe(503);
    const counters = (await (await control(emulator, 'GET', `/accounting/counters?realmId=${realmId}`)).json()) as Record<
      string,
      { injectedFaults: number }
    >;
    expect(counters[realmId]?.injectedFaults).toBe(1);
    expect((await control(emulator, 'POST', '/reset', {})).status).toBe(200);
    expect((await companyInfo(emulator, realmId, tokens.access_token)).status).toBe(200);
  });

  it('a full reset with includeOAuth disconnects every app', async () => {
    const tokens = await connect(emulator, realmId);
    await control(emulator, 'POST', '/reset', { includeOAuth: true });
    expect((await companyInfo(emulator, realmId, tokens.access_token)).status).toBe(401);
  });
});

describe('persistence', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qbo-emulator-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the connection across a restart', async () => {
    const persistFile = join(dir, 'emulator.json');
    const first = await startEmulator({ port: 0, host: '127.0.0.1', persistFile });
    const realmId = first.directory.listCompanies()[0]?.realmId ?? '';
    const tokens = await connect(first, realmId);
    await first.close();
    const saved = JSON.parse(await readFile(join(dir, 'emulator.oauth.json'), 'utf8')) as { grants: unknown[] };
    expect(saved.grants).toHaveLength(1);

    const second = await startEmulator({ port: 0, host: '127.0.0.1', persistFile });
    try {
      expect((await companyInfo(second, realmId, tokens.access_token)).status).toBe(200);
      const refresh = await tokenCall(second, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
      expect(refresh.status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
