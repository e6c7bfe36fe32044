export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Transient faults stop being retried after this many attempts… */
  maxAttempts: number;
  /** …or once the job has been trying for this long, whichever comes first. */
  maxElapsedMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  maxAttempts: 8,
  maxElapsedMs: 60 * 60_000,
});

export interface RetryInput {
  /** Attempts already made, counting the one that just failed. */
  attempts: number;
  /** How long ago the job was first queued. */
  elapsedMs: number;
  /** QBO's Retry-After, when it sent one: never retry sooner than that. */
  retryAfterMs?: number | undefined;
}

/**
 * Exponential backoff with full jitter (spreads a 429 storm's retries instead of synchronising them),
 * floored by Retry-After. Returns undefined when the job should stop retrying and wait for the user.
 */
export function nextRetryDelay(policy: RetryPolicy, input: RetryInput, random: () => number = Math.random): number | undefined {
  if (input.attempts >= policy.maxAttempts) return undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, input.attempts - 1));
  const delay = Math.max(input.retryAfterMs ?? 0, Math.round(random() * ceiling));
  if (input.elapsedMs + delay > policy.maxElapsedMs) return undefined;
  return delay;
}
