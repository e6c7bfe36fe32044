import { describe, expect, it } from 'vitest';
import { INTUIT_PLATFORM } from '../../../src/qbo/client/index.js';
import { probeEnvironment } from '../../../src/qbo/connection/index.js';
import { FakeTransport, fault, jsonResponse } from '../qbo-client/fake-transport.js';

const REALM = '4620816365290212450';
const companyInfo = { CompanyInfo: { Id: '1', SyncToken: '0', CompanyName: 'Sandbox Company_US_1', Country: 'US' } };

function hostAnswering(answers: Record<string, () => Response>): FakeTransport {
  return new FakeTransport((req) => {
    const host = new URL(req.url).host;
    const answer = answers[host];
    if (answer === undefined) throw new Error(`unexpected host ${host}`);
    return answer();
  });
}

describe('probeEnvironment', () => {
  it('picks sandbox when production refuses the realm', async () => {
    const transport = hostAnswering({
      'quickbooks.api.intuit.com': () => jsonResponse(401, fault('3200', 'AuthenticationFailed')),
      'sandbox-quickbooks.api.intuit.com': () => jsonResponse(200, companyInfo),
    });
    const result = await probeEnvironment({ platform: INTUIT_PLATFORM, transport, realmId: REALM, accessToken: 'at' });
    expect(result).toEqual({ ok: true, value: 'sandbox' });
    expect(transport.urls().map((u) => u.host)).toEqual([
      'quickbooks.api.intuit.com',
      'quickbooks.api.intuit.com',
      'sandbox-quickbooks.api.intuit.com',
    ]);
    expect(transport.urls()[2]?.pathname).toBe(`/v3/company/${REALM}/companyinfo/${REALM}`);
  });

  it('picks production first when it answers', async () => {
    const transport = hostAnswering({ 'quickbooks.api.intuit.com': () => jsonResponse(200, companyInfo) });
    expect(await probeEnvironment({ platform: INTUIT_PLATFORM, transport, realmId: REALM, accessToken: 'at' })).toEqual({
      ok: true,
      value: 'production',
    });
    expect(transport.requests).toHaveLength(1);
  });

  it('both refusing is a typed error carrying both answers', async () => {
    const transport = hostAnswering({
      'quickbooks.api.intuit.com': () => jsonResponse(403, fault('3100', 'AuthorizationFailed')),
      'sandbox-quickbooks.api.intuit.com': () => jsonResponse(401, fault('3200', 'AuthenticationFailed')),
    });
    const result = await probeEnvironment({ platform: INTUIT_PLATFORM, transport, realmId: REALM, accessToken: 'at' });
    expect(result).toMatchObject({ ok: false, error: { code: 'qbo_environment_unknown' } });
    expect(result.ok ? '' : result.error.detail).toMatch(/qbo_forbidden \(403\).*qbo_auth_failed \(401\)/);
  });

  it('an outage is reported as retryable rather than guessed around', async () => {
    const transport = hostAnswering({
      'quickbooks.api.intuit.com': () => jsonResponse(503, {}),
      'sandbox-quickbooks.api.intuit.com': () => jsonResponse(401, fault('3200', 'AuthenticationFailed')),
    });
    const result = await probeEnvironment({ platform: INTUIT_PLATFORM, transport, realmId: REALM, accessToken: 'at' });
    expect(result).toMatchObject({ ok: false, error: { code: 'qbo_service_unavailable' } });
  });
});
