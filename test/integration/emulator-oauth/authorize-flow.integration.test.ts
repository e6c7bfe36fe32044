import { createPublicKey, verify } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControllableClock } from '../../../src/emulator/clock.js';
import type { CompanyDirectory, CompanyFile } from '../../../src/emulator/contract.js';
import {
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  IdTokenSigner,
  INTUIT_ISSUER,
  OAuthClientRegistry,
  OAuthTokenService,
  oauthRoutes,
  PendingAuthorizations,
} from '../../../src/emulator/oauth/index.js';

const COMPANIES: CompanyFile[] = [
  { realmId: '4620816365000000001', name: 'Sandbox Studio', environment: 'sandbox', country: 'US', homeCurrency: 'USD' },
  { realmId: '9130350000000002', name: 'Live Studio & Co', environment: 'production', country: 'CA', homeCurrency: 'CAD' },
];
const directory: CompanyDirectory = {
  listCompanies: () => COMPANIES,
  getCompany: (realmId) => COMPANIES.find((c) => c.realmId === realmId),
};

const REDIRECT = 'http://localhost:5173/qbo/callback';
const BASIC = `Basic ${Buffer.from(`${EMULATOR_CLIENT_ID}:${EMULATOR_CLIENT_SECRET}`).toString('base64')}`;

let app: FastifyInstance;
let base: string;
const clock = new ControllableClock();
const tokens = new OAuthTokenService(clock);

beforeAll(async () => {
  app = Fastify();
  await app.register(oauthRoutes, {
    clock,
    clients: new OAuthClientRegistry(),
    tokens,
    directory,
    signer: new IdTokenSigner(),
    pending: new PendingAuthorizations(clock),
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
});

function authorizeUrl(params: Record<string, string>): string {
  const query = new URLSearchParams({
    client_id: EMULATOR_CLIENT_ID,
    response_type: 'code',
    scope: 'com.intuit.quickbooks.accounting',
    redirect_uri: REDIRECT,
    state: 'st-123',
    ...params,
  });
  return `${base}/connect/oauth2?${query}`;
}

async function openConsent(params: Record<string, string> = {}): Promise<{ html: string; pending: string }> {
  const res = await fetch(authorizeUrl(params));
  expect(res.status).toBe(200);
  const html = await res.text();
  const pending = /name="pending" value="([^"]+)"/.exec(html)?.[1];
  if (pending === undefined) throw new Error('no pending id on the consent page');
  return { html, pending };
}

async function decide(form: Record<string, string>): Promise<Response> {
  return fetch(`${base}/connect/oauth2/decision`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
    redirect: 'manual',
  });
}

async function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/oauth2/v1/tokens/bearer`, {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    body: new URLSearchParams(form),
  });
}

async function approve(realmId: string, params: Record<string, string> = {}): Promise<URL> {
  const { pending } = await openConsent(params);
  const res = await decide({ pending, decision: 'approve', realmId });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

describe('authorize page', () => {
  it('lists every company with its environment and escapes names', async () => {
    const { html } = await openConsent();
    expect(html).toContain('Sandbox Studio');
    expect(html).toContain('(Sandbox, company ID 4620816365000000001)');
    expect(html).toContain('Live Studio &amp; Co');
    expect(html).toContain('(Production, company ID 9130350000000002)');
    expect(html).toMatch(/<button[^>]*value="approve"[^>]*>Connect<\/button>/);
    expect(html).toMatch(/<button[^>]*value="deny"[^>]*>Cancel<\/button>/);
  });

  it('approve redirects with code, state and realmId; the code exchanges for Intuit-shaped tokens', async () => {
    const callback = await approve('9130350000000002');
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect(callback.searchParams.get('state')).toBe('st-123');
    expect(callback.searchParams.get('realmId')).toBe('9130350000000002');
    const code = callback.searchParams.get('code') ?? '';
    expect(code).toMatch(/^AB11/);

    const res = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(res.status).toBe(200);
    expect(res.headers.get('intuit_tid')).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type', 'x_refresh_token_expires_in']);
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8_726_400 });
    expect(tokens.verify(`Bearer ${String(body['access_token'])}`, '9130350000000002')).toEqual({ ok: true, clientId: EMULATOR_CLIENT_ID });

    const reuse = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(reuse.status).toBe(400);
    expect(await reuse.text()).toBe('{"error":"invalid_grant"}');
  });

  it('deny redirects with error=access_denied and the state', async () => {
    const { pending } = await openConsent();
    const res = await decide({ pending, decision: 'deny' });
    expect(res.status).toBe(302);
    const callback = new URL(res.headers.get('location') ?? '');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('st-123');
    expect(callback.searchParams.has('code')).toBe(false);
  });

  it('a consent form cannot be submitted twice', async () => {
    const { pending } = await openConsent();
    expect((await decide({ pending, decision: 'approve', realmId: '4620816365000000001' })).status).toBe(302);
    const again = await decide({ pending, decision: 'approve', realmId: '4620816365000000001' });
    expect(again.status).toBe(400);
    expect(again.headers.get('location')).toBeNull();
  });

  it('shows an error page, never a redirect, for an unknown client or an unregistered redirect URI', async () => {
    const cases: Record<string, string>[] = [{ client_id: 'nobody' }, { redirect_uri: 'https://evil.example/cb' }, { redirect_uri: 'not a url' }];
    for (const params of cases) {
      const res = await fetch(authorizeUrl(params), { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('role="alert"');
    }
  });

  it('accepts any loopback port for the default client', async () => {
    const callback = await approve('4620816365000000001', { redirect_uri: 'http://127.0.0.1:49152/cb' });
    expect(callback.origin).toBe('http://127.0.0.1:49152');
  });

  it('sends invalid_scope back to the app when the accounting scope is missing', async () => {
    const res = await fetch(authorizeUrl({ scope: 'openid email' }), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const callback = new URL(res.headers.get('location') ?? '');
    expect(callback.searchParams.get('error')).toBe('invalid_scope');
    expect(callback.searchParams.get('state')).toBe('st-123');
  });
});

describe('token endpoint', () => {
  it('rejects bad client authentication with 401 invalid_client', async () => {
    const wrong = `Basic ${Buffer.from(`${EMULATOR_CLIENT_ID}:wrong`).toString('base64')}`;
    const res = await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: wrong });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_client' });
  });

  it('accepts client_secret_post as Intuit’s discovery document advertises', async () => {
    const callback = await approve('4620816365000000001');
    const res = await fetch(`${base}/oauth2/v1/tokens/bearer`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT,
        client_id: EMULATOR_CLIENT_ID,
        client_secret: EMULATOR_CLIENT_SECRET,
      }),
    });
    expect(res.status).toBe(200);
  });

  it('answers unsupported_grant_type and invalid_request', async () => {
    const unsupported = await tokenRequest({ grant_type: 'client_credentials' });
    expect(unsupported.status).toBe(400);
    expect(await unsupported.json()).toEqual({ error: 'unsupported_grant_type' });
    const missing = await tokenRequest({ grant_type: 'refresh_token' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: 'invalid_request' });
  });

  it('refreshes, reports the hard expiry only when asked, and rejects an unknown refresh token', async () => {
    const callback = await approve('4620816365000000001');
    const first = (await (
      await tokenRequest({ grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', redirect_uri: REDIRECT })
    ).json()) as Record<string, unknown>;
    const res = await tokenRequest(
      { grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) },
      { 'x-include-refresh-token-hard-expires-in': 'true' },
    );
    expect(res.status).toBe(200);
    const refreshed = (await res.json()) as Record<string, unknown>;
    expect(refreshed['refresh_token']).toBe(first['refresh_token']);
    expect(refreshed['x_refresh_token_hard_expires_in']).toBeGreaterThan(157_000_000);

    const bad = await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'AB11unknown' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('{"error":"invalid_grant"}');
  });
});

describe('revoke endpoint', () => {
  it('revokes with a JSON body, then refuses the same token with an empty 400', async () => {
    const callback = await approve('4620816365000000001');
    const set = (await (
      await tokenRequest({ grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', redirect_uri: REDIRECT })
    ).json()) as Record<string, string>;
    const revoke = (): Promise<Response> =>
      fetch(`${base}/v2/oauth2/tokens/revoke`, {
        method: 'POST',
        headers: { authorization: BASIC, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ token: set['refresh_token'] }),
      });
    expect((await revoke()).status).toBe(200);
    expect(tokens.verify(`Bearer ${set['access_token']}`, '4620816365000000001')).toEqual({ ok: false, reason: 'invalid' });
    const again = await revoke();
    expect(again.status).toBe(400);
    expect(await again.text()).toBe('');
  });

  it('requires client authentication', async () => {
    const res = await fetch(`${base}/v2/oauth2/tokens/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'x' }),
    });
    expect(res.status).toBe(401);
  });
});

describe('OpenID Connect', () => {
  it('serves both discovery documents pointing at this origin, with Intuit’s issuer', async () => {
    for (const path of ['/.well-known/openid_configuration', '/.well-known/openid_sandbox_configuration/']) {
      const doc = (await (await fetch(`${base}${path}`)).json()) as Record<string, unknown>;
      expect(doc).toMatchObject({
        issuer: INTUIT_ISSUER,
        authorization_endpoint: `${base}/connect/oauth2`,
        token_endpoint: `${base}/oauth2/v1/tokens/bearer`,
        revocation_endpoint: `${base}/v2/oauth2/tokens/revoke`,
        jwks_uri: `${base}/op/v1/jwks`,
      });
    }
  });

  it('issues an RS256 id_token verifiable with the JWKS, and answers userinfo', async () => {
    const callback = await approve('9130350000000002', { scope: 'com.intuit.quickbooks.accounting openid email profile' });
    const set = (await (
      await tokenRequest({ grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', redirect_uri: REDIRECT })
    ).json()) as Record<string, string>;
    const [header = '', payload = '', signature = ''] = (set['id_token'] ?? '').split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: INTUIT_ISSUER, aud: [EMULATOR_CLIENT_ID], realmid: '9130350000000002' });

    const { keys } = (await (await fetch(`${base}/op/v1/jwks`)).json()) as { keys: Record<string, string>[] };
    const kid = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string }).kid;
    const jwk = keys.find((k) => k['kid'] === kid);
    expect(jwk).toBeDefined();
    const key = createPublicKey({ key: { kty: 'RSA', n: jwk?.['n'] ?? '', e: jwk?.['e'] ?? '' }, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))).toBe(true);

    const info = await fetch(`${base}/v1/openid_connect/userinfo`, { headers: { authorization: `Bearer ${set['access_token']}` } });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ email: 'designer@workroom.example', givenName: 'Dana', emailVerified: true });
    const anonymous = await fetch(`${base}/v1/openid_connect/userinfo`);
    expect(anonymous.status).toBe(401);
  });
});
