import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/index.js';
import { getDocument } from '../../../domain/store/documents.js';
import type { QboConnectionService } from '../../../qbo/connection/connection-service.js';
import { requireFinal } from '../../../qbo/mapping/index.js';
import { enqueuePush, type PushJob } from '../../../qbo/sync/job-queue.js';
import { loadPushTarget, readPushState, refusalBeforePush, type DocumentPushState } from '../../../qbo/sync/push-document.js';
import { headedFailureMessage, type PushFailure } from '../../../qbo/sync/push-errors.js';
import { syncParties, type PartySyncReport } from '../../../qbo/sync/sync-parties.js';
import type { Worker } from '../../../qbo/sync/worker.js';
import { ApiErrorSchema } from '../../api/contract.js';
import { sessionOf } from '../../auth/plugin.js';
import { sendError } from '../../errors.js';
import {
  PartySyncReportSchema,
  PushParamsSchema,
  PushResultSchema,
  PushStateResponseSchema,
  QBO_PUSH_ROUTES,
  type DocumentPushStateView,
  type PartySyncReportView,
  type PushError,
  type PushResult,
} from './contract.js';

export interface QboPushRoutesOptions {
  readonly service: QboConnectionService;
  readonly worker: Worker;
  readonly db: Kysely<Database>;
  readonly now?: () => Date;
}

const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema, 502: ApiErrorSchema };

/** The API views are exactly the sync module's; these assignments fail to compile if they drift apart. */
const stateToApi = (state: DocumentPushState): DocumentPushStateView => state;
const reportToApi = (report: PartySyncReport): PartySyncReportView => report;

/** A refusal Workroom foresees: its own words under the troubleshooting heading; QBO was not asked. */
function refusalToApi(failure: PushFailure): PushError {
  return { code: failure.code, qboCode: null, title: failure.title, message: failure.message, detail: null, element: failure.element ?? null };
}

const ENTITY_WORD = { invoice: 'invoice', estimate: 'estimate', purchase_order: 'purchase order' } as const;

function pushedMessage(number: string, state: DocumentPushState | null): string {
  if (state?.qboId == null) return `${number} was pushed to QuickBooks.`;
  const entity = ENTITY_WORD[state.documentType];
  const head =
    state.operation === 'recreated'
      ? `${number} is in QuickBooks again: the ${entity} pushed earlier was deleted there, so it was created again as ${entity} #${state.qboId}.`
      : `${number} is in QuickBooks: ${state.operation === 'updated' ? 'updated' : 'created'} ${entity} #${state.qboId}.`;
  const totals = state.totals;
  if (totals === null || totals.differences.length === 0) return `${head} Totals match (${totals?.qboTotal ?? ''}).`.replace(' ()', '');
  return `${head} QuickBooks' total ${totals.qboTotal} differs from Workroom's ${totals.workroomTotal} by ${totals.difference}.`;
}

/** The job as it settled (or did not) for the user who waits on it. */
function resultOf(job: PushJob, number: string, state: DocumentPushState | null): PushResult {
  const view = state === null ? null : stateToApi(state);
  if (job.status === 'pushed') return { status: 'pushed', jobId: job.id, message: pushedMessage(number, state), error: null, state: view };
  const error = state?.status === 'failed' && state.lastJobId === job.id ? state.error : null;
  if (job.status === 'failed') {
    const message = error === null ? (job.qbo_message ?? 'The push failed') : headedFailureMessage(error);
    return { status: 'failed', jobId: job.id, message, error, state: view };
  }
  const message =
    job.status === 'queued' && job.qbo_message !== null
      ? `QuickBooks could not take ${number} just now; it will be retried by itself (${job.qbo_message}). Follow it in the Sync Center.`
      : `${number} is being pushed by another worker; follow it in the Sync Center.`;
  return { status: 'queued', jobId: job.id, message, error, state: view };
}

/**
 * Document ⋯ → Push to QuickBooks, the document's push state, and Sync clients / Sync vendors. A push is queued
 * like any other (so it shows in the Sync Center and is never sent twice), then run at once by this process's
 * worker while the user waits.
 */
export const qboPushRoutes: FastifyPluginCallbackZod<QboPushRoutesOptions> = (app, options, done) => {
  const { service, worker, db } = options;
  const now = options.now ?? (() => new Date());

  app.get(
    QBO_PUSH_ROUTES.pushState.path,
    {
      config: { auth: true },
      schema: {
        summary: "A document's latest push to the connected QuickBooks company",
        tags: ['quickbooks'],
        params: PushParamsSchema,
        response: { 200: PushStateResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { organisation } = sessionOf(request);
      const doc = await getDocument(db, organisation, request.params.id);
      if (!doc) return sendError(reply, 404, { error: 'not_found', message: 'not found' });
      const connection = await service.status(organisation.id);
      const company = connection.company;
      const state = company === null ? null : await readPushState(db, { orgId: organisation.id, realmId: company.realmId }, doc.id);
      const refusal =
        connection.status !== 'connected' || company === null
          ? null
          : await refusalBeforePush(db, await loadPushTarget(db, organisation, company.realmId, company), doc);
      return {
        connection: connection.status,
        company: company === null ? null : { realmId: company.realmId, name: company.name },
        documentRevision: doc.revision,
        state: state === null ? null : stateToApi(state),
        refusal: refusal === null ? null : refusalToApi(refusal),
      };
    },
  );

  app.post(
    QBO_PUSH_ROUTES.push.path,
    {
      config: { auth: true },
      schema: {
        summary: 'Push to QuickBooks: queue the document and push it now; answers pushed, failed (QBO code and message) or queued',
        tags: ['quickbooks'],
        params: PushParamsSchema,
        response: { 200: PushResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { organisation, user } = sessionOf(request);
      const doc = await getDocument(db, organisation, request.params.id);
      if (!doc) return sendError(reply, 404, { error: 'not_found', message: 'not found' });
      const connection = await service.status(organisation.id);
      if (connection.status !== 'connected' || connection.company === null) {
        const message = connection.message ?? 'QuickBooks is not connected. Connect it in Settings → Apps first.';
        return sendError(reply, 409, { error: 'conflict', message });
      }
      const final = requireFinal(doc, doc.type);
      if (!final.ok) return sendError(reply, 409, { error: 'conflict', message: final.error.map((p) => p.message).join('; ') });
      const realmId = connection.company.realmId;
      const { job } = await enqueuePush(
        db,
        { orgId: organisation.id, realmId, documentId: doc.id, documentType: doc.type, documentRevision: doc.revision, startedBy: user.id },
        now(),
      );
      await worker.runNow([job.id]);
      const settled = await db.selectFrom('push_jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
      const state = await readPushState(db, { orgId: organisation.id, realmId }, doc.id);
      return resultOf(settled, doc.number, state);
    },
  );

  for (const [route, role] of [
    [QBO_PUSH_ROUTES.syncClients, 'customer'],
    [QBO_PUSH_ROUTES.syncVendors, 'vendor'],
  ] as const) {
    app.post(
      route.path,
      {
        config: { auth: true },
        schema: {
          summary: `Sync ${role === 'customer' ? 'clients with QuickBooks customers' : 'vendors with QuickBooks vendors'}: match by name, create the missing ones`,
          tags: ['quickbooks'],
          response: { 200: PartySyncReportSchema, ...errors },
        },
      },
      async (request, reply) => {
        const orgId = sessionOf(request).organisation.id;
        const client = await service.getClientFor(orgId);
        if (!client.ok) {
          const message = (await service.status(orgId)).message ?? client.error.message;
          return sendError(reply, 409, { error: 'conflict', message });
        }
        const report = await syncParties({ db, client: client.value, scope: { orgId, realmId: client.value.realmId }, now }, role);
        if (!report.ok) return sendError(reply, 502, { error: 'internal', message: headedFailureMessage(report.error) });
        return reportToApi(report.value);
      },
    );
  }
  done();
};
