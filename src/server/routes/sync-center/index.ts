import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ProgressSignals } from '../../../qbo/sync/progress.js';
import type { SyncActionError, SyncCenter } from '../../../qbo/sync/sync-center.js';
import { ApiErrorSchema } from '../../api/contract.js';
import { sessionOf } from '../../auth/plugin.js';
import { sendError } from '../../errors.js';
import type { FastifyReply } from 'fastify';
import {
  JobParamsSchema,
  PROGRESS_EVENT,
  PushAllApprovedResultSchema,
  RetryAllResultSchema,
  RunProgressSchema,
  SYNC_CENTER_ROUTES,
  SyncHealthSchema,
  SyncHistoryQuerySchema,
  SyncHistorySchema,
  SyncJobDetailSchema,
  SyncJobSchema,
  type RunProgress,
  type SyncHealth,
  type SyncJob,
  type SyncJobDetail,
} from './contract.js';

export interface SyncCenterRoutesOptions {
  readonly center: SyncCenter;
  /** In-process hints that jobs changed; progress streams also poll, for workers in other processes. */
  readonly signals?: ProgressSignals;
  /** How often a progress stream re-reads the run when no hint arrives. */
  readonly pollMs?: number;
}

const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema };
const TAGS = ['sync center'];

// These fail to compile if the service's views and the API's shapes drift apart.
const jobToApi = (view: SyncJob): SyncJob => view;
const detailToApi = (view: SyncJobDetail): SyncJobDetail => view;
const healthToApi = (view: SyncHealth): SyncHealth => view;
const progressToApi = (view: RunProgress): RunProgress => view;

function sendActionError(reply: FastifyReply, error: SyncActionError): FastifyReply {
  switch (error.kind) {
    case 'not_found':
      return sendError(reply, 404, { error: 'not_found', message: 'not found' });
    case 'not_failed':
      return sendError(reply, 409, { error: 'conflict', message: `Only a failed push can be retried; this one is ${error.status}.` });
    case 'not_connected':
      return sendError(reply, 409, { error: 'conflict', message: error.message });
  }
}

/** Finances → Sync Center: history, attempts, health, retries, "Push all approved" and its live progress. */
export const syncCenterRoutes: FastifyPluginCallbackZod<SyncCenterRoutesOptions> = (app, options, done) => {
  const { center, signals } = options;
  const pollMs = options.pollMs ?? 400;
  const orgOf = (request: Parameters<typeof sessionOf>[0]) => sessionOf(request).organisation.id;

  app.get(
    SYNC_CENTER_ROUTES.history.path,
    {
      config: { auth: true },
      schema: {
        summary: 'Push history, newest first; filter by status, type, client or vendor; search by document number',
        tags: TAGS,
        querystring: SyncHistoryQuerySchema,
        response: { 200: SyncHistorySchema, ...errors },
      },
    },
    async (request) => {
      const page = await center.history(orgOf(request), request.query);
      return { ...page, items: page.items.map(jobToApi) };
    },
  );

  app.get(
    SYNC_CENTER_ROUTES.job.path,
    {
      config: { auth: true },
      schema: { summary: 'One push with every attempt: who started it, how it ended, QuickBooks’ message', tags: TAGS, params: JobParamsSchema, response: { 200: SyncJobDetailSchema, ...errors } },
    },
    async (request, reply) => {
      const job = await center.job(orgOf(request), request.params.id);
      return job ? detailToApi(job) : sendError(reply, 404, { error: 'not_found', message: 'not found' });
    },
  );

  app.post(
    SYNC_CENTER_ROUTES.retry.path,
    {
      config: { auth: true },
      schema: { summary: 'Retry a failed push (after fixing its cause); the attempt records who retried', tags: TAGS, params: JobParamsSchema, response: { 200: SyncJobSchema, ...errors } },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      const retried = await center.retry(session.organisation.id, request.params.id, session.user.id);
      return retried.ok ? jobToApi(retried.value) : sendActionError(reply, retried.error);
    },
  );

  app.post(
    SYNC_CENTER_ROUTES.retryAll.path,
    {
      config: { auth: true },
      schema: { summary: 'Retry every failed push to the connected company, as one run with progress', tags: TAGS, response: { 200: RetryAllResultSchema, ...errors } },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      const result = await center.retryAll(session.organisation.id, session.user.id);
      return result.ok ? result.value : sendActionError(reply, result.error);
    },
  );

  app.post(
    SYNC_CENTER_ROUTES.pushAllApproved.path,
    {
      config: { auth: true },
      schema: {
        summary: 'Queue every approved document not yet in QuickBooks or changed since its push, as one run',
        tags: TAGS,
        response: { 200: PushAllApprovedResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      const result = await center.pushAllApproved(session.organisation.id, session.user.id);
      return result.ok ? result.value : sendActionError(reply, result.error);
    },
  );

  app.get(
    SYNC_CENTER_ROUTES.health.path,
    {
      config: { auth: true },
      schema: { summary: 'The health card: failed needing attention, queued, last success, connection, running bulk push', tags: TAGS, response: { 200: SyncHealthSchema, ...errors } },
    },
    async (request) => healthToApi(await center.health(orgOf(request))),
  );

  app.get(
    SYNC_CENTER_ROUTES.run.path,
    {
      config: { auth: true },
      schema: { summary: 'Progress of a bulk push or "Retry all failed"', tags: TAGS, params: JobParamsSchema, response: { 200: RunProgressSchema, ...errors } },
    },
    async (request, reply) => {
      const progress = await center.progress(orgOf(request), request.params.id);
      return progress ? progressToApi(progress) : sendError(reply, 404, { error: 'not_found', message: 'not found' });
    },
  );

  app.get(
    SYNC_CENTER_ROUTES.runEvents.path,
    {
      config: { auth: true },
      schema: { summary: `Server-sent events: "${PROGRESS_EVENT}" with the run's progress on every change, until it is done`, tags: TAGS, params: JobParamsSchema },
    },
    async (request, reply) => {
      const orgId = orgOf(request);
      const runId = request.params.id;
      const first = await center.progress(orgId, runId);
      if (!first) return sendError(reply, 404, { error: 'not_found', message: 'not found' });

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let closed = false;
      let wake: () => void = () => undefined;
      const unsubscribe = signals?.subscribe(orgId, () => wake()) ?? (() => undefined);
      request.raw.on('close', () => {
        closed = true;
        wake();
      });
      let last = '';
      const send = (progress: RunProgress): void => {
        const data = JSON.stringify(progressToApi(progress));
        if (data === last) return;
        last = data;
        raw.write(`event: ${PROGRESS_EVENT}\ndata: ${data}\n\n`);
      };
      try {
        send(first);
        let current = first;
        let quiet = 0;
        while (!closed && !current.done) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, pollMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          if (closed) break;
          const next = await center.progress(orgId, runId);
          if (!next) break;
          current = next;
          send(current);
          // A comment now and then keeps proxies from closing a quiet stream.
          quiet = (quiet + 1) % Math.max(1, Math.round(15_000 / pollMs));
          if (quiet === 0) raw.write(': keep-alive\n\n');
        }
      } catch (err) {
        request.log.error({ err }, 'sync center progress stream failed');
      } finally {
        unsubscribe();
        raw.end();
      }
    },
  );
  done();
};
