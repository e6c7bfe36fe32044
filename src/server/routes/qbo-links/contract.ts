/**
 * Link to QuickBooks record / Unlink on a client or vendor, and the "Possible duplicate" decision (Link or Create
 * anyway). The routes' shapes, shared by the server and the web panel. Browser-safe (zod only).
 */
import { z } from 'zod';

export const QBO_LINK_ROUTES = {
  view: { method: 'GET', path: '/api/qbo/links/:kind/:id' },
  search: { method: 'GET', path: '/api/qbo/links/:kind/:id/search' },
  link: { method: 'PUT', path: '/api/qbo/links/:kind/:id' },
  unlink: { method: 'DELETE', path: '/api/qbo/links/:kind/:id' },
  createAnyway: { method: 'POST', path: '/api/qbo/links/:kind/:id/create-anyway' },
} as const;

/** Workroom's words in the URL: a client links to a QBO customer, a vendor to a QBO vendor. */
export const LINK_KINDS = ['clients', 'vendors'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export const LinkParamsSchema = z.object({ kind: z.enum(LINK_KINDS), id: z.string().min(1).max(64) }).strict();

export const LinkSearchQuerySchema = z
  .object({
    q: z.string().max(100).default('').describe('part of the QuickBooks display name'),
    page: z.coerce.number().int().min(1).max(500).default(1),
  })
  .strict();

export const LinkBodySchema = z.object({ qboId: z.string().trim().regex(/^\d{1,20}$/, 'must be a QuickBooks id (digits)') }).strict();
export type LinkBody = z.infer<typeof LinkBodySchema>;

export const QboPartyChoiceSchema = z.object({
  qboId: z.string(),
  displayName: z.string(),
  active: z.boolean(),
  email: z.string().nullable(),
  /** The Workroom client/vendor this record is already linked to, if any. */
  linkedTo: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type QboPartyChoice = z.infer<typeof QboPartyChoiceSchema>;

export const LinkSearchPageSchema = z.object({
  items: z.array(QboPartyChoiceSchema),
  page: z.number().int(),
  hasMore: z.boolean(),
});
export type LinkSearchPage = z.infer<typeof LinkSearchPageSchema>;

export const PartyLinkViewSchema = z.object({
  kind: z.enum(LINK_KINDS),
  id: z.string(),
  name: z.string(),
  /** The company file links belong to; null when QuickBooks was never connected. */
  company: z.object({ realmId: z.string(), name: z.string(), connected: z.boolean() }).nullable(),
  link: z
    .object({
      qboId: z.string(),
      /** Read live from QuickBooks; null when it could not be read just now. */
      displayName: z.string().nullable(),
      active: z.boolean().nullable(),
      url: z.string().nullable(),
      /** Set when the link was made by hand (not matched by a push): who and when. */
      linkedByEmail: z.string().nullable(),
      linkedAt: z.string().nullable(),
    })
    .nullable(),
  duplicate: z
    .object({
      status: z.enum(['pending', 'create_anyway']),
      candidates: z.array(z.object({ qboId: z.string(), displayName: z.string() })),
      localName: z.string(),
      flaggedAt: z.string(),
      decidedAt: z.string().nullable(),
      stale: z.boolean(),
      message: z.string(),
    })
    .nullable(),
  /** Why part of the view is missing (QuickBooks unreachable…), in QuickBooks' own words where it gave some. */
  notice: z.string().nullable(),
});
export type PartyLinkView = z.infer<typeof PartyLinkViewSchema>;
