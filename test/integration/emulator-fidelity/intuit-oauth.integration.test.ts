import OAuthClient from 'intuit-oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  startEmulator,
  type StartedEmulator,
} from '../../../src/emulator/index.js';

// intuit-oauth keeps its endpoints in class-wide statics; put Intuit's back afterwards.
const ORIGINAL = {
  authorize: OAuthClient.authorizeEndpoint,
  token: OAuthClient.tokenEndpoint,
  revoke: OAuthClient.revokeEndpoint,
  userInfo: OAuthClient.userinfo_endpoint_sandbox,
  jwks: OAuthClient.jwks_uri,
};

const REDIRECT = 'http://localhost:8000/callback';
let emulator: StartedEmulator;
let client: OAuthClient;
let realmId: string;

/** Plays the user on the consent page: open the authorize URL, pick the first sandbox company, click Connect. */
async function consent(authorizeUri: string): Promise<string> {
  const page = await fetch(authorizeUri);
  expect(page.status).toBe(200);
  const html = await page.text();
  const pending = /name="pending" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const decision = await fetch(`${emulator.baseUrl}/connect/oauth2/decision`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ pending, decision: 'approve', realmId }),
    redirect: 'manual',
  });
  expect(decision.status).toBe(302);
  return decision.headers.get('location') ?? '';
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
  const sandbox = emulator.directory.listCompanies().find((c) => c.environment === 'sandbox');
  if (!sandbox) throw new Error('the emulator has no sandbox company');
  realmId = sandbox.realmId;
  client = new OAuthClient({
    clientId: EMULATOR_CLIENT_ID,
    clientSecret: EMULATOR_CLIENT_SECRET,
    environment: 'sandbox',
    redirectUri: REDIRECT,
    includeRefreshTokenHardExpiresIn: true,
  });
  client.setAuthorizeURLs({
    authorizeEndpoint: emulator.urls.authorizeUrl,
    tokenEndpoint: emulator.urls.tokenUrl,
    revokeEndpoint: emulator.urls.revokeUrl,
    userInfoEndpoint: emulator.urls.userInfoUrl,
  });
  OAuthClient.jwks_uri = emulator.urls.jwksUrl;
});

afterAll(async () => {
  client.setAuthorizeURLs({
    authorizeEndpoint: ORIGINAL.authorize,
    tokenEndpoint: ORIGINAL.token,
    revokeEndpoint: ORIGINAL.revoke,
    userInfoEndpoint: ORIGINAL.userInfo,
  });
  OAuthClient.jwks_uri = ORIGINAL.jwks;
  await emulator.close();
});

describe('intuit-oauth, unmodified, against the emulator', () => {
  it('connects, validates the id_token, reads userinfo, refreshes with rotation, and revokes', async () => {
    const authorizeUri = client.authorizeUri({
      scope: [OAuthClient.scopes.Accounting, OAuthClient.scopes.OpenId, OAuthClient.scopes.Email, OAuthClient.scopes.Profile],
      state: 'fidelity-state',
    });
    expect(authorizeUri.startsWith(`${emulator.urls.authorizeUrl}?`)).toBe(true);

    const callbackUrl = await consent(authorizeUri);
    expect(callbackUrl.startsWith(REDIRECT)).toBe(true);

    const created = await client.createToken(callbackUrl);
    const token = created.getToken();
    expect(token.realmId).toBe(realmId);
    expect(token.token_type).toBe('bearer');
    expect(token.expires_in).toBe(3600);
    expect(token.x_refresh_token_hard_expires_in).toBeGreaterThan(0);
    expect(client.isAccessTokenValid()).toBe(true);
    expect(emulator.tokens.verify(`Bearer ${token.access_token}`, realmId).ok).toBe(true);

    await expect(client.validateIdToken()).resolves.toBe(true);

    const userInfo = await client.getUserInfo();
    expect(userInfo.json).toMatchObject({ email: 'designer@workroom.example', givenName: 'Dana', familyName: 'Designer' });

    const sameDay = await client.refresh();
    expect(sameDay.getToken().refresh_token).toBe(token.refresh_token);

    emulator.clock.advance(25 * 3600 * 1000);
    const rotated = await client.refresh();
    const newRefresh = String(rotated.getToken().refresh_token);
    expect(newRefresh).not.toBe(token.refresh_token);

    const reuse = client.refreshUsingToken(String(token.refresh_token));
    await expect(reuse).rejects.toMatchObject({ error: 'invalid_grant' });

    const revoked = await client.revoke({ refresh_token: newRefresh });
    expect(revoked.status()).toBe(200);
    await expect(client.refreshUsingToken(newRefresh)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('surfaces a wrong client secret as the token endpoint’s invalid_client', async () => {
    const wrong = new OAuthClient({
      clientId: EMULATOR_CLIENT_ID,
      clientSecret: 'not-the-secret',
      environment: 'sandbox',
      redirectUri: REDIRECT,
    });
    await expect(wrong.refreshUsingToken('AB11whatever')).rejects.toMatchObject({ error: 'invalid_client' });
  });
});
