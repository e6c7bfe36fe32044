import type { z } from 'zod';
import {
  QBO_ROUTES,
  QboConnectionSchema,
  QboConnectResponseSchema,
  QboDisconnectResponseSchema,
  type QboConnection,
  type QboDisconnectResponse,
} from '../../../../server/routes/qbo/contract.js';

/** The QuickBooks connection routes, parsed with the same schemas the server answers with. */
async function request<S extends z.ZodType>(route: { method: string; path: string }, schema: S): Promise<z.output<S>> {
  const response = await fetch(route.path, {
    method: route.method,
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message =
      typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string'
        ? body.message
        : `The server answered ${response.status}`;
    throw new Error(message);
  }
  return schema.parse(body);
}

export const fetchQboConnection = (): Promise<QboConnection> => request(QBO_ROUTES.connection, QboConnectionSchema);

export const disconnectQbo = (): Promise<QboDisconnectResponse> => request(QBO_ROUTES.disconnect, QboDisconnectResponseSchema);

export const refreshQboFacts = (): Promise<QboConnection> => request(QBO_ROUTES.refreshFacts, QboConnectionSchema);

/** Connect and Reconnect are the same trip: to Intuit's company chooser, then back to Settings → Apps. */
export async function goConnectQbo(): Promise<void> {
  const { authorizeUrl } = await request(QBO_ROUTES.connect, QboConnectResponseSchema);
  window.location.assign(authorizeUrl);
}
