import type { Clock } from '../clock.js';

/**
 * Intuit's per-realm throttles ("API call limits and throttles"): 500 requests per minute, batch requests
 * included; 40 batch requests per minute; at most 10 requests in flight (2016 blog "concurrent API use").
 * Windows slide over the injected clock so tests can step time instead of waiting.
 */
export interface LimitOptions {
  enabled: boolean;
  perMinute: number;
  concurrent: number;
  batchPerMinute: number;
  batchMaxItems: number;
}

export const DEFAULT_LIMITS: LimitOptions = Object.freeze({
  enabled: true,
  perMinute: 500,
  concurrent: 10,
  batchPerMinute: 40,
  batchMaxItems: 30,
});

const WINDOW_MS = 60_000;

export type Admission = { ok: true; release: () => void } | { ok: false; retryAfterSeconds: number; reason: 'rate' | 'concurrency' | 'batch_rate' };

interface RealmWindow {
  calls: number[];
  batches: number[];
  inFlight: number;
}

export class RealmLimiter {
  readonly #windows = new Map<string, RealmWindow>();

  constructor(
    private readonly clock: Clock,
    private readonly options: () => LimitOptions,
  ) {}

  admit(realmId: string, isBatch: boolean): Admission {
    const opts = this.options();
    const w = this.#window(realmId);
    const now = this.clock.now();
    w.calls = w.calls.filter((t) => t > now - WINDOW_MS);
    w.batches = w.batches.filter((t) => t > now - WINDOW_MS);
    if (opts.enabled) {
      if (w.inFlight >= opts.concurrent) return { ok: false, retryAfterSeconds: 1, reason: 'concurrency' };
      if (w.calls.length >= opts.perMinute) return { ok: false, retryAfterSeconds: retryAfter(w.calls, now), reason: 'rate' };
      if (isBatch && w.batches.length >= opts.batchPerMinute) {
        return { ok: false, retryAfterSeconds: retryAfter(w.batches, now), reason: 'batch_rate' };
      }
    }
    w.calls.push(now);
    if (isBatch) w.batches.push(now);
    w.inFlight += 1;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        w.inFlight -= 1;
      },
    };
  }

  reset(): void {
    this.#windows.clear();
  }

  #window(realmId: string): RealmWindow {
    let w = this.#windows.get(realmId);
    if (!w) {
      w = { calls: [], batches: [], inFlight: 0 };
      this.#windows.set(realmId, w);
    }
    return w;
  }
}

function retryAfter(times: number[], now: number): number {
  const oldest = times[0] ?? now;
  return Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
}
