import { randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { CompanyDirectory, CompanyFile } from '../contract.js';
import { validateAuthorizeRequest, withQuery, type PendingAuthorizations } from './authorize.js';
import type { OAuthClientRegistration, OAuthClientRegistry } from './clients.js';
import { discoveryDocument, OAUTH_PATHS } from './discovery.js';
import { INTUIT_ISSUER, type IdTokenSigner } from './id-token.js';
import { renderConsentPage, renderErrorPage } from './pages.js';
import type { OAuthTokenService, TokenSet } from './token-service.js';

export interface OAuthRoutesOptions {
  clock: Clock;
  clients: OAuthClientRegistry;
  tokens: OAuthTokenService;
  directory: CompanyDirectory;
  signer: IdTokenSigner;
  pending: PendingAuthorizations;
}

/** The one user who "signs in" to the emulated Intuit account; userinfo answers with these claims. */
export const EMULATOR_USER = Object.freeze({
  sub: '4a1f3e2b-7c9d-4e5f-8a6b-0c1d2e3f4a5b',
  email: 'designer@workroom.example',
  givenName: 'Dana',
  familyName: 'Designer',
  phoneNumber: '+1 555-0100',
});

const str = z.string();
const DecisionSchema = z.object({
  pending: str,
  decision: z.enum(['approve', 'deny']),
  realmId: str.optional(),
});
const TokenRequestSchema = z.discriminatedUnion('grant_type', [
  z.object({ grant_type: z.literal('authorization_code'), code: str.min(1), redirect_uri: str.min(1) }),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: str.min(1) }),
]);
const RevokeSchema = z.object({ token: str.min(1) });
const ClientPostSchema = z.object({ client_id: str, client_secret: str });

/** Intuit stamps every response with a transaction id to quote to support. */
function intuitTid(): string {
  return `1-${randomBytes(4).toString('hex')}-${randomBytes(12).toString('hex')}`;
}

function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** client_secret_basic, else client_secret_post (both listed in Intuit's discovery document). */
function clientCredentials(request: FastifyRequest): { id: string; secret: string } | undefined {
  const header = request.headers.authorization;
  const basic = header === undefined ? undefined : /^basic\s+(\S+)\s*$/i.exec(header)?.[1];
  if (basic !== undefined) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  const posted = ClientPostSchema.safeParse(request.body);
  return posted.success ? { id: posted.data.client_id, secret: posted.data.client_secret } : undefined;
}

function companiesFor(directory: CompanyDirectory, client: OAuthClientRegistration): CompanyFile[] {
  return directory.listCompanies().filter((company) => client.environments.includes(company.environment));
}

export const oauthRoutes: FastifyPluginAsync<OAuthRoutesOptions> = async (app, options) => {
  const { clock, clients, tokens, directory, signer, pending } = options;
  await app.register(formbody);

  app.addHook('onRequest', async (_request, reply) => {
    reply.header('intuit_tid', intuitTid());
  });

  const errorPage = (reply: FastifyReply, message: string): FastifyReply =>
    reply.code(400).type('text/html; charset=utf-8').send(renderErrorPage(message));

  const authenticate = (request: FastifyRequest): Readonly<OAuthClientRegistration> | undefined => {
    const credentials = clientCredentials(request);
    return credentials && clients.authenticate(credentials.id, credentials.secret);
  };

  const tokenResponse = (request: FastifyRequest, set: TokenSet, withIdToken: boolean): Record<string, unknown> => {
    const body: Record<string, unknown> = {
      token_type: 'bearer',
      access_token: set.accessToken,
      expires_in: set.expiresIn,
      refresh_token: set.refreshToken,
      x_refresh_token_expires_in: set.refreshTokenExpiresIn,
    };
    // Opt-in header, as intuit-oauth 4.2.4 and the Java/.NET SDKs send it (Intuit blog 2025-11-12).
    if (request.headers['x-include-refresh-token-hard-expires-in'] === 'true') {
      body['x_refresh_token_hard_expires_in'] = set.refreshTokenHardExpiresIn;
    }
    if (withIdToken && set.grant.scopes.includes('openid')) {
      const now = Math.floor(clock.now() / 1000);
      body['id_token'] = signer.sign({
        sub: EMULATOR_USER.sub,
        aud: [set.grant.clientId],
        realmid: set.grant.realmId,
        auth_time: now,
        iat: now,
        exp: now + 3600,
        iss: INTUIT_ISSUER,
      });
    }
    return body;
  };

  app.get(OAUTH_PATHS.authorize, async (request, reply) => {
    const validation = validateAuthorizeRequest(request.query, clients);
    if (validation.kind === 'error_page') return errorPage(reply, validation.message);
    if (validation.kind === 'redirect') return reply.redirect(validation.location, 302);
    const { request: authorizeRequest } = validation;
    const html = renderConsentPage({
      appName: authorizeRequest.client.appName,
      pendingId: pending.add(authorizeRequest),
      companies: companiesFor(directory, authorizeRequest.client),
    });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });

  app.post(OAUTH_PATHS.decision, async (request, reply) => {
    const parsed = DecisionSchema.safeParse(request.body);
    if (!parsed.success) return errorPage(reply, 'The consent form was incomplete.');
    const authorizeRequest = pending.take(parsed.data.pending);
    if (!authorizeRequest) return errorPage(reply, 'This sign-in request has expired. Start again from the app.');
    const { client, redirectUri, scopes, state } = authorizeRequest;
    if (parsed.data.decision === 'deny') {
      return reply.redirect(withQuery(redirectUri, { error: 'access_denied', state }), 302);
    }
    const company = companiesFor(directory, client).find((c) => c.realmId === parsed.data.realmId);
    if (!company) return errorPage(reply, 'Choose one of the listed companies.');
    const code = tokens.issueCode({ clientId: client.clientId, redirectUri, realmId: company.realmId, scopes });
    return reply.redirect(withQuery(redirectUri, { code, state, realmId: company.realmId }), 302);
  });

  app.post(OAUTH_PATHS.token, async (request, reply) => {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const client = authenticate(request);
    if (!client) return reply.code(401).send({ error: 'invalid_client' });
    const grantType = isRecord(request.body) ? request.body['grant_type'] : undefined;
    const parsed = TokenRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const known = grantType === 'authorization_code' || grantType === 'refresh_token';
      const error = grantType !== undefined && !known ? 'unsupported_grant_type' : 'invalid_request';
      return reply.code(400).send({ error });
    }
    const outcome =
      parsed.data.grant_type === 'authorization_code'
        ? tokens.exchangeCode({ clientId: client.clientId, code: parsed.data.code, redirectUri: parsed.data.redirect_uri })
        : tokens.refresh({ clientId: client.clientId, refreshToken: parsed.data.refresh_token });
    // Intuit answers a dead code or refresh token with exactly this 25-byte body (oauth-jsclient#77, #128).
    if (!outcome.ok) return reply.code(400).send({ error: outcome.error });
    return tokenResponse(request, outcome.tokens, parsed.data.grant_type === 'authorization_code');
  });

  app.post(OAUTH_PATHS.revoke, async (request, reply) => {
    const client = authenticate(request);
    if (!client) return reply.code(401).send({ error: 'invalid_client' });
    const parsed = RevokeSchema.safeParse(request.body);
    // Intuit answers an unknown or already revoked token with 400 and an empty body (oauth-jsclient#18, #71).
    if (!parsed.success || !tokens.revoke({ clientId: client.clientId, token: parsed.data.token })) {
      return reply.code(400).send();
    }
    return reply.code(200).send();
  });

  app.get(OAUTH_PATHS.userInfo, async (request, reply) => {
    const grant = tokens.grantOfAccessToken(request.headers.authorization ?? '');
    if (typeof grant === 'string') return reply.code(401).send({ error: 'invalid_token' });
    if (!grant.scopes.includes('openid')) return reply.code(403).send({ error: 'insufficient_scope' });
    const has = (scope: string): boolean => grant.scopes.includes(scope);
    return {
      sub: EMULATOR_USER.sub,
      ...(has('email') ? { email: EMULATOR_USER.email, emailVerified: true } : {}),
      ...(has('profile') ? { givenName: EMULATOR_USER.givenName, familyName: EMULATOR_USER.familyName } : {}),
      ...(has('phone') ? { phoneNumber: EMULATOR_USER.phoneNumber, phoneNumberVerified: false } : {}),
    };
  });

  app.get(OAUTH_PATHS.jwks, (_request, reply) => reply.send(signer.jwks()));

  for (const path of [OAUTH_PATHS.discoveryProduction, OAUTH_PATHS.discoverySandbox]) {
    for (const variant of [path, `${path}/`]) {
      app.get(variant, (request, reply) => reply.send(discoveryDocument(baseUrlOf(request))));
    }
  }
};
