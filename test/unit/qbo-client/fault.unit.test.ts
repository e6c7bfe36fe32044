import { describe, expect, it } from 'vitest';
import { parseOAuthError, parseQboFault, parseRetryAfter, type QboErrorCode, transportFailure } from '../../../src/qbo/client/index.js';
import { fault } from './fake-transport.js';

function meta(status: number, headers: Record<string, string> = {}) {
  return { status, headers: new Headers(headers) };
}

describe('parseQboFault', () => {
  const cases: [string, number, QboErrorCode][] = [
    ['5010', 400, 'qbo_stale_sync_token'],
    ['6240', 400, 'qbo_duplicate_name'],
    ['6140', 400, 'qbo_duplicate_doc_number'],
    ['610', 400, 'qbo_not_found'],
    ['2500', 400, 'qbo_invalid_reference'],
    ['2020', 400, 'qbo_required_param_missing'],
    ['6000', 400, 'qbo_business_validation'],
    ['2050', 400, 'qbo_validation'],
    ['3100', 403, 'qbo_forbidden'],
    ['3200', 401, 'qbo_auth_failed'],
    ['10000', 500, 'qbo_service_unavailable'],
    ['3001', 429, 'qbo_rate_limited'],
  ];
  it.each(cases)('QBO code %s with HTTP %i becomes %s', (qboCode, status, code) => {
    const error = parseQboFault(meta(status, { intuit_tid: 'tid-1' }), JSON.stringify(fault(qboCode, 'Msg', 'Det', 'DisplayName')));
    expect(error.code).toBe(code);
    expect(error.qboCode).toBe(qboCode);
    expect(error.message).toBe('Msg');
    expect(error.detail).toBe('Det');
    expect(error.element).toBe('DisplayName');
    expect(error.status).toBe(status);
    expect(error.intuitTid).toBe('tid-1');
  });

  it('keeps the Duplicate Name message verbatim', () => {
    const body = fault(
      '6240',
      'Duplicate Name Exists Error',
      'The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.',
    );
    const error = parseQboFault(meta(400), JSON.stringify(body));
    expect(error.syncCenterMessage).toMatch(/already uses this name/);
    expect(error.detail).toMatch(/^The name supplied already exists/);
    expect(error.retryable).toBe(false);
  });

  it("reads QBO's lower-case 401 body", () => {
    const body = {
      fault: {
        error: [{ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', detail: 'Token expired', code: '3200' }],
        type: 'AUTHENTICATION',
      },
    };
    const error = parseQboFault(meta(401), JSON.stringify(body));
    expect(error.code).toBe('qbo_auth_failed');
    expect(error.qboCode).toBe('3200');
    expect(error.detail).toBe('Token expired');
  });

  it('reads the plain-text throttle body and Retry-After seconds', () => {
    const error = parseQboFault(meta(429, { 'retry-after': '7' }), 'message=ThrottleExceeded; errorCode=003001; statusCode=429');
    expect(error.code).toBe('qbo_rate_limited');
    expect(error.qboCode).toBe('3001');
    expect(error.retryAfterMs).toBe(7000);
    expect(error.retryable).toBe(true);
  });

  it('names an empty 503 by its status', () => {
    const error = parseQboFault(meta(503), '');
    expect(error.code).toBe('qbo_service_unavailable');
    expect(error.message).toBe('QuickBooks answered HTTP 503');
  });
});

describe('parseOAuthError', () => {
  it('types invalid_grant', () => {
    const error = parseOAuthError(meta(400), JSON.stringify({ error: 'invalid_grant', error_description: 'Token invalid' }));
    expect(error.code).toBe('qbo_auth_invalid_grant');
    expect(error.qboCode).toBe('invalid_grant');
    expect(error.message).toBe('Token invalid');
  });

  it('types other OAuth refusals and server failures', () => {
    expect(parseOAuthError(meta(401), JSON.stringify({ error: 'invalid_client' })).code).toBe('qbo_oauth_failed');
    expect(parseOAuthError(meta(503), JSON.stringify({ error: 'server_error' })).code).toBe('qbo_service_unavailable');
    expect(parseOAuthError(meta(502), '<html>bad gateway</html>').code).toBe('qbo_service_unavailable');
  });
});

describe('transport failures and Retry-After', () => {
  it('tells timeouts from network failures and keeps the cause', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(transportFailure(timeout).code).toBe('qbo_timeout');
    const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    const error = transportFailure(refused);
    expect(error.code).toBe('qbo_network');
    expect(error.cause).toBe(refused);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('parses seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
