import type { CompanySettings, EmulatorStore, EntityName, QboRecord } from '../state/index.js';
import { DEFAULT_LIMITS, type LimitOptions, type RealmLimiter } from './limits.js';

/**
 * Test and demo levers that real QBO does not have: latency, injected failures, call counters, limits,
 * reset and unauthenticated inspection. The assembler exposes them under /_emulator (see control-routes.ts).
 */
export type InjectedFaultMode =
  /** 500 with QBO's SystemFault body. */
  | 'http500'
  /** 503 with the HTML page Intuit's load balancer serves. */
  | 'http503'
  /** 429 with the throttle body, as if the limit were hit. */
  | 'http429'
  /** Hang for hangMs, then drop the connection without answering. */
  | 'timeout'
  /** Commit the write, then answer 500: the client cannot know it succeeded. Only consumed by writes. */
  | 'commit_then_500'
  /** Commit the write, then drop the connection. Only consumed by writes. */
  | 'commit_then_drop';

export interface FaultPlan {
  mode: InjectedFaultMode;
  /** How many upcoming calls fail this way (default 1). */
  count?: number;
  /** For 'timeout': how long to hang before dropping (default 30 000 ms). */
  hangMs?: number;
}

export interface RealmCounters {
  total: number;
  byEndpoint: Record<string, number>;
  replays: number;
  replaysByRequestId: Record<string, number>;
  throttled: number;
  injectedFaults: number;
  unauthorized: number;
}

export interface ApiControl {
  /** Delay before every answer; per realm when realmId is given, else the default for all realms. */
  setLatency(ms: number, realmId?: string): void;
  injectFault(realmId: string, plan: FaultPlan): void;
  clearFaults(realmId?: string): void;
  setLimits(patch: Partial<LimitOptions>): LimitOptions;
  limits(): LimitOptions;
  counters(realmId?: string): Record<string, RealmCounters>;
  resetCounters(): void;
  /** Back to the seeded companies, default limits and latency; clears faults, counters, requestid memory. */
  reset(): void;
  listEntities(realmId: string, entity: EntityName): QboRecord[];
  getEntity(realmId: string, entity: EntityName, id: string): QboRecord | undefined;
  setCompanySettings(realmId: string, patch: Partial<CompanySettings>): CompanySettings;
}

interface PendingFault {
  mode: InjectedFaultMode;
  remaining: number;
  hangMs: number;
}

const WRITE_ONLY_MODES = new Set<InjectedFaultMode>(['commit_then_500', 'commit_then_drop']);

function emptyCounters(): RealmCounters {
  return { total: 0, byEndpoint: {}, replays: 0, replaysByRequestId: {}, throttled: 0, injectedFaults: 0, unauthorized: 0 };
}

/** Mutable state behind ApiControl, shared with the HTTP layer. */
export class ControlState implements ApiControl {
  #defaultLatencyMs: number;
  readonly #initialLatencyMs: number;
  readonly #initialLimits: LimitOptions;
  #latency = new Map<string, number>();
  #faults = new Map<string, PendingFault[]>();
  #counters = new Map<string, RealmCounters>();
  #limits: LimitOptions;
  readonly idempotency = new Map<string, Map<string, { status: number; body: unknown }>>();

  constructor(
    private readonly store: EmulatorStore,
    private readonly limiter: RealmLimiter,
    options: { latencyMs: number; limits: Partial<LimitOptions> },
  ) {
    this.#defaultLatencyMs = options.latencyMs;
    this.#initialLatencyMs = options.latencyMs;
    this.#initialLimits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#limits = { ...this.#initialLimits };
  }

  latencyFor(realmId: string): number {
    return this.#latency.get(realmId) ?? this.#defaultLatencyMs;
  }

  /** Takes the next planned fault for this call, if any applies to it. */
  takeFault(realmId: string, isWrite: boolean): PendingFault | undefined {
    const queue = this.#faults.get(realmId);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    if (WRITE_ONLY_MODES.has(head.mode) && !isWrite) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    this.count(realmId).injectedFaults += 1;
    return head;
  }

  count(realmId: string): RealmCounters {
    let c = this.#counters.get(realmId);
    if (!c) {
      c = emptyCounters();
      this.#counters.set(realmId, c);
    }
    return c;
  }

  setLatency(ms: number, realmId?: string): void {
    if (realmId === undefined) this.#defaultLatencyMs = ms;
    else this.#latency.set(realmId, ms);
  }

  injectFault(realmId: string, plan: FaultPlan): void {
    const queue = this.#faults.get(realmId) ?? [];
    queue.push({ mode: plan.mode, remaining: plan.count ?? 1, hangMs: plan.hangMs ?? 30_000 });
    this.#faults.set(realmId, queue);
  }

  clearFaults(realmId?: string): void {
    if (realmId === undefined) this.#faults.clear();
    else this.#faults.delete(realmId);
  }

  setLimits(patch: Partial<LimitOptions>): LimitOptions {
    this.#limits = { ...this.#limits, ...patch };
    return this.limits();
  }

  limits(): LimitOptions {
    return { ...this.#limits };
  }

  counters(realmId?: string): Record<string, RealmCounters> {
    const entries = [...this.#counters.entries()].filter(([id]) => realmId === undefined || id === realmId);
    return Object.fromEntries(entries.map(([id, c]) => [id, structuredClone(c)]));
  }

  resetCounters(): void {
    this.#counters.clear();
  }

  reset(): void {
    this.store.reset();
    this.#faults.clear();
    this.#counters.clear();
    this.#latency.clear();
    this.#defaultLatencyMs = this.#initialLatencyMs;
    this.#limits = { ...this.#initialLimits };
    this.idempotency.clear();
    this.limiter.reset();
  }

  listEntities(realmId: string, entity: EntityName): QboRecord[] {
    const realm = this.store.realm(realmId);
    return realm ? Object.values(realm.entities[entity]) : [];
  }

  getEntity(realmId: string, entity: EntityName, id: string): QboRecord | undefined {
    return this.store.realm(realmId)?.entities[entity][id];
  }

  setCompanySettings(realmId: string, patch: Partial<CompanySettings>): CompanySettings {
    const realm = this.store.realm(realmId);
    if (!realm) throw new Error(`unknown realm ${realmId}`);
    realm.settings = { ...realm.settings, ...patch };
    this.store.markChanged();
    return { ...realm.settings };
  }
}
