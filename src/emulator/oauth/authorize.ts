import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { isRedirectUriAllowed, type OAuthClientRegistration, type OAuthClientRegistry } from './clients.js';
import { ACCOUNTING_SCOPE, OPENID_SCOPES } from './discovery.js';

/** An authorize request that passed every check and waits for the user's decision on the consent page. */
export interface AuthorizeRequest {
  client: Readonly<OAuthClientRegistration>;
  redirectUri: string;
  scopes: string[];
  state: string;
}

export type AuthorizeValidation =
  | { kind: 'ok'; request: AuthorizeRequest }
  /** Unknown client or unregistered redirect URI: Intuit shows an error page and never redirects. */
  | { kind: 'error_page'; message: string }
  /** Anything else goes back to the app as an OAuth error on its redirect URI (RFC 6749 §4.1.2.1). */
  | { kind: 'redirect'; location: string };

const KNOWN_SCOPES = new Set<string>([ACCOUNTING_SCOPE, 'com.intuit.quickbooks.payment', ...OPENID_SCOPES]);

const single = z.string().optional();
const AuthorizeQuerySchema = z.object({
  client_id: single,
  redirect_uri: single,
  response_type: single,
  scope: single,
  state: single,
});

export function withQuery(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

export function validateAuthorizeRequest(query: unknown, clients: OAuthClientRegistry): AuthorizeValidation {
  const parsed = AuthorizeQuerySchema.safeParse(query);
  if (!parsed.success) return { kind: 'error_page', message: 'The authorization request is malformed.' };
  const { client_id: clientId, redirect_uri: redirectUri, response_type: responseType, scope, state } = parsed.data;
  const client = clients.find(clientId);
  if (!client) return { kind: 'error_page', message: 'The client_id in this request is not a registered app.' };
  if (redirectUri === undefined || !isRedirectUriAllowed(client, redirectUri)) {
    return { kind: 'error_page', message: 'The redirect_uri in this request is not registered for this app.' };
  }
  const fail = (error: string, description: string): AuthorizeValidation => ({
    kind: 'redirect',
    location: withQuery(redirectUri, { error, error_description: description, ...(state ? { state } : {}) }),
  });
  if (responseType !== 'code') return fail('unsupported_response_type', 'response_type must be code');
  const scopes = (scope ?? '').split(/\s+/).filter((s) => s !== '');
  if (scopes.some((s) => !KNOWN_SCOPES.has(s)) || !scopes.includes(ACCOUNTING_SCOPE)) {
    return fail('invalid_scope', `scope must include ${ACCOUNTING_SCOPE}`);
  }
  if (state === undefined || state === '') return fail('invalid_request', 'state is required');
  return { kind: 'ok', request: { client, redirectUri, scopes, state } };
}

const PENDING_LIFETIME_MS = 30 * 60 * 1000;

/**
 * Authorize requests waiting on the consent page, keyed by an unguessable id carried in the form,
 * so the decision cannot swap the redirect URI or the client.
 */
export class PendingAuthorizations {
  readonly #clock: Clock;
  #pending = new Map<string, { request: AuthorizeRequest; expiresAt: number }>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  add(request: AuthorizeRequest): string {
    const id = randomBytes(18).toString('base64url');
    this.#pending.set(id, { request, expiresAt: this.#clock.now() + PENDING_LIFETIME_MS });
    return id;
  }

  /** Single use: the consent form cannot be replayed. */
  take(id: string): AuthorizeRequest | undefined {
    const entry = this.#pending.get(id);
    this.#pending.delete(id);
    return entry && this.#clock.now() < entry.expiresAt ? entry.request : undefined;
  }

  reset(): void {
    this.#pending.clear();
  }
}
