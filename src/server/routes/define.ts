import type { z } from 'zod';
import { ApiErrorSchema, type EndpointDef } from '../api/contract.js';

type Part<E, K extends string> = E extends { readonly [P in K]: infer S extends z.ZodType } ? S : undefined;
type SuccessSchema<E> = E extends { success: { schema: infer S extends z.ZodType } } ? S : undefined;
type SuccessStatus<E> = E extends { success: { status: infer S extends number } } ? S : never;

const errorResponses = {
  400: ApiErrorSchema.describe('Invalid params, query or body'),
  401: ApiErrorSchema.describe('Not logged in'),
  403: ApiErrorSchema.describe('Not allowed for this role'),
  404: ApiErrorSchema.describe('No such object in your organisation'),
  409: ApiErrorSchema.describe('Conflicts with the current state'),
};

export interface BoundSchema<E extends EndpointDef> {
  summary: string;
  tags: string[];
  params: Part<E, 'params'>;
  querystring: Part<E, 'querystring'>;
  body: Part<E, 'body'>;
  response: { [S in SuccessStatus<E>]: SuccessSchema<E> } & typeof errorResponses;
}

/**
 * Turns a contract entry into Fastify route options, keeping its zod schemas' precise types so the
 * handler's request and return types come from the contract. The casts only narrow optional parts
 * to what this particular entry declares.
 */
export function bind<E extends EndpointDef>(def: E): { method: E['method']; url: string; config: { auth: boolean }; schema: BoundSchema<E> } {
  const success = def.success.schema ? { [def.success.status]: def.success.schema } : {};
  // Absent parts are left out rather than set to undefined, which Fastify warns about.
  const schema = {
    summary: def.summary,
    tags: [def.tag],
    ...(def.params ? { params: def.params } : {}),
    ...(def.querystring ? { querystring: def.querystring } : {}),
    ...(def.body ? { body: def.body } : {}),
    response: { ...success, ...errorResponses },
  } as BoundSchema<E>;
  return { method: def.method, url: def.path, config: { auth: def.auth }, schema };
}
