import { QboError } from './errors.js';

export interface RetryPolicy {
  /** Total attempts including the first. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No retry is started if its wait would end beyond this budget, counted from the first attempt. */
  readonly maxElapsedMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxElapsedMs: 120_000,
});

export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

export const systemRetryClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** Full jitter (AWS architecture blog), but never sooner than the server's Retry-After. */
export function retryDelayMs(
  failedAttempt: number,
  policy: RetryPolicy,
  random: number,
  retryAfterMs: number | undefined,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  const jitter = Math.floor(random * ceiling);
  if (retryAfterMs === undefined) return jitter;
  return retryAfterMs + Math.floor(random * policy.baseDelayMs);
}

export interface RetryOptions {
  readonly policy: RetryPolicy;
  readonly clock: RetryClock;
  /**
   * False for a write that carries no requestid: QBO might have applied it before the failure, and only
   * a requestid makes a second send safe.
   */
  readonly idempotent: boolean;
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: QboError }) => void;
}

/** Runs `operation`, retrying transient QboErrors (429, 5xx, timeout, network) within the policy. */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, clock } = options;
  const startedAt = clock.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (err) {
      if (!(err instanceof QboError) || !err.retryable || !options.idempotent || attempt >= policy.maxAttempts) {
        throw err;
      }
      const delayMs = retryDelayMs(attempt, policy, clock.random(), err.retryAfterMs);
      if (clock.now() - startedAt + delayMs > policy.maxElapsedMs) throw err;
      options.onRetry?.({ attempt, delayMs, error: err });
      await clock.sleep(delayMs);
    }
  }
}
