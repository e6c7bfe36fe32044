import type {} from '@fastify/cookie';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/index.js';
import type { ConnectionView, QboConnectionService, SessionRef } from '../../../qbo/connection/connection-service.js';
import { ApiErrorSchema, SESSION_COOKIE } from '../../api/contract.js';
import { requireOwner, sessionOf } from '../../auth/plugin.js';
import { resolveSession, type SessionContext } from '../../auth/sessions.js';
import { sendError } from '../../errors.js';
import {
  QBO_ROUTES,
  QBO_SETTINGS_PATH,
  QboConnectionSchema,
  QboConnectResponseSchema,
  QboDisconnectResponseSchema,
  type QboCallbackResult,
  type QboConnection,
} from './contract.js';

export interface QboConnectionRoutesOptions {
  readonly service: QboConnectionService;
  /** For the callback, which resolves the session itself so a lapsed one still ends on a page, not JSON. */
  readonly db: Kysely<Database>;
}

const errors = { 401: ApiErrorSchema, 403: ApiErrorSchema, 409: ApiErrorSchema, 502: ApiErrorSchema };

/** The API view is exactly the service's view; this assignment fails to compile if they drift apart. */
const toApi = (view: ConnectionView): QboConnection => view;

function sessionRef(session: SessionContext): SessionRef {
  return { orgId: session.organisation.id, userId: session.user.id, sessionId: session.sessionId };
}

function settingsUrl(result: QboCallbackResult): string {
  return `${QBO_SETTINGS_PATH}?qbo=${result}`;
}

/** Settings → Apps → QuickBooks Online: connect, Intuit's callback, status, disconnect, company facts. */
export const qboConnectionRoutes: FastifyPluginCallbackZod<QboConnectionRoutesOptions> = (app, options, done) => {
  const { service, db } = options;

  app.post(
    QBO_ROUTES.connect.path,
    {
      config: { auth: true },
      schema: { summary: "Start connecting: Intuit's authorize URL with a fresh state", tags: ['quickbooks'], response: { 200: QboConnectResponseSchema, ...errors } },
    },
    async (request, reply) => {
      if (!requireOwner(request, reply)) return reply;
      return service.startConnect(sessionRef(sessionOf(request)));
    },
  );

  app.get(
    QBO_ROUTES.callback.path,
    {
      config: { auth: false },
      // The query carries the authorization code and state: keep this route out of the request log.
      logLevel: 'warn',
      schema: { summary: 'Intuit redirects the browser here; answers with a redirect to Settings → Apps', tags: ['quickbooks']},
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      const session = token ? await resolveSession(db, token) : undefined;
      if (!session) return reply.redirect(settingsUrl('state_other_session'), 302);
      const query = (request.query ?? {}) as Record<string, unknown>;
      const outcome = await service.handleCallback(query, sessionRef(session));
      return reply.header('cache-control', 'no-store').redirect(settingsUrl(outcome.ok ? 'connected' : outcome.error), 302);
    },
  );

  app.get(
    QBO_ROUTES.connection.path,
    {
      config: { auth: true },
      schema: { summary: 'The QuickBooks connection: status, company, environment', tags: ['quickbooks'], response: { 200: QboConnectionSchema, ...errors } },
    },
    async (request) => toApi(await service.status(sessionOf(request).organisation.id)),
  );

  app.post(
    QBO_ROUTES.disconnect.path,
    {
      config: { auth: true },
      schema: { summary: 'Revoke at Intuit and stop pushing; deletes nothing', tags: ['quickbooks'], response: { 200: QboDisconnectResponseSchema, ...errors } },
    },
    async (request, reply) => {
      if (!requireOwner(request, reply)) return reply;
      const { connection, revokedAtIntuit } = await service.disconnect(sessionOf(request).organisation.id);
      return { connection: toApi(connection), revokedAtIntuit };
    },
  );

  app.post(
    QBO_ROUTES.refreshFacts.path,
    {
      config: { auth: true },
      schema: { summary: "Re-read the company's name, country, currency and tax model", tags: ['quickbooks'], response: { 200: QboConnectionSchema, ...errors } },
    },
    async (request, reply) => {
      const orgId = sessionOf(request).organisation.id;
      const refreshed = await service.refreshFacts(orgId);
      if (refreshed.ok) return toApi(refreshed.value);
      const { error } = refreshed;
      if (error.code === 'qbo_needs_reconnect') {
        // Intuit's own words here are a bare "invalid_grant"; the connection's status says what to do.
        const message = (await service.status(orgId)).message ?? error.message;
        return sendError(reply, 409, { error: 'conflict', message });
      }
      return sendError(reply, 502, { error: 'internal', message: `QuickBooks: ${error.message}` });
    },
  );
  done();
};
