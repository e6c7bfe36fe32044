import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { QBO_LOG_REDACT, redactUrl } from '../../../src/qbo/client/index.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ redact: QBO_LOG_REDACT }, stream), text: () => lines.join('') };
}

describe('log redaction', () => {
  it('keeps tokens, Authorization headers, codes and client secrets out of logs', () => {
    const { logger, text } = capture();
    logger.info({ headers: { Authorization: 'Bearer at-SECRET-1' } }, 'request');
    logger.info({ access_token: 'at-SECRET-2', refresh_token: 'rt-SECRET-3', expires_in: 3600 }, 'grant');
    logger.info({ tokens: { accessToken: 'at-SECRET-4', refreshToken: 'rt-SECRET-5' } }, 'row');
    logger.info({ req: { headers: { authorization: 'Basic SECRET-6' }, query: { code: 'SECRET-7', state: 'SECRET-8' } } }, 'callback');
    logger.info({ config: { oauth: { client_secret: 'SECRET-9', clientSecret: 'SECRET-10' } } }, 'config');
    const out = text();
    expect(out).not.toMatch(/SECRET/);
    expect(out).toContain('[redacted]');
    expect(out).toContain('"expires_in":3600');
  });

  it('blanks secret query parameters in URLs', () => {
    expect(redactUrl('/qbo/callback?code=abc&state=xyz&realmId=123')).toBe('/qbo/callback?code=%5Bredacted%5D&state=%5Bredacted%5D&realmId=123');
    expect(redactUrl('https://x.test/a?token=t&ok=1')).toBe('https://x.test/a?token=%5Bredacted%5D&ok=1');
  });
});
