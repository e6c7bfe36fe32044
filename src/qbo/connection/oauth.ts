import { z } from 'zod';
import {
  err,
  ok,
  type OAuthEndpoints,
  parseOAuthError,
  parseWire,
  QboError,
  type QboTransport,
  RealmIdSchema,
  type RealmId,
  type Result,
  transportFailure,
} from '../client/index.js';
import type { DecryptedTokens } from './types.js';

export const QBO_ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';

// https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#exchange-authorization-code
const IntuitTokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string().optional(),
  expires_in: z.number().positive(),
  x_refresh_token_expires_in: z.number().positive().optional(),
});

export interface OAuthClientConfig {
  readonly endpoints: OAuthEndpoints;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly transport: QboTransport;
  readonly now?: () => number;
}

export type OAuthCallback =
  | { readonly kind: 'code'; readonly code: string; readonly state: string; readonly realmId: RealmId }
  | { readonly kind: 'denied'; readonly state: string | undefined; readonly error: string; readonly description: string | undefined };

export type CallbackProblem = 'missing_code' | 'missing_state' | 'invalid_realm';

/** Read Intuit's redirect back to us: either a code for a realm, or the user said no. */
export function parseOAuthCallback(query: Readonly<Record<string, unknown>>): Result<OAuthCallback, CallbackProblem> {
  const text = (key: string): string | undefined => {
    const value = query[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const state = text('state');
  const error = text('error');
  if (error !== undefined) return ok({ kind: 'denied', state, error, description: text('error_description') });
  const code = text('code');
  if (code === undefined) return err('missing_code');
  if (state === undefined) return err('missing_state');
  const realm = RealmIdSchema.safeParse(text('realmId'));
  if (!realm.success) return err('invalid_realm');
  return ok({ kind: 'code', code, state, realmId: realm.data });
}

/** Intuit's OAuth 2.0 endpoints (or the emulator's), spoken through the same transport as the API. */
export class IntuitOAuthClient {
  readonly #config: Readonly<Required<OAuthClientConfig>>;

  constructor(config: OAuthClientConfig) {
    this.#config = Object.freeze({ now: Date.now, ...config });
  }

  authorizeUrl(state: string, scopes: readonly string[] = [QBO_ACCOUNTING_SCOPE]): string {
    const url = new URL(this.#config.endpoints.authorizeUrl);
    url.searchParams.set('client_id', this.#config.clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', scopes.join(' '));
    url.searchParams.set('redirect_uri', this.#config.redirectUri);
    url.searchParams.set('state', state);
    return url.toString();
  }

  async exchangeCode(code: string): Promise<Result<DecryptedTokens, QboError>> {
    // https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#exchange-authorization-code
    return this.#tokenRequest(
      { grant_type: 'authorization_code', code, redirect_uri: this.#config.redirectUri },
      undefined,
    );
  }

  /** Intuit may rotate the refresh token; the answer is always the pair to store next. */
  async refresh(refreshToken: string): Promise<Result<DecryptedTokens, QboError>> {
    // https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#refresh-the-token
    return this.#tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }, refreshToken);
  }

  async revoke(token: string): Promise<Result<void, QboError>> {
    // https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#revoke-token-disconnect
    const response = await this.#post(this.#config.endpoints.revokeUrl, JSON.stringify({ token }), 'application/json');
    if (!response.ok) return response;
    return response.value.status >= 200 && response.value.status < 300 ? ok(undefined) : err(response.value.error);
  }

  async #tokenRequest(
    form: Record<string, string>,
    previousRefreshToken: string | undefined,
  ): Promise<Result<DecryptedTokens, QboError>> {
    const requestedAt = this.#config.now();
    const response = await this.#post(
      this.#config.endpoints.tokenUrl,
      new URLSearchParams(form).toString(),
      'application/x-www-form-urlencoded',
    );
    if (!response.ok) return response;
    const { status, text, error } = response.value;
    if (status < 200 || status >= 300) return err(error);
    try {
      const json: unknown = JSON.parse(text);
      const body = parseWire(IntuitTokenResponseSchema, json, 'token');
      const refreshToken = body.refresh_token ?? previousRefreshToken;
      if (refreshToken === undefined) {
        return err(new QboError({ code: 'qbo_unexpected_response', message: 'Intuit returned no refresh token' }));
      }
      return ok({
        accessToken: body.access_token,
        refreshToken,
        accessTokenExpiresAt: new Date(requestedAt + body.expires_in * 1000),
        refreshTokenExpiresAt:
          body.x_refresh_token_expires_in === undefined ? null : new Date(requestedAt + body.x_refresh_token_expires_in * 1000),
      });
    } catch (cause) {
      if (cause instanceof QboError) return err(cause);
      return err(new QboError({ code: 'qbo_unexpected_response', message: 'Intuit token answer is not JSON', status, cause }));
    }
  }

  async #post(
    url: string,
    body: string,
    contentType: string,
  ): Promise<Result<{ status: number; text: string; error: QboError }, QboError>> {
    const basic = Buffer.from(`${this.#config.clientId}:${this.#config.clientSecret}`, 'utf8').toString('base64');
    try {
      const response = await this.#config.transport.send({
        method: 'POST',
        url,
        headers: {
          Authorization: `Basic ${basic}`,
          Accept: 'application/json',
          'Content-Type': contentType,
        },
        body,
      });
      const text = await response.text();
      return ok({ status: response.status, text, error: parseOAuthError(response, text, this.#config.now()) });
    } catch (cause) {
      return err(transportFailure(cause));
    }
  }
}
