import type { FastifyReply } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { LinkServiceError, LinkView, PartyLinkService } from '../../../qbo/sync/month-end-links.js';
import { ApiErrorSchema } from '../../api/contract.js';
import { sessionOf } from '../../auth/plugin.js';
import { sendError } from '../../errors.js';
import {
  LinkBodySchema,
  LinkParamsSchema,
  LinkSearchPageSchema,
  LinkSearchQuerySchema,
  PartyLinkViewSchema,
  QBO_LINK_ROUTES,
  type PartyLinkView,
} from './contract.js';

export interface QboLinkRoutesOptions {
  readonly links: PartyLinkService;
}

const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema, 502: ApiErrorSchema };

/** The API view is exactly the service's; this assignment fails to compile if they drift apart. */
const toApi = (view: LinkView): PartyLinkView => view;

function sendLinkError(reply: FastifyReply, error: LinkServiceError): FastifyReply {
  if (error.kind === 'not_found') return sendError(reply, 404, { error: 'not_found', message: error.message });
  if (error.kind === 'conflict') return sendError(reply, 409, { error: 'conflict', message: error.message });
  return sendError(reply, 502, { error: 'internal', message: error.message });
}

/** Client / vendor → Link to QuickBooks record, Unlink, and Create anyway after a Possible duplicate. */
export const qboLinkRoutes: FastifyPluginCallbackZod<QboLinkRoutesOptions> = (app, { links }, done) => {
  const tags = ['quickbooks'];
  const orgOf = (request: Parameters<typeof sessionOf>[0]) => sessionOf(request).organisation.id;

  app.get(
    QBO_LINK_ROUTES.view.path,
    {
      config: { auth: true },
      schema: { summary: 'The QuickBooks record a client or vendor is linked to, and any Possible duplicate', tags, params: LinkParamsSchema, response: { 200: PartyLinkViewSchema, ...errors } },
    },
    async (request, reply) => {
      const view = await links.view(orgOf(request), request.params.kind, request.params.id);
      return view.ok ? toApi(view.value) : sendLinkError(reply, view.error);
    },
  );

  app.get(
    QBO_LINK_ROUTES.search.path,
    {
      config: { auth: true },
      schema: {
        summary: "Type-ahead over the connected company's customers or vendors, a page at a time",
        tags,
        params: LinkParamsSchema,
        querystring: LinkSearchQuerySchema,
        response: { 200: LinkSearchPageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { kind, id } = request.params;
      const page = await links.search(orgOf(request), kind, id, request.query.q, request.query.page);
      return page.ok ? page.value : sendLinkError(reply, page.error);
    },
  );

  app.put(
    QBO_LINK_ROUTES.link.path,
    {
      config: { auth: true },
      schema: {
        summary: 'Link to an existing QuickBooks record (refused when another client or vendor already uses it)',
        tags,
        params: LinkParamsSchema,
        body: LinkBodySchema,
        response: { 200: PartyLinkViewSchema, ...errors },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      const view = await links.link(session.organisation.id, request.params.kind, request.params.id, request.body.qboId, session.user.id);
      return view.ok ? toApi(view.value) : sendLinkError(reply, view.error);
    },
  );

  app.delete(
    QBO_LINK_ROUTES.unlink.path,
    {
      config: { auth: true },
      schema: { summary: 'Forget the linked QuickBooks record; the next push looks the name up again', tags, params: LinkParamsSchema, response: { 200: PartyLinkViewSchema, ...errors } },
    },
    async (request, reply) => {
      const view = await links.unlink(orgOf(request), request.params.kind, request.params.id);
      return view.ok ? toApi(view.value) : sendLinkError(reply, view.error);
    },
  );

  app.post(
    QBO_LINK_ROUTES.createAnyway.path,
    {
      config: { auth: true },
      schema: { summary: 'After a Possible duplicate: let the next push create the record anyway', tags, params: LinkParamsSchema, response: { 200: PartyLinkViewSchema, ...errors } },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      const view = await links.createAnyway(session.organisation.id, request.params.kind, request.params.id, session.user.id);
      return view.ok ? toApi(view.value) : sendLinkError(reply, view.error);
    },
  );
  done();
};
