import { api } from '../api/contract.js';
import { createUser, getOrganisation, listUsers, removeUser, setUserRole, updateOrganisation } from '../../domain/store/organisations.js';
import { hashPassword } from '../auth/passwords.js';
import { requireOwner, sessionOf } from '../auth/plugin.js';
import { sendFailure } from '../errors.js';
import { bind } from './define.js';
import { typed, type RouteRegistrar } from './deps.js';
import { notFound } from '../../domain/store/failure.js';

export const organisationRoutes: RouteRegistrar = (app, { db }) => {
  const r = typed(app);

  r.route({
    ...bind(api.getOrganisation),
    handler: async (req, reply) => (await getOrganisation(db, sessionOf(req).organisation.id)) ?? sendFailure(reply, notFound),
  });

  r.route({
    ...bind(api.updateOrganisation),
    handler: async (req, reply) => {
      if (!requireOwner(req, reply)) return reply;
      return (await updateOrganisation(db, sessionOf(req).organisation.id, req.body)) ?? sendFailure(reply, notFound);
    },
  });

  r.route({
    ...bind(api.listUsers),
    handler: async (req) => ({ items: await listUsers(db, sessionOf(req).organisation.id) }),
  });

  r.route({
    ...bind(api.createUser),
    handler: async (req, reply) => {
      if (!requireOwner(req, reply)) return reply;
      const created = await createUser(db, {
        orgId: sessionOf(req).organisation.id,
        email: req.body.email,
        passwordHash: await hashPassword(req.body.password),
        role: req.body.role,
      });
      if (!created.ok) return sendFailure(reply, created.error);
      return reply.code(201).send(created.value);
    },
  });

  r.route({
    ...bind(api.setUserRole),
    handler: async (req, reply) => {
      if (!requireOwner(req, reply)) return reply;
      const { organisation, user } = sessionOf(req);
      const changed = await setUserRole(db, organisation.id, req.params.id, req.body.role, user.id);
      return changed.ok ? changed.value : sendFailure(reply, changed.error);
    },
  });

  r.route({
    ...bind(api.removeUser),
    handler: async (req, reply) => {
      if (!requireOwner(req, reply)) return reply;
      const { organisation, user } = sessionOf(req);
      const removed = await removeUser(db, organisation.id, req.params.id, user.id);
      return removed.ok ? reply.code(204).send() : sendFailure(reply, removed.error);
    },
  });
};
