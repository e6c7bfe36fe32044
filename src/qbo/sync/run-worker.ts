import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { existsSync } from 'node:fs';
import { ConfigError, type AppConfig } from '../../config.js';
import { migrateToLatest, openDatabase, type Database, type DialectName } from '../../db/index.js';
import type { QboLogger, RealmLimits, RetryPolicy } from '../client/index.js';
import type { QboConnectionService } from '../connection/connection-service.js';
import { createQboConnectionService } from '../connection/setup.js';
import { keyFileNeeded } from '../connection/token-crypto.js';
import { BULK_BATCH_SIZE, createBatchPushProcessor } from './bulk-push.js';
import type { ProgressSignals } from './progress.js';
import { createPushProcessor } from './push-processor.js';
import { createSharedRealmLimiter, type SharedRealmLimiter } from './realm-gate.js';
import { createWorker, type Worker } from './worker.js';

/**
 * In-call retries of a client used by workers: short blips only. A longer wait (QBO's 60 s Retry-After) goes
 * back to the durable queue with the job, instead of holding a worker slot and a lease for a minute.
 */
export const WORKER_CLIENT_RETRY: Partial<RetryPolicy> = Object.freeze({ maxAttempts: 3, maxElapsedMs: 10_000 });

export function workerIdentity(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export interface ProductWorkerOptions {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly qbo: QboConnectionService;
  readonly workerId?: string;
  readonly signals?: ProgressSignals;
  readonly concurrency?: number;
  readonly leaseMs?: number;
  readonly pollMs?: number;
  readonly onError?: (err: unknown) => void;
  /** The process's realm limiter, so no new jobs are claimed for a company at its QBO budget. */
  readonly limiter?: SharedRealmLimiter;
}

/**
 * Units one product worker runs at once: QBO answers at most 10 requests in flight per company, so a 200-invoice
 * push (7 batches) goes out in one round instead of two; the realm gate still holds every process to 10 per realm.
 */
export const PRODUCT_WORKER_CONCURRENCY = 10;

/** The push worker as the product runs it: single pushes one by one, bulk work in batches of up to 30. */
export function createProductWorker(options: ProductWorkerOptions): Worker {
  const { db, dialect, qbo } = options;
  return createWorker({
    db,
    dialect,
    workerId: options.workerId ?? workerIdentity(),
    process: createPushProcessor({ db, dialect, qbo }),
    batch: { process: createBatchPushProcessor({ db, qbo }), size: BULK_BATCH_SIZE },
    concurrency: options.concurrency ?? PRODUCT_WORKER_CONCURRENCY,
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.signals ? { onSettled: (job) => options.signals?.notify(job.org_id) } : {}),
    ...(options.limiter ? { busyRealms: () => options.limiter?.busyRealms() ?? [] } : {}),
  });
}

export interface StandaloneWorkerOptions {
  readonly concurrency?: number;
  readonly leaseMs?: number;
  readonly pollMs?: number;
  /** Tests scale QBO's limits down; the product never sets this. */
  readonly limits?: Partial<RealmLimits>;
  readonly now?: () => number;
  readonly logger?: QboLogger;
  readonly log?: (message: string) => void;
}

/**
 * A worker never makes a key of its own: the server's tokens would not open with it, and every push would fail as
 * "needs reconnect" until someone noticed. It uses WORKROOM_SECRET_KEY or the key file the server already made.
 */
function requireServerKey(config: AppConfig): void {
  const keyFile = keyFileNeeded(config.dataDir, { WORKROOM_SECRET_KEY: config.secretKey });
  if (keyFile === null || existsSync(keyFile)) return;
  throw new ConfigError([
    `WORKROOM_SECRET_KEY is not set and there is no ${keyFile}: set WORKROOM_SECRET_KEY to the server's key, or DATA_DIR to the server's data folder (a worker never makes its own key)`,
  ]);
}

export interface StandaloneWorker {
  readonly worker: Worker;
  readonly qbo: QboConnectionService;
  stop(): Promise<void>;
}

/**
 * `workroom-qbo worker`: a process that only pushes. Any number of them can share one PostgreSQL database with
 * the server (SKIP LOCKED hands each job to one of them), and all of them together keep each realm within QBO's
 * limits through the realm gate in the database.
 */
export async function startStandaloneWorker(config: AppConfig, options: StandaloneWorkerOptions = {}): Promise<StandaloneWorker> {
  const log = options.log ?? ((message: string) => console.log(`[worker] ${message}`));
  requireServerKey(config);
  const handle = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  await migrateToLatest(handle.db);
  const workerId = workerIdentity();
  const limiter = createSharedRealmLimiter({
    db: handle.db,
    dialect: handle.dialect,
    holder: workerId,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const qbo = await createQboConnectionService({
    config,
    db: handle.db,
    dialect: handle.dialect,
    limiter,
    clientRetryPolicy: WORKER_CLIENT_RETRY,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const worker = createProductWorker({
    db: handle.db,
    dialect: handle.dialect,
    qbo,
    workerId,
    limiter,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    onError: (err) => log(`error: ${err instanceof Error ? err.message : String(err)}`),
  });
  worker.start();
  log(`${workerId} pushing from ${handle.dialect === 'postgres' ? 'PostgreSQL' : config.sqlitePath}`);
  let stopping: Promise<void> | undefined;
  return {
    worker,
    qbo,
    stop() {
      if (stopping === undefined) {
        log(`${workerId} stopping: finishing the pushes in hand`);
        stopping = worker
          .stop()
          .finally(() => handle.close())
          .then(() => log(`${workerId} stopped`));
      }
      return stopping;
    },
  };
}
