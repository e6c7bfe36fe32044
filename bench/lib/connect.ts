import type { QboConnectionService, SessionRef } from '../../src/qbo/connection/connection-service.js';

/**
 * What a user's browser does at Intuit's consent page (the emulator's): open the authorize URL, pick the
 * company, approve. Returns the query Intuit redirects back to the product with.
 */
async function consentAtEmulator(authorizeUrl: string, realmId: string): Promise<Record<string, string>> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  const pending = /name="pending" value="([^"]+)"/.exec(html)?.[1];
  if (!page.ok || pending === undefined) throw new Error(`no consent page (HTTP ${page.status}): ${html.slice(0, 300)}`);
  const answer = await fetch(new URL('/connect/oauth2/decision', authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ pending, decision: 'approve', realmId }).toString(),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || location === null) throw new Error(`consent answered ${answer.status}`);
  return Object.fromEntries(new URL(location).searchParams.entries());
}

/** The whole OAuth round trip through the product's connection service: tokens end up encrypted in the DB. */
export async function connectRealm(service: QboConnectionService, session: SessionRef, realmId: string): Promise<void> {
  const { authorizeUrl } = await service.startConnect(session);
  const query = await consentAtEmulator(authorizeUrl, realmId);
  const result = await service.handleCallback(query, session);
  if (!result.ok) throw new Error(`connecting realm ${realmId} failed: ${result.error}`);
}
