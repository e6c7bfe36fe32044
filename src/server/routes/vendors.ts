import { api } from '../api/contract.js';
import { createVendor, deleteVendor, getVendor, listVendors, updateVendor } from '../../domain/store/vendors.js';
import { notFound } from '../../domain/store/failure.js';
import { sessionOf } from '../auth/plugin.js';
import { sendFailure } from '../errors.js';
import { bind } from './define.js';
import { typed, type RouteRegistrar } from './deps.js';

export const vendorRoutes: RouteRegistrar = (app, { db }) => {
  const r = typed(app);
  const orgId = (req: Parameters<typeof sessionOf>[0]) => sessionOf(req).organisation.id;

  r.route({ ...bind(api.listVendors), handler: async (req) => listVendors(db, orgId(req), req.query) });

  r.route({
    ...bind(api.createVendor),
    handler: async (req, reply) => reply.code(201).send(await createVendor(db, orgId(req), req.body)),
  });

  r.route({
    ...bind(api.getVendor),
    handler: async (req, reply) => (await getVendor(db, orgId(req), req.params.id)) ?? sendFailure(reply, notFound),
  });

  r.route({
    ...bind(api.updateVendor),
    handler: async (req, reply) => {
      const result = await updateVendor(db, orgId(req), req.params.id, req.body);
      return result.ok ? result.value : sendFailure(reply, result.error);
    },
  });

  r.route({
    ...bind(api.deleteVendor),
    handler: async (req, reply) => {
      const result = await deleteVendor(db, orgId(req), req.params.id);
      return result.ok ? reply.code(204).send() : sendFailure(reply, result.error);
    },
  });
};
