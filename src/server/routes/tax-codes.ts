import { api } from '../api/contract.js';
import { createTaxCode, deleteTaxCode, getTaxCode, listTaxCodes, updateTaxCode } from '../../domain/store/tax-codes.js';
import { notFound } from '../../domain/store/failure.js';
import { sessionOf } from '../auth/plugin.js';
import { sendFailure } from '../errors.js';
import { bind } from './define.js';
import { typed, type RouteRegistrar } from './deps.js';

export const taxCodeRoutes: RouteRegistrar = (app, { db }) => {
  const r = typed(app);
  const orgId = (req: Parameters<typeof sessionOf>[0]) => sessionOf(req).organisation.id;

  r.route({ ...bind(api.listTaxCodes), handler: async (req) => listTaxCodes(db, orgId(req), req.query) });

  r.route({
    ...bind(api.createTaxCode),
    handler: async (req, reply) => {
      const result = await createTaxCode(db, orgId(req), req.body);
      return result.ok ? reply.code(201).send(result.value) : sendFailure(reply, result.error);
    },
  });

  r.route({
    ...bind(api.getTaxCode),
    handler: async (req, reply) => (await getTaxCode(db, orgId(req), req.params.id)) ?? sendFailure(reply, notFound),
  });

  r.route({
    ...bind(api.updateTaxCode),
    handler: async (req, reply) => {
      const result = await updateTaxCode(db, orgId(req), req.params.id, req.body);
      return result.ok ? result.value : sendFailure(reply, result.error);
    },
  });

  r.route({
    ...bind(api.deleteTaxCode),
    handler: async (req, reply) => {
      const result = await deleteTaxCode(db, orgId(req), req.params.id);
      return result.ok ? reply.code(204).send() : sendFailure(reply, result.error);
    },
  });
};
