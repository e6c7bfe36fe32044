import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, QboError, type QboErrorCode, retryDelayMs, withRetry } from '../../../src/qbo/client/index.js';
import { fakeRetryClock } from './fake-transport.js';

function failing(codes: (QboErrorCode | 'ok')[], retryAfterMs?: number) {
  let calls = 0;
  const op = () => {
    const code = codes[calls++];
    if (code === undefined || code === 'ok') return Promise.resolve('done');
    return Promise.reject(new QboError({ code, message: code, retryAfterMs }));
  };
  return { op, calls: () => calls };
}

describe('retryDelayMs', () => {
  it('uses full jitter under an exponentially growing cap', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelayMs(1, policy, 0.999, undefined)).toBe(99);
    expect(retryDelayMs(3, policy, 0.999, undefined)).toBe(399);
    expect(retryDelayMs(10, policy, 0.999, undefined)).toBe(999);
    expect(retryDelayMs(3, policy, 0, undefined)).toBe(0);
  });

  it('never waits less than Retry-After', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100 };
    expect(retryDelayMs(1, policy, 0, 5000)).toBe(5000);
    expect(retryDelayMs(1, policy, 0.5, 5000)).toBe(5050);
  });
});

describe('withRetry', () => {
  it('retries transient faults until success', async () => {
    const clock = fakeRetryClock();
    const { op, calls } = failing(['qbo_service_unavailable', 'qbo_timeout', 'qbo_network', 'ok']);
    await expect(withRetry(op, { policy: DEFAULT_RETRY_POLICY, clock, idempotent: true })).resolves.toBe('done');
    expect(calls()).toBe(4);
    expect(clock.sleeps).toHaveLength(3);
  });

  it('honours Retry-After on 429', async () => {
    const clock = fakeRetryClock(0);
    const { op } = failing(['qbo_rate_limited', 'ok'], 3000);
    await withRetry(op, { policy: DEFAULT_RETRY_POLICY, clock, idempotent: true });
    expect(clock.sleeps).toEqual([3000]);
  });

  it('never retries validation faults', async () => {
    const clock = fakeRetryClock();
    const { op, calls } = failing(['qbo_duplicate_name', 'ok']);
    await expect(withRetry(op, { policy: DEFAULT_RETRY_POLICY, clock, idempotent: true })).rejects.toMatchObject({
      code: 'qbo_duplicate_name',
    });
    expect(calls()).toBe(1);
  });

  it('does not resend a non-idempotent write (no requestid) even on a transient fault', async () => {
    const clock = fakeRetryClock();
    const { op, calls } = failing(['qbo_timeout', 'ok']);
    await expect(withRetry(op, { policy: DEFAULT_RETRY_POLICY, clock, idempotent: false })).rejects.toMatchObject({
      code: 'qbo_timeout',
    });
    expect(calls()).toBe(1);
  });

  it('stops at maxAttempts', async () => {
    const clock = fakeRetryClock();
    const { op, calls } = failing(Array<QboErrorCode>(10).fill('qbo_service_unavailable'));
    await expect(withRetry(op, { policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 }, clock, idempotent: true })).rejects.toBeInstanceOf(
      QboError,
    );
    expect(calls()).toBe(3);
  });

  it('stops when the next wait would exceed the total time budget', async () => {
    const clock = fakeRetryClock(0);
    const { op, calls } = failing(Array<QboErrorCode>(10).fill('qbo_rate_limited'), 40_000);
    const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 10, maxElapsedMs: 100_000 };
    await expect(withRetry(op, { policy, clock, idempotent: true })).rejects.toMatchObject({ code: 'qbo_rate_limited' });
    expect(clock.sleeps).toEqual([40_000, 40_000]);
    expect(calls()).toBe(3);
  });

  it('rethrows non-QBO errors (bugs) at once', async () => {
    const clock = fakeRetryClock();
    let calls = 0;
    const op = () => {
      calls += 1;
      return Promise.reject(new TypeError('bug'));
    };
    await expect(withRetry(op, { policy: DEFAULT_RETRY_POLICY, clock, idempotent: true })).rejects.toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });
});
