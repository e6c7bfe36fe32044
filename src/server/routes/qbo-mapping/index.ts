import type { FastifyReply } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { AccountMapping, TaxMapping } from '../../../qbo/mapping/index.js';
import type { MappingFailure, MappingGaps, MappingView, QboMappingService } from '../../../qbo/sync/mapping-service.js';
import { ApiErrorSchema } from '../../api/contract.js';
import { requireOwner, sessionOf } from '../../auth/plugin.js';
import { sendError } from '../../errors.js';
import {
  AccountMappingBodySchema,
  QBO_MAPPING_ROUTES,
  QboMappingGapsSchema,
  QboMappingViewSchema,
  TaxMappingBodySchema,
  type AccountMappingView,
  type QboMappingGaps,
  type QboMappingView,
  type TaxMappingView,
} from './contract.js';

export interface QboMappingRoutesOptions {
  readonly service: QboMappingService;
}

const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 409: ApiErrorSchema, 502: ApiErrorSchema };

// The contract mirrors the mapping schemas of src/qbo/mapping; these fail to compile if they drift apart.
const toApi = (view: MappingView): QboMappingView => view;
const gapsToApi = (gaps: MappingGaps): QboMappingGaps => gaps;
const accountsIn = (body: AccountMappingView): AccountMapping => body;
const taxIn = (body: TaxMappingView): TaxMapping => body;

function sendFailure(reply: FastifyReply, failure: MappingFailure): FastifyReply {
  switch (failure.kind) {
    case 'not_connected':
    case 'needs_reconnect':
      return sendError(reply, 409, { error: 'conflict', message: failure.message });
    case 'quickbooks':
      return sendError(reply, 502, { error: 'internal', message: `QuickBooks: ${failure.error.message}` });
    case 'invalid': {
      const [first] = failure.issues;
      return sendError(reply, 400, {
        error: 'invalid_body',
        message: first?.message ?? 'invalid mapping',
        ...(first ? { field: first.field } : {}),
        errors: failure.issues.map((issue) => ({ path: issue.field, code: 'mapping', message: issue.message })),
      });
    }
  }
}

/** Settings → Finances → QuickBooks: the mapping with live choices, and saving each half of it. */
export const qboMappingRoutes: FastifyPluginCallbackZod<QboMappingRoutesOptions> = (app, { service }, done) => {
  app.get(
    QBO_MAPPING_ROUTES.get.path,
    {
      config: { auth: true },
      schema: {
        summary: "The saved account and tax mapping for the connected company, with choices read live from its chart of accounts and tax codes",
        tags: ['quickbooks'],
        response: { 200: QboMappingViewSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await service.view(sessionOf(request).organisation.id);
      return result.ok ? toApi(result.value) : sendFailure(reply, result.error);
    },
  );

  app.get(
    QBO_MAPPING_ROUTES.gaps.path,
    {
      config: { auth: true },
      schema: {
        summary: 'The mapping slots whose emptiness makes pushes fail, from Workroom’s records alone (no QuickBooks call)',
        tags: ['quickbooks'],
        response: { 200: QboMappingGapsSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await service.gaps(sessionOf(request).organisation.id);
      return result.ok ? gapsToApi(result.value) : sendFailure(reply, result.error);
    },
  );

  app.put(
    QBO_MAPPING_ROUTES.putAccounts.path,
    {
      config: { auth: true },
      schema: {
        summary: 'Replace the account mapping; every account is checked against the live chart (owners only)',
        tags: ['quickbooks'],
        body: AccountMappingBodySchema,
        response: { 200: QboMappingViewSchema, ...errors },
      },
    },
    async (request, reply) => {
      if (!requireOwner(request, reply)) return reply;
      const { organisation, user } = sessionOf(request);
      const result = await service.saveAccounts(organisation.id, user.id, accountsIn(request.body));
      return result.ok ? toApi(result.value) : sendFailure(reply, result.error);
    },
  );

  app.put(
    QBO_MAPPING_ROUTES.putTax.path,
    {
      config: { auth: true },
      schema: {
        summary: "Replace the tax mapping; checked against the organisation's tax model and the live tax codes (owners only)",
        tags: ['quickbooks'],
        body: TaxMappingBodySchema,
        response: { 200: QboMappingViewSchema, ...errors },
      },
    },
    async (request, reply) => {
      if (!requireOwner(request, reply)) return reply;
      const { organisation, user } = sessionOf(request);
      const result = await service.saveTax(organisation.id, user.id, taxIn(request.body));
      return result.ok ? toApi(result.value) : sendFailure(reply, result.error);
    },
  );
  done();
};
