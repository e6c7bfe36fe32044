/**
 * A push worker in its own process, as `workroom-qbo worker` runs one, for the crash and multi-process tests.
 * Input: JSON in SYNC_WORKER_INPUT (harness.ts WorkerProcessInput). Prints `ready <workerId>` once polling;
 * with hangAfterDocumentWrite, prints `answered <path>` when QBO has answered a document write and then hangs
 * before that answer reaches the worker, so the parent can kill it between QBO's commit and ours.
 */
import { openDatabase } from '../../../src/db/index.js';
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET } from '../../../src/emulator/index.js';
import { emulatorPlatform, fetchTransport, InProcessRealmLimiter, type QboTransport } from '../../../src/qbo/client/index.js';
import { QboConnectionService } from '../../../src/qbo/connection/connection-service.js';
import { secretKey, TokenCipher } from '../../../src/qbo/connection/token-crypto.js';
import { BULK_BATCH_SIZE, createBatchPushProcessor } from '../../../src/qbo/sync/bulk-push.js';
import { createPushProcessor } from '../../../src/qbo/sync/push-processor.js';
import { createSharedRealmLimiter, DbRealmGate, LayeredRealmLimiter, type SharedRealmLimiter } from '../../../src/qbo/sync/realm-gate.js';
import { WORKER_CLIENT_RETRY, workerIdentity } from '../../../src/qbo/sync/run-worker.js';
import { createWorker } from '../../../src/qbo/sync/worker.js';
import { REDIRECT_URI } from '../qbo-connection/harness.js';
import { fastClockNow } from './fast-clock.js';
import type { WorkerProcessInput } from './harness.js';

const input = JSON.parse(process.env['SYNC_WORKER_INPUT'] ?? '') as WorkerProcessInput;
const handle = openDatabase({ ...input.database, pgPoolSize: 4 });
const workerId = workerIdentity();

const DOCUMENT_WRITE = /\/v3\/company\/\d+\/(invoice|estimate|purchaseorder|batch)\?/;
const base = fetchTransport();
const transport: QboTransport = {
  async send(req) {
    const response = await base.send(req);
    if (input.hangAfterDocumentWrite !== true || req.method !== 'POST' || !DOCUMENT_WRITE.test(req.url)) return response;
    await response.text();
    process.stdout.write(`answered ${new URL(req.url).pathname}\n`);
    return new Promise<Response>(() => undefined);
  },
};

const emulatorClock = input.gate?.clock;
const emulatorNow = emulatorClock ? (): number => fastClockNow(emulatorClock) : undefined;
let limiter: SharedRealmLimiter;
if (input.gate && emulatorNow) {
  const { limits } = input.gate;
  // The per-minute budget is kept by the shared gate alone here: its window runs on the emulator's clock.
  const gate = new DbRealmGate({
    db: handle.db,
    dialect: handle.dialect,
    holder: workerId,
    limits,
    now: emulatorNow,
    // Never sit out a full window here: the job goes back to the queue and the slot serves the other realm.
    maxWindowWaitMs: 0,
  });
  const layers = new LayeredRealmLimiter([new InProcessRealmLimiter({ maxInFlight: limits.maxInFlight, maxPerWindow: Number.MAX_SAFE_INTEGER }), gate]);
  limiter = { acquire: (realmId, kind) => layers.acquire(realmId, kind), busyRealms: () => gate.busyRealms() };
} else {
  limiter = createSharedRealmLimiter({ db: handle.db, dialect: handle.dialect, holder: workerId });
}

const qbo = new QboConnectionService({
  db: handle.db,
  dialect: handle.dialect,
  cipher: new TokenCipher({ current: secretKey(Buffer.from(input.keyHex, 'hex')), previous: [] }),
  platform: emulatorPlatform(input.baseUrl),
  credentials: { clientId: EMULATOR_CLIENT_ID, clientSecret: EMULATOR_CLIENT_SECRET, redirectUri: REDIRECT_URI },
  transport,
  limiter,
  clientRetryPolicy: WORKER_CLIENT_RETRY,
});
const worker = createWorker({
  db: handle.db,
  dialect: handle.dialect,
  workerId,
  process: createPushProcessor({ db: handle.db, dialect: handle.dialect, qbo }),
  ...(input.batch ? { batch: { process: createBatchPushProcessor({ db: handle.db, qbo }), size: BULK_BATCH_SIZE } } : {}),
  concurrency: input.concurrency,
  leaseMs: input.leaseMs,
  // Backoff and leases on the same clock as the window, so "wait for the minute" takes the emulator's minute.
  ...(emulatorNow ? { now: () => new Date(emulatorNow()) } : {}),
  pollMs: 50,
  busyRealms: () => limiter.busyRealms(),
  onError: (err) => process.stderr.write(`worker error: ${err instanceof Error ? err.stack : String(err)}\n`),
});
process.once('SIGTERM', () => {
  void worker
    .stop()
    .then(() => handle.close())
    .then(() => process.exit(0));
});
worker.start();
process.stdout.write(`ready ${workerId}\n`);
