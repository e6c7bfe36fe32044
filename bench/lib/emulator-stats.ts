import type { CompanyFile } from '../../src/emulator/index.js';

/** Per realm, what the bench's emulator saw; cumulative since it started. */
export interface RealmStats {
  /** Answered requests (not throttled, not refused for auth). */
  requests: number;
  batchRequests: number;
  /** Operations carried inside those batch requests. */
  batchOps: number;
  singleRequests: number;
  /** 429 answers, whether from the limits or not. */
  throttled: number;
  batchMsTotal: number;
  singleMsTotal: number;
}

/** One answered request of a realm, in epoch milliseconds (with the fraction). */
export interface AnsweredCall {
  readonly arrivedAt: number;
  readonly answeredAt: number;
  readonly batch: boolean;
}

export interface EmulatorCounters {
  total: number;
  byEndpoint: Record<string, number>;
  throttled: number;
}

export interface EmulatorStats {
  realms: Record<string, RealmStats>;
  counters: Record<string, EmulatorCounters>;
}

const EMPTY: RealmStats = Object.freeze({
  requests: 0,
  batchRequests: 0,
  batchOps: 0,
  singleRequests: 0,
  throttled: 0,
  batchMsTotal: 0,
  singleMsTotal: 0,
});

/** Sandbox US company files with 19-digit realm ids, one per benchmarked organisation. */
export function benchCompanies(count: number): CompanyFile[] {
  return Array.from({ length: count }, (_, i) => ({
    realmId: `46208163652${String(i + 1).padStart(8, '0')}`,
    name: `Bench Studio ${i + 1}`,
    environment: 'sandbox' as const,
    country: 'US',
    homeCurrency: 'USD',
  }));
}

/** What happened on a set of realms between two snapshots. */
export interface RealmDelta extends RealmStats {
  /** Every request the emulator's own counters saw, per endpoint ("POST batch", "GET query"…). */
  byEndpoint: Record<string, number>;
  /** Requests plus the operations inside batches, minus the batch envelopes: QBO operations performed. */
  operations: number;
}

export function statsDelta(before: EmulatorStats, after: EmulatorStats, realmIds: readonly string[]): RealmDelta {
  const sum: RealmDelta = { ...EMPTY, byEndpoint: {}, operations: 0 };
  for (const realmId of realmIds) {
    const a = after.realms[realmId] ?? EMPTY;
    const b = before.realms[realmId] ?? EMPTY;
    for (const key of Object.keys(EMPTY) as (keyof RealmStats)[]) sum[key] += a[key] - b[key];
    const ca = after.counters[realmId]?.byEndpoint ?? {};
    const cb = before.counters[realmId]?.byEndpoint ?? {};
    for (const [endpoint, n] of Object.entries(ca)) {
      const d = n - (cb[endpoint] ?? 0);
      if (d !== 0) sum.byEndpoint[endpoint] = (sum.byEndpoint[endpoint] ?? 0) + d;
    }
  }
  sum.operations = sum.singleRequests + sum.batchOps;
  return sum;
}

/** Per-realm 429 counts from the emulator's own counters: the scale-out check that no realm was throttled. */
export function throttledByRealm(before: EmulatorStats, after: EmulatorStats, realmIds: readonly string[]): Map<string, number> {
  return new Map(realmIds.map((id) => [id, (after.counters[id]?.throttled ?? 0) - (before.counters[id]?.throttled ?? 0)]));
}
