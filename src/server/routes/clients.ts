import { api } from '../api/contract.js';
import { createClient, deleteClient, getClient, listClients, updateClient } from '../../domain/store/clients.js';
import { notFound } from '../../domain/store/failure.js';
import { sessionOf } from '../auth/plugin.js';
import { sendFailure } from '../errors.js';
import { bind } from './define.js';
import { typed, type RouteRegistrar } from './deps.js';

export const clientRoutes: RouteRegistrar = (app, { db }) => {
  const r = typed(app);
  const orgId = (req: Parameters<typeof sessionOf>[0]) => sessionOf(req).organisation.id;

  r.route({ ...bind(api.listClients), handler: async (req) => listClients(db, orgId(req), req.query) });

  r.route({
    ...bind(api.createClient),
    handler: async (req, reply) => reply.code(201).send(await createClient(db, orgId(req), req.body)),
  });

  r.route({
    ...bind(api.getClient),
    handler: async (req, reply) => (await getClient(db, orgId(req), req.params.id)) ?? sendFailure(reply, notFound),
  });

  r.route({
    ...bind(api.updateClient),
    handler: async (req, reply) => {
      const result = await updateClient(db, orgId(req), req.params.id, req.body);
      return result.ok ? result.value : sendFailure(reply, result.error);
    },
  });

  r.route({
    ...bind(api.deleteClient),
    handler: async (req, reply) => {
      const result = await deleteClient(db, orgId(req), req.params.id);
      return result.ok ? reply.code(204).send() : sendFailure(reply, result.error);
    },
  });
};
