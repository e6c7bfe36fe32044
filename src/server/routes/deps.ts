import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Database, DialectName } from '../../db/index.js';

export interface RouteDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Set the session cookie's Secure flag (the public URL is https). */
  secureCookies: boolean;
}

export type RouteRegistrar = (app: FastifyInstance, deps: RouteDeps) => void;

export function typed(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}
