import { INTUIT_ISSUER } from './id-token.js';

/** Intuit's hosts become path prefixes on the emulator's single origin. */
export const OAUTH_PATHS = Object.freeze({
  authorize: '/connect/oauth2',
  decision: '/connect/oauth2/decision',
  token: '/oauth2/v1/tokens/bearer',
  revoke: '/v2/oauth2/tokens/revoke',
  userInfo: '/v1/openid_connect/userinfo',
  jwks: '/op/v1/jwks',
  // Paths as node-quickbooks fetches them (developer.api.intuit.com/.well-known/openid_configuration/,
  // developer.intuit.com/.well-known/openid_sandbox_configuration/); Intuit's discovery-doc page.
  discoveryProduction: '/.well-known/openid_configuration',
  discoverySandbox: '/.well-known/openid_sandbox_configuration',
});

export const ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';
export const OPENID_SCOPES = ['openid', 'email', 'profile', 'address', 'phone'] as const;

/**
 * Same fields as Intuit's documents (developer.intuit.com/.well-known/openid-sandbox-configuration).
 * Intuit's two documents differ only in the userinfo host, which is one path here, so both paths serve this.
 */
export function discoveryDocument(baseUrl: string): Record<string, unknown> {
  return {
    issuer: INTUIT_ISSUER,
    authorization_endpoint: `${baseUrl}${OAUTH_PATHS.authorize}`,
    token_endpoint: `${baseUrl}${OAUTH_PATHS.token}`,
    userinfo_endpoint: `${baseUrl}${OAUTH_PATHS.userInfo}`,
    revocation_endpoint: `${baseUrl}${OAUTH_PATHS.revoke}`,
    jwks_uri: `${baseUrl}${OAUTH_PATHS.jwks}`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: [...OPENID_SCOPES],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    claims_supported: ['aud', 'exp', 'iat', 'iss', 'realmid', 'sub'],
  };
}
