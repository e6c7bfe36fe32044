import type { FastifyReply } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Dismissal } from '../../../qbo/sync/dismiss.js';
import { driftCsv } from '../../../qbo/sync/drift.js';
import type { DriftReportView, DriftService, DriftServiceError, RepushResult } from '../../../qbo/sync/drift-service.js';
import { ApiErrorSchema } from '../../api/contract.js';
import { sessionOf } from '../../auth/plugin.js';
import { sendError } from '../../errors.js';
import {
  DismissalSchema,
  DismissBodySchema,
  DismissParamsSchema,
  DriftReportSchema,
  QBO_DRIFT_ROUTES,
  RepushBodySchema,
  RepushResultSchema,
  type DismissalView,
  type DriftReportResponse,
  type RepushResponse,
} from './contract.js';

export interface QboDriftRoutesOptions {
  readonly drift: DriftService;
}

const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema, 502: ApiErrorSchema };

/** The API views are exactly the service's; these assignments fail to compile if they drift apart. */
const reportToApi = (report: DriftReportView): DriftReportResponse => ({
  ...report,
  rows: report.rows.map((row) => ({ ...row, differences: [...row.differences] })),
});
const repushToApi = (result: RepushResult): RepushResponse => ({ results: [...result.results], skipped: [...result.skipped] });
const dismissalToApi = (dismissal: Dismissal): DismissalView => dismissal;

function sendDriftError(reply: FastifyReply, error: DriftServiceError): FastifyReply {
  switch (error.kind) {
    case 'not_found':
      return sendError(reply, 404, { error: 'not_found', message: error.message });
    case 'invalid':
      return sendError(reply, 400, { error: 'invalid_body', message: `${error.field}: ${error.message}`, field: error.field });
    case 'conflict':
      return sendError(reply, 409, { error: 'conflict', message: error.message });
    case 'qbo':
      return sendError(reply, 502, { error: 'internal', message: error.message });
  }
}

/** Finances → Sync Center → Drift. */
export const qboDriftRoutes: FastifyPluginCallbackZod<QboDriftRoutesOptions> = (app, { drift }, done) => {
  const tags = ['quickbooks'];

  app.get(
    QBO_DRIFT_ROUTES.report.path,
    {
      config: { auth: true },
      schema: {
        summary: 'What no longer agrees with QuickBooks: changed, deleted or voided there, edited here, never pushed',
        tags,
        response: { 200: DriftReportSchema, ...errors },
      },
    },
    async (request, reply) => {
      const report = await drift.report(sessionOf(request).organisation.id);
      return report.ok ? reportToApi(report.value) : sendDriftError(reply, report.error);
    },
  );

  app.get(
    QBO_DRIFT_ROUTES.csv.path,
    { config: { auth: true }, schema: { summary: 'The drift report as CSV, one line per differing field', tags } },
    async (request, reply) => {
      const report = await drift.report(sessionOf(request).organisation.id);
      if (!report.ok) return sendDriftError(reply, report.error);
      const day = report.value.generatedAt.slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="quickbooks-drift-${day}.csv"`)
        .header('cache-control', 'no-store')
        .send(driftCsv(report.value.rows));
    },
  );

  app.post(
    QBO_DRIFT_ROUTES.repush.path,
    {
      config: { auth: true },
      schema: { summary: 'Push these documents again, as they are now', tags, body: RepushBodySchema, response: { 200: RepushResultSchema, ...errors } },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      const result = await drift.repush(session.organisation.id, session.user.id, request.body.documentIds);
      return result.ok ? repushToApi(result.value) : sendDriftError(reply, result.error);
    },
  );

  app.post(
    QBO_DRIFT_ROUTES.dismiss.path,
    {
      config: { auth: true },
      schema: {
        summary: 'Dismiss a failed push fixed by hand in QuickBooks; it is never retried by itself',
        tags,
        params: DismissParamsSchema,
        body: DismissBodySchema,
        response: { 200: DismissalSchema, ...errors },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      const result = await drift.dismiss(session.organisation.id, session.user.id, request.params.id, request.body.reason);
      return result.ok ? dismissalToApi(result.value) : sendDriftError(reply, result.error);
    },
  );
  done();
};
