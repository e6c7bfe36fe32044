import { parseConfig } from '../../src/config.js';
import { qboPlatformFor } from '../../src/qbo/connection/setup.js';
import { SyncCenter } from '../../src/qbo/sync/sync-center.js';
import type { BenchDatabase } from '../lib/database.js';
import type { BenchEmulator } from '../lib/emulator-process.js';
import { statsDelta, throttledByRealm, type EmulatorStats } from '../lib/emulator-stats.js';
import { spawnTs, type Child } from '../lib/processes.js';
import { connectionServiceFor, productEnv } from '../lib/product.js';
import { waitForRuns, type RunOutcome } from '../lib/runs.js';
import { perMinute } from '../lib/stats.js';
import { addFinalInvoices } from '../lib/studio.js';
import { connectedStudio, type ConnectedStudio } from './bulk.js';

export interface ScaleRun {
  readonly workers: number;
  readonly realms: number;
  readonly docs: number;
  readonly wallMs: number;
  readonly docsPerMinute: number;
  readonly operations: number;
  readonly httpRequests: number;
  readonly throttled: number;
  readonly realmsThrottled: number;
  readonly outcome: RunOutcome;
}

export interface ScaleOut {
  readonly runs: ScaleRun[];
  /** 429s per realm over the whole section (warm-up included). */
  readonly maxThrottledPerRealm: number;
  readonly warmUp: ScaleRun;
}

async function inBatches<T, R>(items: readonly T[], size: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => task(item, i + j)))));
  return out;
}

/** `count` `workroom-qbo worker` processes on the bench's PostgreSQL, each announced before it is used. */
async function startWorkers(env: Record<string, string>, count: number): Promise<Child[]> {
  const workers = Array.from({ length: count }, () => spawnTs('src/cli.ts', ['worker'], env));
  try {
    await Promise.all(workers.map((w) => w.waitForLine((line) => line.includes('pushing from'), 120_000)));
  } catch (err) {
    await Promise.all(workers.map((w) => w.stop()));
    throw err;
  }
  return workers;
}

/**
 * Many studios, each on its own realm, pushing at once to N worker processes that share the queue on PostgreSQL
 * (SKIP LOCKED) and every realm's limits (the realm gate in the database). Each studio's owner clicks
 * "Push all approved" (through the Sync Center service, so no API server adds its own worker); the clock runs
 * from the first click to the last settled job.
 */
export async function runScaleOut(input: {
  db: BenchDatabase;
  emulator: BenchEmulator;
  realmIds: readonly string[];
  perRealm: number;
  workerCounts: readonly number[];
  clients: number;
  secretKey: string;
  log: (message: string) => void;
}): Promise<ScaleOut> {
  const { db, emulator, realmIds } = input;
  const env = productEnv(db, emulator, input.secretKey);
  const qbo = await connectionServiceFor(db, env);
  const center = new SyncCenter({ db: db.db, qbo, platform: qboPlatformFor(parseConfig(env)).platform });
  input.log(`scale-out: connecting ${realmIds.length} studios`);
  const studios = await inBatches(realmIds, 5, (realmId, i) => connectedStudio(db.db, qbo, `Scale Studio ${i + 1}`, realmId, input.clients));
  const sectionStart = await emulator.stats();

  const pushAll = async (workers: number, perStudio: number): Promise<ScaleRun> => {
    await inBatches(studios, 10, (s) => addFinalInvoices(db.db, s.studio, perStudio, 3, 2));
    const children = await startWorkers(env, workers);
    try {
      const before = await emulator.stats();
      const clickedAt = Date.now();
      const runIds = await inBatches(studios, 10, async (s: ConnectedStudio) => {
        const result = await center.pushAllApproved(s.studio.org.id, s.studio.users[0]?.id ?? null);
        if (!result.ok) throw new Error(`push all approved for ${s.studio.org.name}: ${result.error.kind}`);
        return result.value.runId;
      });
      const ids = runIds.filter((id): id is string => id !== null);
      const outcome = await waitForRuns(db.db, ids, 600_000, 250);
      if (outcome.pending > 0) throw new Error(`scale-out with ${workers} worker(s): ${outcome.pending} jobs still pending after 10 minutes`);
      const after = await emulator.stats();
      return summarizeRun(workers, studios.length, outcome, clickedAt, before, after, realmIds);
    } finally {
      await Promise.all(children.map((c) => c.stop()));
    }
  };

  input.log('scale-out: first push of every studio (creates its customers and item)');
  const warmUp = await pushAll(1, input.clients);
  const runs: ScaleRun[] = [];
  for (const workers of input.workerCounts) {
    input.log(`scale-out: ${realmIds.length} realms × ${input.perRealm} invoices with ${workers} worker process(es)`);
    runs.push(await pushAll(workers, input.perRealm));
  }
  const throttled = throttledByRealm(sectionStart, await emulator.stats(), realmIds);
  return { runs, warmUp, maxThrottledPerRealm: Math.max(0, ...throttled.values()) };
}

function summarizeRun(
  workers: number,
  realms: number,
  outcome: RunOutcome,
  clickedAt: number,
  before: EmulatorStats,
  after: EmulatorStats,
  realmIds: readonly string[],
): ScaleRun {
  const calls = statsDelta(before, after, realmIds);
  const wallMs = (outcome.lastFinishedAt ?? Date.now()) - clickedAt;
  const perRealm = throttledByRealm(before, after, realmIds);
  return {
    workers,
    realms,
    docs: outcome.jobs,
    wallMs,
    docsPerMinute: perMinute(outcome.pushed, wallMs),
    operations: calls.operations,
    httpRequests: calls.requests,
    throttled: calls.throttled,
    realmsThrottled: [...perRealm.values()].filter((n) => n > 0).length,
    outcome,
  };
}
