import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { EMULATOR_CLIENT_ID } from '../../../src/emulator/index.js';
import { INTUIT_PLATFORM } from '../../../src/qbo/client/index.js';
import { QBO_CALLBACK_PATH, qboPlatformFor } from '../../../src/qbo/connection/setup.js';

describe('qboPlatformFor', () => {
  it('connects to the local emulator by default, with its dev app and our own callback', () => {
    const { platform, credentials } = qboPlatformFor(parseConfig({ PORT: '3100', PUBLIC_URL: 'https://studio.example/' }));
    expect(platform.name).toBe('emulator');
    expect(platform.oauth.authorizeUrl).toBe('http://127.0.0.1:4010/connect/oauth2');
    expect(platform.environments.sandbox.apiBaseUrl).toBe('http://127.0.0.1:4010/sandbox-quickbooks');
    expect(credentials).toMatchObject({ clientId: EMULATOR_CLIENT_ID, redirectUri: `https://studio.example${QBO_CALLBACK_PATH}` });
  });

  it('follows QBO_EMULATOR_URL to an emulator elsewhere', () => {
    const { platform } = qboPlatformFor(parseConfig({ QBO_EMULATOR_URL: 'http://emulator.internal:9000' }));
    expect(platform.oauth.tokenUrl).toBe('http://emulator.internal:9000/oauth2/v1/tokens/bearer');
  });

  it('connects to real Intuit once its three credentials are set', () => {
    const { platform, credentials } = qboPlatformFor(
      parseConfig({ QBO_CLIENT_ID: 'ABcd', QBO_CLIENT_SECRET: 's3cret', QBO_REDIRECT_URI: 'https://studio.example/api/qbo/callback' }),
    );
    expect(platform).toBe(INTUIT_PLATFORM);
    expect(platform.oauth.authorizeUrl).toBe('https://appcenter.intuit.com/connect/oauth2');
    expect(credentials).toEqual({ clientId: 'ABcd', clientSecret: 's3cret', redirectUri: 'https://studio.example/api/qbo/callback' });
  });
});
