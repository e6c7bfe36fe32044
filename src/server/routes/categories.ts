import { api } from '../api/contract.js';
import { createCategory, deleteCategory, getCategory, listCategories, updateCategory } from '../../domain/store/categories.js';
import { notFound } from '../../domain/store/failure.js';
import { sessionOf } from '../auth/plugin.js';
import { sendFailure } from '../errors.js';
import { bind } from './define.js';
import { typed, type RouteRegistrar } from './deps.js';

export const categoryRoutes: RouteRegistrar = (app, { db }) => {
  const r = typed(app);
  const orgId = (req: Parameters<typeof sessionOf>[0]) => sessionOf(req).organisation.id;

  r.route({ ...bind(api.listCategories), handler: async (req) => listCategories(db, orgId(req), req.query) });

  r.route({
    ...bind(api.createCategory),
    handler: async (req, reply) => {
      const result = await createCategory(db, orgId(req), req.body);
      return result.ok ? reply.code(201).send(result.value) : sendFailure(reply, result.error);
    },
  });

  r.route({
    ...bind(api.getCategory),
    handler: async (req, reply) => (await getCategory(db, orgId(req), req.params.id)) ?? sendFailure(reply, notFound),
  });

  r.route({
    ...bind(api.updateCategory),
    handler: async (req, reply) => {
      const result = await updateCategory(db, orgId(req), req.params.id, req.body);
      return result.ok ? result.value : sendFailure(reply, result.error);
    },
  });

  r.route({
    ...bind(api.deleteCategory),
    handler: async (req, reply) => {
      const result = await deleteCategory(db, orgId(req), req.params.id);
      return result.ok ? reply.code(204).send() : sendFailure(reply, result.error);
    },
  });
};
