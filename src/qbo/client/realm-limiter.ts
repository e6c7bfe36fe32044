/** Batch requests have their own, lower per-minute cap on top of the general one. */
export type LimitKind = 'request' | 'batch';

export type Release = () => void;

/**
 * Admission control per realm. Callers wait rather than fail: we respect QBO's limits instead of hitting
 * them. A cross-process implementation (e.g. backed by the database) only has to honour this contract.
 */
export interface RealmLimiter {
  acquire(realmId: string, kind: LimitKind): Promise<Release>;
}

export interface RealmLimits {
  readonly maxInFlight: number;
  readonly maxPerWindow: number;
  readonly maxBatchesPerWindow: number;
  readonly windowMs: number;
}

// https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features#limits-and-throttles
export const QBO_REALM_LIMITS: RealmLimits = Object.freeze({
  maxInFlight: 10,
  maxPerWindow: 500,
  maxBatchesPerWindow: 40,
  windowMs: 60_000,
});

export interface LimiterClock {
  now(): number;
  setTimer(callback: () => void, ms: number): () => void;
}

export const systemLimiterClock: LimiterClock = {
  now: () => Date.now(),
  setTimer(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return () => clearTimeout(handle);
  },
};

interface Waiter {
  readonly kind: LimitKind;
  readonly grant: (release: Release) => void;
}

interface RealmState {
  inFlight: number;
  starts: number[];
  batchStarts: number[];
  readonly queue: Waiter[];
  cancelTimer: (() => void) | undefined;
}

/** In-process limiter: a concurrency cap plus a rolling window of start times, FIFO per realm. */
export class InProcessRealmLimiter implements RealmLimiter {
  readonly #limits: RealmLimits;
  readonly #clock: LimiterClock;
  readonly #realms = new Map<string, RealmState>();

  constructor(limits: Partial<RealmLimits> = {}, clock: LimiterClock = systemLimiterClock) {
    this.#limits = Object.freeze({ ...QBO_REALM_LIMITS, ...limits });
    this.#clock = clock;
  }

  acquire(realmId: string, kind: LimitKind): Promise<Release> {
    return new Promise((resolve) => {
      this.#state(realmId).queue.push({ kind, grant: resolve });
      this.#pump(realmId);
    });
  }

  /** For health views and tests: what the limiter is holding right now. */
  snapshot(realmId: string): { inFlight: number; inWindow: number; queued: number } {
    const state = this.#realms.get(realmId);
    if (state === undefined) return { inFlight: 0, inWindow: 0, queued: 0 };
    this.#prune(state);
    return { inFlight: state.inFlight, inWindow: state.starts.length, queued: state.queue.length };
  }

  #state(realmId: string): RealmState {
    let state = this.#realms.get(realmId);
    if (state === undefined) {
      state = { inFlight: 0, starts: [], batchStarts: [], queue: [], cancelTimer: undefined };
      this.#realms.set(realmId, state);
    }
    return state;
  }

  #prune(state: RealmState): void {
    const horizon = this.#clock.now() - this.#limits.windowMs;
    state.starts = state.starts.filter((t) => t > horizon);
    state.batchStarts = state.batchStarts.filter((t) => t > horizon);
  }

  #pump(realmId: string): void {
    const state = this.#realms.get(realmId);
    if (state === undefined) return;
    this.#prune(state);
    const limits = this.#limits;
    for (let head = state.queue[0]; head !== undefined; head = state.queue[0]) {
      if (state.inFlight >= limits.maxInFlight) return;
      const windowFull =
        state.starts.length >= limits.maxPerWindow ||
        (head.kind === 'batch' && state.batchStarts.length >= limits.maxBatchesPerWindow);
      if (windowFull) {
        this.#wakeWhenWindowMoves(realmId, state, head.kind);
        return;
      }
      state.queue.shift();
      const now = this.#clock.now();
      state.inFlight += 1;
      state.starts.push(now);
      if (head.kind === 'batch') state.batchStarts.push(now);
      head.grant(this.#releaseFor(realmId, state));
    }
    if (state.inFlight === 0 && state.starts.length === 0 && state.cancelTimer === undefined) {
      this.#realms.delete(realmId);
    }
  }

  #wakeWhenWindowMoves(realmId: string, state: RealmState, kind: LimitKind): void {
    if (state.cancelTimer !== undefined) return;
    const general = state.starts.length >= this.#limits.maxPerWindow ? state.starts[0] : undefined;
    const batch = kind === 'batch' && state.batchStarts.length >= this.#limits.maxBatchesPerWindow ? state.batchStarts[0] : undefined;
    const oldest = Math.max(general ?? 0, batch ?? 0);
    const waitMs = Math.max(1, oldest + this.#limits.windowMs - this.#clock.now() + 1);
    state.cancelTimer = this.#clock.setTimer(() => {
      state.cancelTimer = undefined;
      this.#pump(realmId);
    }, waitMs);
  }

  #releaseFor(realmId: string, state: RealmState): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      state.inFlight -= 1;
      this.#pump(realmId);
    };
  }
}
