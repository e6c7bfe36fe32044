export { PendingAuthorizations } from './authorize.js';
export {
  DEFAULT_OAUTH_CLIENT,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  OAuthClientRegistry,
  type OAuthClientRegistration,
} from './clients.js';
export { ACCOUNTING_SCOPE, discoveryDocument, OAUTH_PATHS } from './discovery.js';
export { IdTokenSigner, INTUIT_ISSUER } from './id-token.js';
export { INTUIT_TOKEN_POLICY, type TokenPolicy } from './policy.js';
export { EMULATOR_USER, oauthRoutes, type OAuthRoutesOptions } from './routes.js';
export {
  OAuthTokenService,
  type GrantSummary,
  type OAuthTokenServiceOptions,
  type TokenServiceSnapshot,
  type TokenSet,
} from './token-service.js';
export { DebouncedSaver, readOAuthState, writeOAuthState } from './persistence.js';
