import { describe, expect, it } from 'vitest';
import { nextRetryDelay, type RetryPolicy } from '../../../src/qbo/sync/backoff.js';

const policy: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 30_000, maxAttempts: 5, maxElapsedMs: 120_000 };
const always = (r: number) => () => r;

describe('nextRetryDelay', () => {
  it('doubles the ceiling with each attempt and caps it', () => {
    expect([1, 2, 3, 4].map((attempts) => nextRetryDelay(policy, { attempts, elapsedMs: 0 }, always(1)))).toEqual([1_000, 2_000, 4_000, 8_000]);
    const capped = nextRetryDelay({ ...policy, maxAttempts: 50, maxElapsedMs: 10 ** 9 }, { attempts: 20, elapsedMs: 0 }, always(1));
    expect(capped).toBe(30_000);
  });

  it('jitters across the whole window', () => {
    expect(nextRetryDelay(policy, { attempts: 3, elapsedMs: 0 }, always(0))).toBe(0);
    expect(nextRetryDelay(policy, { attempts: 3, elapsedMs: 0 }, always(0.5))).toBe(2_000);
  });

  it("never retries sooner than QBO's Retry-After", () => {
    expect(nextRetryDelay(policy, { attempts: 1, elapsedMs: 0, retryAfterMs: 60_000 }, always(0.1))).toBe(60_000);
  });

  it('gives up after the attempt limit or the time budget', () => {
    expect(nextRetryDelay(policy, { attempts: 5, elapsedMs: 0 }, always(0.5))).toBeUndefined();
    expect(nextRetryDelay(policy, { attempts: 2, elapsedMs: 119_500 }, always(0.5))).toBeUndefined();
    expect(nextRetryDelay(policy, { attempts: 2, elapsedMs: 118_000 }, always(0.5))).toBe(1_000);
  });
});
