import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, type StartedEmulator } from '../../../src/emulator/index.js';

export interface Connection {
  accessToken: string;
  refreshToken: string;
  realmId: string;
}

/** The browser half of "Connect to QuickBooks" over plain HTTP: consent page, Connect, code exchange. */
export async function connectRealm(emulator: StartedEmulator, realmId: string): Promise<Connection> {
  const redirectUri = 'http://localhost:8000/callback';
  const authorize = new URL(emulator.urls.authorizeUrl);
  authorize.search = new URLSearchParams({
    client_id: EMULATOR_CLIENT_ID,
    response_type: 'code',
    scope: 'com.intuit.quickbooks.accounting',
    redirect_uri: redirectUri,
    state: 'fidelity',
  }).toString();
  const html = await (await fetch(authorize)).text();
  const pending = /name="pending" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const decision = await fetch(`${emulator.baseUrl}/connect/oauth2/decision`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ pending, decision: 'approve', realmId }),
    redirect: 'manual',
  });
  const code = new URL(decision.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const res = await fetch(emulator.urls.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${EMULATOR_CLIENT_ID}:${EMULATOR_CLIENT_SECRET}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
  });
  if (res.status !== 200) throw new Error(`code exchange failed with ${res.status}`);
  const body = (await res.json()) as { access_token: string; refresh_token: string };
  return { accessToken: body.access_token, refreshToken: body.refresh_token, realmId };
}
