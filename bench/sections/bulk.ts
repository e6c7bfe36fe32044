import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/index.js';
import type { QboConnectionService } from '../../src/qbo/connection/connection-service.js';
import { idealRun, QBO_PUSH_LIMITS, steadyCeiling, type IdealRun, type ServiceTimes, type SteadyCeiling } from '../lib/ceiling.js';
import { connectRealm } from '../lib/connect.js';
import { criticalPath, type CriticalPath } from '../lib/critical-path.js';
import type { BenchEmulator } from '../lib/emulator-process.js';
import { statsDelta, type RealmDelta } from '../lib/emulator-stats.js';
import { waitForRuns, type RunOutcome } from '../lib/runs.js';
import { perMinute } from '../lib/stats.js';
import { addFinalInvoices, createStudio, logIn, mapUsCompany, type Studio } from '../lib/studio.js';

/** A studio connected to its own realm, mapped, with a logged-in owner's cookie for the Sync Center API. */
export interface ConnectedStudio {
  readonly studio: Studio;
  readonly realmId: string;
  readonly cookie: string;
}

export async function connectedStudio(
  db: Kysely<Database>,
  qbo: QboConnectionService,
  name: string,
  realmId: string,
  clients: number,
): Promise<ConnectedStudio> {
  return connectStudio(db, qbo, await createStudio(db, name, { clients }), realmId);
}

/** Settings → Apps → Connect (as the owner), then the account and tax mapping. */
export async function connectStudio(db: Kysely<Database>, qbo: QboConnectionService, studio: Studio, realmId: string): Promise<ConnectedStudio> {
  const owner = studio.users[0];
  if (owner === undefined) throw new Error('studio without users');
  const { cookie, session } = await logIn(db, studio, owner);
  await connectRealm(qbo, session, realmId);
  await mapUsCompany(db, studio, realmId);
  return { studio, realmId, cookie };
}

/** Clicks "Push all approved" through the product's API, as the Sync Center page does. */
export async function clickPushAllApproved(baseUrl: string, cookie: string): Promise<{ runId: string | null; total: number }> {
  const res = await fetch(`${baseUrl}/api/sync-center/push-all-approved`, { method: 'POST', headers: { cookie, origin: baseUrl } });
  const body = (await res.json()) as { runId?: string | null; total?: number; message?: string };
  if (!res.ok) throw new Error(`push-all-approved answered ${res.status}: ${body.message ?? JSON.stringify(body)}`);
  return { runId: body.runId ?? null, total: body.total ?? 0 };
}

export interface BulkRun {
  readonly docs: number;
  /** Click → last job settled. */
  readonly wallMs: number;
  /** The click's own answer time: finding and queueing the documents. */
  readonly enqueueMs: number;
  readonly docsPerMinute: number;
  readonly calls: RealmDelta;
  readonly httpCallsPerDoc: number;
  readonly operationsPerDoc: number;
  readonly throttled: number;
  readonly outcome: RunOutcome;
  readonly serviceTimes: ServiceTimes;
  readonly ideal: IdealRun;
  readonly idealBatchOnly: IdealRun;
  readonly steady: SteadyCeiling;
  /** Ideal wall time ÷ actual: 1.0 means as fast as QBO's limits let anyone push these documents. */
  readonly ratio: number;
  /** Our work against our waiting on QBO; undefined when the push sent nothing. */
  readonly path: CriticalPath | undefined;
}

/** One bulk push of every approved invoice of `target`, measured from the click to the last settled job. */
export async function measureBulkPush(input: {
  db: Kysely<Database>;
  emulator: BenchEmulator;
  baseUrl: string;
  target: ConnectedStudio;
  latencyMs: number;
  timeoutMs: number;
}): Promise<BulkRun> {
  const { db, emulator, target } = input;
  const before = await emulator.stats();
  // Epoch ms with the fraction, comparable with the emulator's call times (same system clock).
  const t0 = performance.now();
  const clickedAt = performance.timeOrigin + t0;
  const run = await clickPushAllApproved(input.baseUrl, target.cookie);
  const enqueueMs = performance.now() - t0;
  if (run.runId === null) throw new Error('nothing to push');
  const outcome = await waitForRuns(db, [run.runId], input.timeoutMs);
  if (outcome.pending > 0) throw new Error(`bulk push of ${run.total} did not finish within ${input.timeoutMs} ms (${outcome.pending} pending)`);
  const finishedAt = outcome.lastFinishedAt ?? Date.now();
  const wallMs = finishedAt - clickedAt;
  const calls = statsDelta(before, await emulator.stats(), [target.realmId]);
  const path = criticalPath(clickedAt, finishedAt, await emulator.calls(target.realmId, clickedAt));
  const docs = run.total;
  const serviceTimes: ServiceTimes = {
    batchMs: calls.batchRequests > 0 ? calls.batchMsTotal / calls.batchRequests : input.latencyMs,
    singleMs: calls.singleRequests > 0 ? calls.singleMsTotal / calls.singleRequests : input.latencyMs,
  };
  const ideal = idealRun(docs, QBO_PUSH_LIMITS, serviceTimes);
  return {
    docs,
    wallMs,
    enqueueMs,
    docsPerMinute: perMinute(docs, wallMs),
    calls,
    httpCallsPerDoc: calls.requests / docs,
    operationsPerDoc: calls.operations / docs,
    throttled: calls.throttled,
    outcome,
    serviceTimes,
    ideal,
    idealBatchOnly: idealRun(docs, QBO_PUSH_LIMITS, serviceTimes, false),
    steady: steadyCeiling(QBO_PUSH_LIMITS, serviceTimes),
    ratio: ideal.wallMs / wallMs,
    path,
  };
}

/** First push of a studio: one invoice per client, so its customers and service item exist afterwards. */
export async function warmUp(input: {
  db: Kysely<Database>;
  emulator: BenchEmulator;
  baseUrl: string;
  target: ConnectedStudio;
  latencyMs: number;
}): Promise<BulkRun> {
  await addFinalInvoices(input.db, input.target.studio, input.target.studio.clientIds.length, 3);
  return measureBulkPush({ ...input, timeoutMs: 300_000 });
}

/**
 * A server that has been running has its push path compiled; a fresh process's first pushes run much of it
 * unoptimised. So before section 1 measures anything, the server pushes `docs` invoices for a studio on a realm of
 * its own (its first push, then the rest in one run), and none of it is reported. `--warm-docs 0` skips it.
 */
export async function warmServer(input: {
  db: Kysely<Database>;
  emulator: BenchEmulator;
  baseUrl: string;
  qbo: QboConnectionService;
  realmId: string;
  clients: number;
  docs: number;
  latencyMs: number;
}): Promise<void> {
  const target = await connectedStudio(input.db, input.qbo, 'Warm-up Studio', input.realmId, input.clients);
  await warmUp({ ...input, target });
  await addFinalInvoices(input.db, target.studio, input.docs, 3, 4);
  await measureBulkPush({ ...input, target, timeoutMs: 300_000 });
}
