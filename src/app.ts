import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { AppConfig } from './config.js';
import type { Database, DialectName } from './db/index.js';
import { createQboConnectionService } from './qbo/connection/setup.js';
import type { QboConnectionService } from './qbo/connection/connection-service.js';
import { buildApp } from './server/index.js';
import { qboConnectionRoutes } from './server/routes/qbo/index.js';

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
}

/**
 * The whole product in one process: the Workroom core plus every QuickBooks surface, sharing one
 * connection service (it owns the in-process half of single-flight refresh and the realm limiter).
 */
export async function buildProduct(options: ProductOptions): Promise<Product> {
  const qbo = await createQboConnectionService({ config: options.config, db: options.db, dialect: options.dialect });
  const app = await buildApp({
    db: options.db,
    dialect: options.dialect,
    config: options.config,
    staticRoot: options.staticRoot,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    extend: async (instance, deps) => {
      await instance.register(qboConnectionRoutes, { service: qbo, db: deps.db });
    },
  });
  return { app, qbo };
}
