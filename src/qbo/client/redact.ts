/**
 * pino `redact.paths` that keep OAuth secrets out of logs wherever they sit in a logged object:
 * request headers, token responses, decrypted token rows, callback query strings and client config.
 */
const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'access_token',
  'refresh_token',
  'id_token',
  'accessToken',
  'refreshToken',
  'idToken',
  'code',
  'client_secret',
  'clientSecret',
  'secretKey',
] as const;

export const QBO_LOG_REDACT_PATHS: readonly string[] = Object.freeze([
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_KEYS.map((key) => `*.*.${key}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.query.code',
  'req.query.state',
  'res.headers["set-cookie"]',
]);

export const QBO_LOG_REDACT = Object.freeze({ paths: [...QBO_LOG_REDACT_PATHS], censor: '[redacted]' });

const SECRET_QUERY_PARAMS = new Set(['code', 'state', 'access_token', 'refresh_token', 'token', 'client_secret']);

/** For logging a URL such as the OAuth callback: the secret query parameters are blanked. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://redacted.invalid');
  } catch {
    return '[unparseable url]';
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_QUERY_PARAMS.has(key)) parsed.searchParams.set(key, '[redacted]');
  }
  return url.startsWith('/') ? `${parsed.pathname}${parsed.search}` : parsed.toString();
}
