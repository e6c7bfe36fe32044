import type { z } from 'zod';
import { ApiErrorSchema, buildPath } from '../../server/api/contract.js';
import {
  PartySyncReportSchema,
  PushResultSchema,
  PushStateResponseSchema,
  QBO_PUSH_ROUTES,
  type PartySyncReportView,
  type PushResult,
  type PushStateResponse,
} from '../../server/routes/qbo-push/contract.js';
import { ApiRequestError } from '../api.js';

/** The push routes, parsed with the same schemas the server answers with. */
async function request<S extends z.ZodType>(
  route: { method: string; path: string },
  schema: S,
  params: Record<string, string> = {},
): Promise<z.output<S>> {
  const response = await fetch(buildPath(route.path, params), {
    method: route.method,
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = ApiErrorSchema.safeParse(body);
    if (!parsed.success) throw new ApiRequestError(response.status, 'internal', `The server answered ${response.status}`, undefined, {});
    throw new ApiRequestError(response.status, parsed.data.error, parsed.data.message, parsed.data.field, {});
  }
  return schema.parse(body);
}

export const fetchPushState = (documentId: string): Promise<PushStateResponse> =>
  request(QBO_PUSH_ROUTES.pushState, PushStateResponseSchema, { id: documentId });

export const pushToQuickBooks = (documentId: string): Promise<PushResult> => request(QBO_PUSH_ROUTES.push, PushResultSchema, { id: documentId });

export const syncParties = (role: 'customer' | 'vendor'): Promise<PartySyncReportView> =>
  request(role === 'customer' ? QBO_PUSH_ROUTES.syncClients : QBO_PUSH_ROUTES.syncVendors, PartySyncReportSchema);
