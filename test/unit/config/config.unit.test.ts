import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/config.js';

describe('parseConfig', () => {
  it('runs embedded with no configuration: SQLite under ./data, the emulator, demo data', () => {
    const config = parseConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.sqlitePath).toMatch(/data\/workroom\.sqlite$/);
    expect(config.intuit).toBeUndefined();
    expect(config.demoData).toBe(true);
  });

  it('uses real Intuit only when all three credentials are set', () => {
    const config = parseConfig({
      QBO_CLIENT_ID: 'id',
      QBO_CLIENT_SECRET: 'secret',
      QBO_REDIRECT_URI: 'https://studio.example/api/qbo/callback',
    });
    expect(config.intuit).toEqual({
      clientId: 'id',
      clientSecret: 'secret',
      redirectUri: 'https://studio.example/api/qbo/callback',
    });
    expect(() => parseConfig({ QBO_CLIENT_ID: 'id' })).toThrow(/must be set together/);
  });

  it('lists every bad variable at once', () => {
    try {
      parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/DATABASE_URL: must be a postgres/);
      expect(problems).toMatch(/LOG_LEVEL/);
    }
  });
});
