import { describe, expect, it } from 'vitest';
import { emulatorPlatform, INTUIT_PLATFORM, parseRealmId, qboRecordUrl } from '../../../src/qbo/client/index.js';

describe('environments', () => {
  it('validates realm ids as 10-19 digits', () => {
    expect(parseRealmId('9130357921644326')).toBe('9130357921644326');
    for (const bad of ['123456789', '12345678901234567890', '12345678a0', '../1234567890', '']) {
      expect(() => parseRealmId(bad)).toThrow();
    }
  });

  it('describes Intuit as data', () => {
    expect(INTUIT_PLATFORM.environments.production.apiBaseUrl).toBe('https://quickbooks.api.intuit.com');
    expect(INTUIT_PLATFORM.environments.sandbox.apiBaseUrl).toBe('https://sandbox-quickbooks.api.intuit.com');
    expect(INTUIT_PLATFORM.oauth.tokenUrl).toBe('https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer');
  });

  it('builds the same shape for the emulator from its base URL', () => {
    const platform = emulatorPlatform('http://127.0.0.1:4010/');
    expect(platform.oauth).toEqual({
      authorizeUrl: 'http://127.0.0.1:4010/connect/oauth2',
      tokenUrl: 'http://127.0.0.1:4010/oauth2/v1/tokens/bearer',
      revokeUrl: 'http://127.0.0.1:4010/v2/oauth2/tokens/revoke',
    });
    expect(platform.environments.production).toEqual({
      environment: 'production',
      apiBaseUrl: 'http://127.0.0.1:4010/quickbooks',
      appHost: 'http://127.0.0.1:4010/app',
    });
    expect(platform.environments.sandbox.apiBaseUrl).toBe('http://127.0.0.1:4010/sandbox-quickbooks');
    expect(Object.isFrozen(platform.environments.sandbox)).toBe(true);
    expect(() => emulatorPlatform('not a url')).toThrow();
  });

  it('deep-links to the environment’s own web app', () => {
    expect(qboRecordUrl(INTUIT_PLATFORM.environments.production, 'Invoice', '130')).toBe('https://app.qbo.intuit.com/app/invoice?txnId=130');
    expect(qboRecordUrl(INTUIT_PLATFORM.environments.sandbox, 'Customer', '58')).toBe(
      'https://app.sandbox.qbo.intuit.com/app/customerdetail?nameId=58',
    );
  });
});
