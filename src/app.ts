import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { AppConfig } from './config.js';
import type { Database, DialectName } from './db/index.js';
import { createQboConnectionService, qboPlatformFor } from './qbo/connection/setup.js';
import type { QboConnectionService } from './qbo/connection/connection-service.js';
import { buildApp } from './server/index.js';
import { qboConnectionRoutes } from './server/routes/qbo/index.js';
import { QboMappingService } from './qbo/sync/mapping-service.js';
import { qboMappingRoutes } from './server/routes/qbo-mapping/index.js';
import { qboReportRoutes } from './server/routes/qbo-reports/index.js';
import type { Worker } from './qbo/sync/worker.js';
import { qboPushRoutes } from './server/routes/qbo-push/index.js';
import { ProgressSignals } from './qbo/sync/progress.js';
import { createSharedRealmLimiter } from './qbo/sync/realm-gate.js';
import { createProductWorker, WORKER_CLIENT_RETRY } from './qbo/sync/run-worker.js';
import { SyncCenter } from './qbo/sync/sync-center.js';
import { syncCenterRoutes } from './server/routes/sync-center/index.js';
import { DriftService } from './qbo/sync/drift-service.js';
import { PartyLinkService } from './qbo/sync/month-end-links.js';
import { qboDriftRoutes } from './server/routes/qbo-drift/index.js';
import { qboLinkRoutes } from './server/routes/qbo-links/index.js';

export interface ProductOptions {
  db: Kysely<Database>;
  dialect: DialectName;
  config: AppConfig;
  staticRoot?: string | undefined;
  logger?: FastifyBaseLogger | false;
}

export interface Product {
  app: FastifyInstance;
  qbo: QboConnectionService;
  /** This process's push worker: the push route runs a waited-on job on it; serve.ts starts its polling loop. */
  worker: Worker;
}

/**
 * The whole product in one process: the Workroom core plus every QuickBooks surface, sharing one
 * connection service (it owns the in-process half of single-flight refresh and the realm limiter).
 */
export async function buildProduct(options: ProductOptions): Promise<Product> {
  // Every process (this server, `workroom-qbo worker`s) takes turns per realm through the database.
  const limiter = createSharedRealmLimiter({ db: options.db, dialect: options.dialect });
  const qbo = await createQboConnectionService({
    config: options.config,
    db: options.db,
    dialect: options.dialect,
    limiter,
    clientRetryPolicy: WORKER_CLIENT_RETRY,
  });
  const signals = new ProgressSignals();
  const worker = createProductWorker({ db: options.db, dialect: options.dialect, qbo, signals, limiter });
  const app = await buildApp({
    db: options.db,
    dialect: options.dialect,
    config: options.config,
    staticRoot: options.staticRoot,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    extend: async (instance, deps) => {
      await instance.register(qboConnectionRoutes, { service: qbo, db: deps.db });
      await instance.register(qboMappingRoutes, { service: new QboMappingService({ db: deps.db, connections: qbo }) });
      await instance.register(qboReportRoutes, { connections: qbo, platform: qboPlatformFor(options.config).platform });
      await instance.register(qboPushRoutes, { service: qbo, worker, db: deps.db });
      await instance.register(syncCenterRoutes, {
        center: new SyncCenter({ db: deps.db, qbo, platform: qboPlatformFor(options.config).platform, wake: () => worker.wake() }),
        signals,
      });
      await instance.register(qboLinkRoutes, { links: new PartyLinkService({ db: deps.db, qbo }) });
      await instance.register(qboDriftRoutes, { drift: new DriftService({ db: deps.db, qbo, worker }) });
    },
  });
  return { app, qbo, worker };
}
