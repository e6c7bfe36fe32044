import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { AppConfig } from '../config.js';
import type { Database, DialectName } from '../db/index.js';
import { registerAuth } from './auth/plugin.js';
import { registerErrorHandling, sendError } from './errors.js';
import { authRoutes } from './routes/auth.js';
import { categoryRoutes } from './routes/categories.js';
import { clientRoutes } from './routes/clients.js';
import type { RouteDeps, RouteRegistrar } from './routes/deps.js';
import { documentRoutes } from './routes/documents.js';
import { healthRoutes } from './routes/health.js';
import { organisationRoutes } from './routes/organisation.js';
import { taxCodeRoutes } from './routes/tax-codes.js';
import { vendorRoutes } from './routes/vendors.js';

export interface RouteInfo {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, in order: tests enumerate it (e.g. tenant isolation on every :id route). */
    routeTable: RouteInfo[];
  }
}

export interface BuildAppOptions {
  db: Kysely<Database>;
  dialect: DialectName;
  config: Pick<AppConfig, 'publicUrl' | 'logLevel'>;
  /** A pino-compatible logger, or false for none; defaults to pino at config.logLevel. */
  logger?: FastifyBaseLogger | false;
  /** The built web UI; served with an index.html fallback for every non-/api GET. */
  staticRoot?: string | undefined;
  /** Other areas' routes (QuickBooks, Sync Center…), registered after the core ones with the same deps. */
  extend?: (app: FastifyInstance, deps: RouteDeps) => void | Promise<void>;
}

const CORE_ROUTES: RouteRegistrar[] = [
  healthRoutes,
  authRoutes,
  organisationRoutes,
  clientRoutes,
  vendorRoutes,
  categoryRoutes,
  taxCodeRoutes,
  documentRoutes,
];

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    ...(options.logger === undefined
      ? { logger: { level: options.config.logLevel } }
      : options.logger === false
        ? { logger: false }
        : { loggerInstance: options.logger }),
    // Fastify's default is 1 MiB: enough for a 200-line document, small enough to refuse abuse.
    bodyLimit: 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('routeTable', [] as RouteInfo[]);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) app.routeTable.push({ method, url: route.url });
  });
  acceptEmptyJsonBodies(app);
  registerErrorHandling(app);

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Workroom API', version: '1.0.0', description: 'Workroom core: clients, vendors, tax codes, documents.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'wr_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  const deps: RouteDeps = { db: options.db, dialect: options.dialect, secureCookies: options.config.publicUrl.startsWith('https://') };
  registerAuth(app, options.db);
  for (const register of CORE_ROUTES) register(app, deps);
  await options.extend?.(app, deps);

  if (options.staticRoot) await app.register(fastifyStatic, { root: options.staticRoot });
  const staticRoot = options.staticRoot;
  app.setNotFoundHandler(async (request, reply) => {
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/api');
    if (staticRoot && isPage) return reply.type('text/html').sendFile('index.html');
    return sendError(reply, 404, { error: 'not_found', message: 'not found' });
  });
  return app;
}

/** Bodiless POSTs (logout, finalize) may still carry Content-Type: application/json. */
function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text === '') {
      done(null, undefined);
      return;
    }
    void parseJson(request, text, done);
  });
}
