import { describe, expect, it } from 'vitest';
import { emulatorPlatform, INTUIT_PLATFORM, type OAuthEndpoints } from '../../../src/qbo/client/index.js';
import { IntuitOAuthClient, parseOAuthCallback, QBO_ACCOUNTING_SCOPE } from '../../../src/qbo/connection/index.js';
import { FakeTransport, jsonResponse } from '../qbo-client/fake-transport.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

function client(transport: FakeTransport, endpoints: OAuthEndpoints = INTUIT_PLATFORM.oauth) {
  return new IntuitOAuthClient({
    endpoints,
    clientId: 'client-id',
    clientSecret: 'client-secret',
    redirectUri: 'http://localhost:3000/callback',
    transport,
    now: () => NOW,
  });
}

const grant = {
  access_token: 'at-1',
  refresh_token: 'rt-1',
  token_type: 'bearer',
  expires_in: 3600,
  x_refresh_token_expires_in: 8_726_400,
};

describe('IntuitOAuthClient', () => {
  it('builds the authorize URL with the accounting scope and state', () => {
    const url = new URL(client(new FakeTransport([]), emulatorPlatform('http://127.0.0.1:9000').oauth).authorizeUrl('st4te'));
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:9000/connect/oauth2');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'client-id',
      response_type: 'code',
      scope: QBO_ACCOUNTING_SCOPE,
      redirect_uri: 'http://localhost:3000/callback',
      state: 'st4te',
    });
  });

  it('exchanges a code with Basic client auth and a form body', async () => {
    const transport = new FakeTransport([jsonResponse(200, grant)]);
    const result = await client(transport).exchangeCode('the-code');
    expect(result).toEqual({
      ok: true,
      value: {
        accessToken: 'at-1',
        refreshToken: 'rt-1',
        accessTokenExpiresAt: new Date(NOW + 3600_000),
        refreshTokenExpiresAt: new Date(NOW + 8_726_400_000),
      },
    });
    const req = transport.requests[0];
    expect(req?.url).toBe('https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer');
    expect(req?.headers['Authorization']).toBe(`Basic ${Buffer.from('client-id:client-secret').toString('base64')}`);
    expect(req?.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req?.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: 'http://localhost:3000/callback',
    });
  });

  it('refresh returns the rotated pair, keeping the old refresh token if Intuit sends none', async () => {
    const transport = new FakeTransport([
      jsonResponse(200, { ...grant, refresh_token: 'rt-2' }),
      jsonResponse(200, { access_token: 'at-3', expires_in: 3600 }),
    ]);
    const oauth = client(transport);
    const rotated = await oauth.refresh('rt-1');
    expect(rotated.ok && rotated.value.refreshToken).toBe('rt-2');
    expect(Object.fromEntries(new URLSearchParams(transport.requests[0]?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-1',
    });
    const kept = await oauth.refresh('rt-2');
    expect(kept.ok && kept.value.refreshToken).toBe('rt-2');
  });

  it('types invalid_grant and other refusals', async () => {
    const transport = new FakeTransport([
      jsonResponse(400, { error: 'invalid_grant', error_description: 'Incorrect or invalid refresh token' }),
      jsonResponse(401, { error: 'invalid_client' }),
      new TypeError('fetch failed'),
    ]);
    const oauth = client(transport);
    expect(await oauth.refresh('old')).toMatchObject({ ok: false, error: { code: 'qbo_auth_invalid_grant' } });
    expect(await oauth.exchangeCode('c')).toMatchObject({ ok: false, error: { code: 'qbo_oauth_failed', status: 401 } });
    expect(await oauth.refresh('x')).toMatchObject({ ok: false, error: { code: 'qbo_network' } });
  });

  it('revokes with a JSON body at the revoke endpoint', async () => {
    const transport = new FakeTransport([new Response(null, { status: 200 }), jsonResponse(400, { error: 'invalid_request' })]);
    const oauth = client(transport);
    expect(await oauth.revoke('rt-1')).toEqual({ ok: true, value: undefined });
    expect(transport.requests[0]?.url).toBe('https://developer.api.intuit.com/v2/oauth2/tokens/revoke');
    expect(JSON.parse(transport.requests[0]?.body ?? '')).toEqual({ token: 'rt-1' });
    expect(await oauth.revoke('rt-1')).toMatchObject({ ok: false, error: { code: 'qbo_oauth_failed' } });
  });
});

describe('parseOAuthCallback', () => {
  it('reads code, state and realm', () => {
    expect(parseOAuthCallback({ code: 'c', state: 's', realmId: '9130354123456789' })).toEqual({
      ok: true,
      value: { kind: 'code', code: 'c', state: 's', realmId: '9130354123456789' },
    });
  });

  it('reports denial and bad input', () => {
    expect(parseOAuthCallback({ error: 'access_denied', state: 's' })).toMatchObject({ ok: true, value: { kind: 'denied', error: 'access_denied' } });
    expect(parseOAuthCallback({ state: 's', realmId: '9130354123456789' })).toEqual({ ok: false, error: 'missing_code' });
    expect(parseOAuthCallback({ code: 'c', realmId: '9130354123456789' })).toEqual({ ok: false, error: 'missing_state' });
    expect(parseOAuthCallback({ code: 'c', state: 's', realmId: '12ab' })).toEqual({ ok: false, error: 'invalid_realm' });
  });
});
