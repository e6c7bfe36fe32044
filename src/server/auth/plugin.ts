import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { SESSION_COOKIE } from '../api/contract.js';
import type { Database } from '../../db/index.js';
import { sendError } from '../errors.js';
import { resolveSession, type SessionContext } from './sessions.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set false on the few /api routes reachable without a session (health, login). */
    auth?: boolean;
  }
  interface FastifyRequest {
    session: SessionContext | null;
  }
}

/** Loads the session for every route that needs one; without a valid session the answer is 401. */
export function registerAuth(app: FastifyInstance, db: Kysely<Database>): void {
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request, reply) => {
    if (!needsSession(request)) return;
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await resolveSession(db, token) : undefined;
    if (!session) return sendError(reply, 401, { error: 'unauthorized', message: 'log in first' });
    request.session = session;
  });
}

/** Default-deny: every /api route needs a session unless it opts out with `config.auth: false`. */
export function requiresSession(url: string | undefined, auth: boolean | undefined): boolean {
  if (!url?.startsWith('/api/') || url.startsWith('/api/docs')) return false;
  return auth !== false;
}

function needsSession(request: FastifyRequest): boolean {
  return requiresSession(request.routeOptions.url, request.routeOptions.config.auth);
}

/** The session of an authenticated route; its absence is a wiring bug, not a user error. */
export function sessionOf(request: FastifyRequest): SessionContext {
  if (!request.session) throw new Error(`route ${request.routeOptions.url ?? request.url} ran without a session`);
  return request.session;
}

export function requireOwner(request: FastifyRequest, reply: FastifyReply): boolean {
  if (sessionOf(request).user.role === 'owner') return true;
  void sendError(reply, 403, { error: 'forbidden', message: 'only an owner can do this' });
  return false;
}
