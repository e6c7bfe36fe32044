import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { QboPlatform } from '../../../qbo/client/index.js';
import type { ConnectionView } from '../../../qbo/connection/connection-service.js';
import {
  type Amount,
  type PnlAccountingMethod,
  type PnlColumnMode,
  type PnlConnections,
  type PnlRangePreset,
  type PnlResult,
  type PnlTotalGroup,
  ProfitAndLossService,
  type ReportNode,
} from '../../../qbo/reports/index.js';
import { ApiErrorSchema } from '../../api/contract.js';
import { sessionOf } from '../../auth/plugin.js';
import type { QboConnection } from '../qbo/contract.js';
import {
  type PnlAmount,
  PnlConnectionProblemSchema,
  type PnlColumns,
  type PnlMethod,
  type PnlNode,
  PnlQboErrorSchema,
  PnlQuerySchema,
  type PnlRange,
  type PnlResponse,
  PnlResponseSchema,
  type PnlTotalKey,
  QBO_REPORT_ROUTES,
} from './contract.js';

/** The contract's lists and the service's are the same sets; these fail to compile if either drifts. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameRanges: Same<PnlRange, PnlRangePreset> = true;
const _sameMethods: Same<PnlMethod, PnlAccountingMethod> = true;
const _sameColumns: Same<PnlColumns, PnlColumnMode> = true;
const _sameTotals: Same<PnlTotalKey, PnlTotalGroup> = true;
const toApiConnection = (view: ConnectionView): QboConnection => view;

export interface QboReportRoutesOptions {
  readonly connections: Pick<PnlConnections, 'getClientFor'> & { status(orgId: string): Promise<ConnectionView> };
  readonly platform: QboPlatform;
  /** The server's calendar day, used when the browser does not send its own. */
  readonly today?: () => string;
}

function amountOut(amount: Amount): PnlAmount {
  return amount === null ? null : amount.toFixed(2);
}

function nodeOut(node: ReportNode): PnlNode {
  if (node.kind === 'line') {
    return { kind: 'line', label: node.label, accountId: node.accountId ?? null, amounts: node.amounts.map(amountOut) };
  }
  return {
    kind: 'section',
    group: node.group ?? null,
    label: node.label,
    accountId: node.accountId ?? null,
    hasHeader: node.hasHeader,
    headerAmounts: node.headerAmounts.map(amountOut),
    children: node.children.map(nodeOut),
    summary: node.summary ? { label: node.summary.label, amounts: node.summary.amounts.map(amountOut) } : null,
  };
}

function responseOf(result: PnlResult, fetchedAt: Date): PnlResponse {
  const { report } = result;
  const totals: PnlResponse['report']['totals'] = {};
  for (const [group, amounts] of Object.entries(report.totals) as [PnlTotalGroup, Amount[]][]) totals[group] = amounts.map(amountOut);
  return {
    range: result.range,
    method: result.method,
    columns: result.columns,
    company: result.company,
    qboUrl: result.qboUrl,
    fetchedAt: fetchedAt.toISOString(),
    report: {
      basis: report.basis ?? null,
      startPeriod: report.startPeriod ?? null,
      endPeriod: report.endPeriod ?? null,
      currency: report.currency ?? null,
      columns: report.columns.map((c) => ({ title: c.title, key: c.key ?? null })),
      noData: report.noData,
      rows: report.rows.map(nodeOut),
      totals,
    },
  };
}

/** Reports → QuickBooks P&L: pulled from QBO on every request, never cached. */
export const qboReportRoutes: FastifyPluginCallbackZod<QboReportRoutesOptions> = (app, options, done) => {
  const { connections } = options;
  const service = new ProfitAndLossService({
    connections,
    platform: options.platform,
    ...(options.today ? { today: options.today } : {}),
  });

  app.get(
    QBO_REPORT_ROUTES.profitAndLoss.path,
    {
      config: { auth: true },
      schema: {
        summary: 'Profit and Loss, read live from the connected QuickBooks company',
        tags: ['quickbooks'],
        querystring: PnlQuerySchema,
        response: {
          200: PnlResponseSchema,
          400: ApiErrorSchema,
          401: ApiErrorSchema,
          409: PnlConnectionProblemSchema.describe('QuickBooks is not connected or needs reconnecting'),
          502: PnlQboErrorSchema.describe("QuickBooks answered with an error; its code and message verbatim"),
        },
      },
    },
    async (request, reply) => {
      const orgId = sessionOf(request).organisation.id;
      void reply.header('cache-control', 'no-store');
      const result = await service.profitAndLoss(orgId, request.query);
      if (result.ok) return responseOf(result.value, new Date());
      const failure = result.error;
      if (failure.kind === 'qbo_error') {
        const { error } = failure;
        request.log.warn({ qbo: { orgId, error: error.toJSON() } }, 'qbo profit and loss failed');
        return reply.code(502).send({
          error: 'qbo_error' as const,
          code: error.code,
          qboCode: error.qboCode ?? null,
          message: error.message,
          detail: error.detail ?? null,
          status: error.status ?? null,
          intuitTid: error.intuitTid ?? null,
        });
      }
      return reply.code(409).send({
        error: failure.kind,
        message: failure.message,
        connection: toApiConnection(await connections.status(orgId)),
        qboCode: failure.kind === 'needs_reconnect' ? (failure.error?.qboCode ?? null) : null,
      });
    },
  );
  done();
};
