import type { z } from 'zod';
import { ApiErrorSchema } from '../../../../server/api/contract.js';
import {
  QBO_MAPPING_ROUTES,
  QboMappingGapsSchema,
  QboMappingViewSchema,
  type AccountMappingBody,
  type QboMappingGaps,
  type QboMappingView,
  type TaxMappingBody,
} from '../../../../server/routes/qbo-mapping/contract.js';
import { ApiRequestError } from '../../../api.js';

/** The mapping routes, parsed with the schemas the server answers with; failures keep the server's field errors. */
async function send<S extends z.ZodType>(route: { method: string; path: string }, schema: S, body?: unknown): Promise<z.output<S>> {
  const response = await fetch(route.path, {
    method: route.method,
    credentials: 'same-origin',
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) throw requestError(response.status, json);
  return schema.parse(json);
}

function requestError(status: number, body: unknown): ApiRequestError {
  const parsed = ApiErrorSchema.safeParse(body);
  if (!parsed.success) return new ApiRequestError(status, 'internal', `The server answered ${status}`, undefined, {});
  const { error, message, field, errors } = parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of errors ?? []) fields[issue.path] ??= issue.message;
  if (field !== undefined) fields[field] ??= message;
  return new ApiRequestError(status, error, message, field, fields);
}

export const fetchMapping = (): Promise<QboMappingView> => send(QBO_MAPPING_ROUTES.get, QboMappingViewSchema);

export const fetchMappingGaps = (): Promise<QboMappingGaps> => send(QBO_MAPPING_ROUTES.gaps, QboMappingGapsSchema);

export const saveAccountMapping = (body: AccountMappingBody): Promise<QboMappingView> =>
  send(QBO_MAPPING_ROUTES.putAccounts, QboMappingViewSchema, body);

export const saveTaxMapping = (body: TaxMappingBody): Promise<QboMappingView> => send(QBO_MAPPING_ROUTES.putTax, QboMappingViewSchema, body);
