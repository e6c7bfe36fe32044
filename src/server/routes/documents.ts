import { api } from '../api/contract.js';
import {
  applyDocumentAction,
  createDocument,
  deleteDocument,
  getDocument,
  listDocuments,
  updateDocument,
} from '../../domain/store/documents.js';
import { notFound } from '../../domain/store/failure.js';
import { sessionOf } from '../auth/plugin.js';
import { sendFailure } from '../errors.js';
import { bind } from './define.js';
import { typed, type RouteRegistrar } from './deps.js';

export const documentRoutes: RouteRegistrar = (app, { db }) => {
  const r = typed(app);
  const org = (req: Parameters<typeof sessionOf>[0]) => sessionOf(req).organisation;

  r.route({ ...bind(api.listDocuments), handler: async (req) => listDocuments(db, org(req).id, req.query) });

  r.route({
    ...bind(api.createDocument),
    handler: async (req, reply) => {
      const result = await createDocument(db, org(req), req.body);
      return result.ok ? reply.code(201).send(result.value) : sendFailure(reply, result.error);
    },
  });

  r.route({
    ...bind(api.getDocument),
    handler: async (req, reply) => (await getDocument(db, org(req), req.params.id)) ?? sendFailure(reply, notFound),
  });

  r.route({
    ...bind(api.updateDocument),
    handler: async (req, reply) => {
      const result = await updateDocument(db, org(req), req.params.id, req.body);
      return result.ok ? result.value : sendFailure(reply, result.error);
    },
  });

  r.route({
    ...bind(api.deleteDocument),
    handler: async (req, reply) => {
      const result = await deleteDocument(db, org(req).id, req.params.id);
      return result.ok ? reply.code(204).send() : sendFailure(reply, result.error);
    },
  });

  for (const [def, action] of [
    [api.finalizeDocument, 'finalize'],
    [api.approveDocument, 'approve'],
  ] as const) {
    r.route({
      ...bind(def),
      handler: async (req, reply) => {
        const result = await applyDocumentAction(db, org(req), req.params.id, action);
        return result.ok ? result.value : sendFailure(reply, result.error);
      },
    });
  }
};
