/**
 * The HTTP API in one place: every route's path, method and zod schemas for params, query, body and
 * responses. The server binds these through the zod type provider and src/web imports the same
 * schemas and types, so the two cannot drift. Browser-safe: imports only zod and pure domain modules.
 */
import { z } from 'zod';
import { DocumentInputSchema, type LineInputSchema } from '../../domain/documents.js';
import { DOCUMENT_STATUSES, DOCUMENT_TYPES } from '../../domain/lifecycle.js';
import {
  CategorySchema,
  ClientSchema,
  DocumentSchema,
  DocumentSummarySchema,
  OrganisationSchema,
  pageOf,
  TaxCodeSchema,
  UserSchema,
  VendorSchema,
} from '../../domain/model.js';
import { OrganisationUpdateSchema, ROLES } from '../../domain/organisation.js';
import { CategoryInputSchema, ClientInputSchema, VendorInputSchema } from '../../domain/parties.js';
import { TaxCodeInputSchema } from '../../domain/tax.js';

export * from '../../domain/model.js';

export const SESSION_COOKIE = 'wr_session';

// ---------- errors ----------

export const API_ERROR_CODES = [
  'invalid_body',
  'invalid_query',
  'invalid_params',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_transition',
  'rate_limited',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const ValidationIssueSchema = z.object({ path: z.string(), code: z.string(), message: z.string() });
export type ValidationIssue = z.infer<typeof ValidationIssueSchema>;

/** Every non-2xx body. `field` names the first offending input ("lines.0.quantity") when there is one. */
export const ApiErrorSchema = z.object({
  error: z.enum(API_ERROR_CODES),
  message: z.string(),
  field: z.string().optional(),
  errors: z.array(ValidationIssueSchema).optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

// ---------- shared shapes ----------

const Id = z.string().min(1).max(64);

export const IdParamsSchema = z.object({ id: Id }).strict();

const pageQuery = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  /** Case-insensitive substring search on the list's names/numbers. */
  q: z.string().trim().max(200).optional(),
};
export const PageQuerySchema = z.object(pageQuery).strict();
export type PageQuery = z.output<typeof PageQuerySchema>;

export const DocumentListQuerySchema = z
  .object({
    ...pageQuery,
    type: z.enum(DOCUMENT_TYPES).optional(),
    status: z.enum(DOCUMENT_STATUSES).optional(),
    clientId: Id.optional(),
    vendorId: Id.optional(),
  })
  .strict();
export type DocumentListQuery = z.output<typeof DocumentListQuerySchema>;

export const SessionInfoSchema = z.object({ user: UserSchema, organisation: OrganisationSchema });
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const LoginBodySchema = z
  .object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(200) })
  .strict();
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const PasswordChangeSchema = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(8).max(200) })
  .strict();

export const UserCreateSchema = z
  .object({ email: z.email().max(254), password: z.string().min(8).max(200), role: z.enum(ROLES).default('member') })
  .strict();
export type UserCreateBody = z.input<typeof UserCreateSchema>;
export const UserRoleSchema = z.object({ role: z.enum(ROLES) }).strict();

export const HealthSchema = z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) });

/** Request bodies as the web UI builds them (before server-side defaults). */
export type ClientBody = z.input<typeof ClientInputSchema>;
export type VendorBody = z.input<typeof VendorInputSchema>;
export type CategoryBody = z.input<typeof CategoryInputSchema>;
export type TaxCodeBody = z.input<typeof TaxCodeInputSchema>;
export type DocumentBody = z.input<typeof DocumentInputSchema>;
export type DocumentLineBody = z.input<typeof LineInputSchema>;
export type OrganisationBody = z.input<typeof OrganisationUpdateSchema>;

// ---------- endpoints ----------

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface EndpointDef {
  method: HttpMethod;
  path: string;
  summary: string;
  tag: string;
  /** false only for health and login. */
  auth: boolean;
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
  /** The success status and its body schema (null: no body). */
  success: { status: 200 | 201 | 204; schema: z.ZodType | null };
}

const NoContent = { status: 204, schema: null } as const;
const crud = <Item extends z.ZodType, Input extends z.ZodType>(tag: string, base: string, item: Item, input: Input, noun: string) =>
  ({
    list: { method: 'GET', path: base, summary: `List ${noun}s`, tag, auth: true, querystring: PageQuerySchema, success: { status: 200, schema: pageOf(item) } },
    create: { method: 'POST', path: base, summary: `Create a ${noun}`, tag, auth: true, body: input, success: { status: 201, schema: item } },
    get: { method: 'GET', path: `${base}/:id`, summary: `Get a ${noun}`, tag, auth: true, params: IdParamsSchema, success: { status: 200, schema: item } },
    update: { method: 'PUT', path: `${base}/:id`, summary: `Replace a ${noun}`, tag, auth: true, params: IdParamsSchema, body: input, success: { status: 200, schema: item } },
    remove: { method: 'DELETE', path: `${base}/:id`, summary: `Delete a ${noun}`, tag, auth: true, params: IdParamsSchema, success: NoContent },
  }) as const;

const clients = crud('clients', '/api/clients', ClientSchema, ClientInputSchema, 'client');
const vendors = crud('vendors', '/api/vendors', VendorSchema, VendorInputSchema, 'vendor');
const categories = crud('categories', '/api/categories', CategorySchema, CategoryInputSchema, 'category');
const taxCodes = crud('tax codes', '/api/tax-codes', TaxCodeSchema, TaxCodeInputSchema, 'tax code');
const documents = crud('documents', '/api/documents', DocumentSchema, DocumentInputSchema, 'document');

export const api = {
  health: { method: 'GET', path: '/api/health', summary: 'Liveness and database dialect', tag: 'system', auth: false, success: { status: 200, schema: HealthSchema } },

  login: { method: 'POST', path: '/api/auth/login', summary: 'Log in; sets the wr_session cookie', tag: 'auth', auth: false, body: LoginBodySchema, success: { status: 200, schema: SessionInfoSchema } },
  logout: { method: 'POST', path: '/api/auth/logout', summary: 'Log out; ends the session', tag: 'auth', auth: true, success: NoContent },
  changePassword: { method: 'POST', path: '/api/auth/password', summary: 'Change your own password; ends your other sessions', tag: 'auth', auth: true, body: PasswordChangeSchema, success: NoContent },
  me: { method: 'GET', path: '/api/auth/me', summary: 'The logged-in user and organisation', tag: 'auth', auth: true, success: { status: 200, schema: SessionInfoSchema } },

  getOrganisation: { method: 'GET', path: '/api/organisation', summary: 'The current organisation', tag: 'organisation', auth: true, success: { status: 200, schema: OrganisationSchema } },
  updateOrganisation: { method: 'PUT', path: '/api/organisation', summary: 'Update name and Sales Tax % (owners only)', tag: 'organisation', auth: true, body: OrganisationUpdateSchema, success: { status: 200, schema: OrganisationSchema } },
  listUsers: { method: 'GET', path: '/api/users', summary: "The organisation's users", tag: 'organisation', auth: true, success: { status: 200, schema: z.object({ items: z.array(UserSchema) }) } },
  createUser: { method: 'POST', path: '/api/users', summary: 'Add a user to the organisation (owners only)', tag: 'organisation', auth: true, body: UserCreateSchema, success: { status: 201, schema: UserSchema } },
  setUserRole: { method: 'PUT', path: '/api/users/:id/role', summary: "Make a user an owner or a member (owners only, not oneself)", tag: 'organisation', auth: true, params: IdParamsSchema, body: UserRoleSchema, success: { status: 200, schema: UserSchema } },
  removeUser: { method: 'DELETE', path: '/api/users/:id', summary: "End a user's access (owners only); their name stays in the history", tag: 'organisation', auth: true, params: IdParamsSchema, success: NoContent },

  listClients: clients.list,
  createClient: clients.create,
  getClient: clients.get,
  updateClient: clients.update,
  deleteClient: { ...clients.remove, summary: 'Delete a client (409 when documents use it)' },

  listVendors: vendors.list,
  createVendor: vendors.create,
  getVendor: vendors.get,
  updateVendor: vendors.update,
  deleteVendor: { ...vendors.remove, summary: 'Delete a vendor (409 when documents use it)' },

  listCategories: categories.list,
  createCategory: categories.create,
  getCategory: categories.get,
  updateCategory: categories.update,
  deleteCategory: { ...categories.remove, summary: 'Delete a category (409 when lines use it)' },

  listTaxCodes: taxCodes.list,
  createTaxCode: taxCodes.create,
  getTaxCode: taxCodes.get,
  updateTaxCode: { ...taxCodes.update, summary: 'Replace a tax code (rates are fixed once documents use it: 409)' },
  deleteTaxCode: { ...taxCodes.remove, summary: 'Delete a tax code (409 when lines use it)' },

  listDocuments: { ...documents.list, summary: 'List estimates, invoices and purchase orders', querystring: DocumentListQuerySchema, success: { status: 200, schema: pageOf(DocumentSummarySchema) } },
  createDocument: { ...documents.create, summary: 'Create a draft document (number assigned when omitted)' },
  getDocument: documents.get,
  updateDocument: { ...documents.update, summary: 'Replace a document and its lines; bumps revision (type cannot change)' },
  deleteDocument: { ...documents.remove, summary: 'Delete a draft document (409 once issued)' },
  finalizeDocument: { method: 'POST', path: '/api/documents/:id/finalize', summary: 'Estimate / invoice: draft → final', tag: 'documents', auth: true, params: IdParamsSchema, success: { status: 200, schema: DocumentSchema } },
  approveDocument: { method: 'POST', path: '/api/documents/:id/approve', summary: 'Purchase order: draft → approved', tag: 'documents', auth: true, params: IdParamsSchema, success: { status: 200, schema: DocumentSchema } },
} as const satisfies Record<string, EndpointDef>;

export type Api = typeof api;
export type EndpointName = keyof Api;

type SchemaOf<E, K extends string> = E extends Record<K, infer S extends z.ZodType> ? S : never;
/** What a caller sends: body before defaults are applied. */
export type ApiBody<N extends EndpointName> = z.input<SchemaOf<Api[N], 'body'>>;
export type ApiQuery<N extends EndpointName> = z.input<SchemaOf<Api[N], 'querystring'>>;
export type ApiParams<N extends EndpointName> = z.input<SchemaOf<Api[N], 'params'>>;
/** What a caller receives on success (undefined for 204). */
export type ApiSuccess<N extends EndpointName> = Api[N]['success']['schema'] extends infer S extends z.ZodType ? z.output<S> : undefined;

/** "/api/clients/:id" + { id: "c1" } → "/api/clients/c1" (ids URL-encoded). */
export function buildPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(value);
  });
}

/** Live totals in the editor use the exact function the server stores totals with. */
export { computeDocumentTotals, type DocumentTotals, type TaxContext } from '../../domain/totals.js';
