import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifySchema, type FastifySchemaCompiler } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Kysely } from 'kysely';
import type { AppConfig } from '../config.js';
import type { Database, DialectName } from '../db/index.js';
import { registerCsrfProtection } from './auth/csrf.js';
import { registerAuth, requiresSession } from './auth/plugin.js';
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
  /** Whether the route answers 401 without a session (see auth/plugin.ts: default-deny under /api/). */
  auth: boolean;
  /** Its params / querystring / body schemas (zod), so tests can tell valid input from invalid. */
  schema: FastifySchema | undefined;
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
    // Errors raised before routing (a malformed percent-escape in the path) get the API's error shape too.
    frameworkErrors: (err, _request, reply) => {
      const badUrl = err.code === 'FST_ERR_BAD_URL';
      void sendError(reply, 400, { error: badUrl ? 'invalid_params' : 'invalid_body', message: badUrl ? 'the URL is malformed (bad percent-encoding)' : err.message });
    },
  });
  app.setValidatorCompiler(guardedValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('routeTable', [] as RouteInfo[]);
  app.addHook('onRoute', (route) => {
    const auth = requiresSession(route.url, route.config?.auth);
    for (const method of [route.method].flat()) app.routeTable.push({ method, url: route.url, auth, schema: route.schema });
  });
  acceptEmptyJsonBodies(app);
  registerErrorHandling(app);
  refuseUnstorableText(app);
  addSecurityHeaders(app);

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
  registerCsrfProtection(app, options.config.publicUrl);
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

/**
 * A schema refinement that throws on input an earlier check already refused (e.g. `new Decimal('')` in a
 * refine) must not turn bad input into a 500: the request is refused as invalid instead.
 */
const guardedValidatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) => {
  const validate = validatorCompiler(route);
  return (data) => {
    try {
      return validate(data);
    } catch {
      const part = route.httpPart === 'querystring' ? 'query' : (route.httpPart ?? 'body');
      return { error: new Error(`the ${part} contains a value that is not valid`) };
    }
  };
};

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

/** Lone UTF-16 surrogates, which both databases would silently store as U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** NUL (PostgreSQL refuses it in text) or a lone surrogate. */
function unstorable(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/** The path ("lines.3.description") of a string or key that cannot be stored, if there is one. */
function findUnstorableText(root: unknown): string | undefined {
  // Iterative, so a deeply nested body cannot overflow the stack.
  const stack: [unknown, string][] = [[root, '']];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      if (unstorable(value)) return path;
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (unstorable(key)) return childPath;
        stack.push([child, childPath]);
      }
    }
  }
  return undefined;
}

/** Checked before validation on every route, so no handler can pass such text to the database. */
function refuseUnstorableText(app: FastifyInstance): void {
  const parts = [
    ['params', 'invalid_params'],
    ['query', 'invalid_query'],
    ['body', 'invalid_body'],
  ] as const;
  app.addHook('preValidation', async (request, reply) => {
    for (const [part, error] of parts) {
      const field = findUnstorableText(request[part]);
      if (field === undefined) continue;
      const message = 'contains a character that cannot be stored (NUL or an unpaired UTF-16 surrogate)';
      return sendError(reply, 400, { error, ...(field ? { field } : {}), message: field ? `${field}: ${message}` : message });
    }
  });
}

/** API answers are per user and never cached; no page may be framed (clickjacking). */
function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    if (request.url.startsWith('/api/') && !request.url.startsWith('/api/docs')) reply.header('cache-control', 'no-store');
  });
}
