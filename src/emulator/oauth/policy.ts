/**
 * Token lifetimes as Intuit applies them. Sources (also listed in docs/emulator.md):
 * - access token 3600 s: Intuit Authorization FAQ; blog 2024-06-03 "OAuth token management done the right way".
 * - refresh token: the FAQ says "100 days, rolling"; on the wire Intuit answers x_refresh_token_expires_in
 *   8726400 (101 days) for a fresh value and a shrinking number while the same value is returned again
 *   (intuit/oauth-jsclient README samples and issue #74), so the lifetime belongs to each value.
 * - the value rotates once it is 24-26 h old; until then refreshing returns the same value
 *   (intuit/oauth-jsclient#74, IntuitDeveloper/oauth2-nodejs#2, both answered by Intuit staff).
 * - a superseded value stops working as soon as a new one is returned (Intuit help article
 *   "Validity of Refresh Token", quoted in intuit/QuickBooks-V3-PHP-SDK#324 and #454). Older docs said
 *   "24 hours after you receive a new one"; the grace is configurable for that reading.
 * - hard maximum of five years from the original consent (Intuit blog 2025-11-12 "Important changes to
 *   refresh token policy"; intuit-oauth 4.2.4 `x_refresh_token_hard_expires_in`).
 * - authorization code lifetime: not documented by Intuit; RFC 6749 §4.1.2 asks for a short one.
 */
export interface TokenPolicy {
  accessTokenLifetimeS: number;
  refreshTokenLifetimeS: number;
  refreshTokenHardLifetimeS: number;
  rotateRefreshTokenAfterS: number;
  supersededRefreshTokenGraceS: number;
  authorizationCodeLifetimeS: number;
}

const DAY_S = 86_400;

export const INTUIT_TOKEN_POLICY: Readonly<TokenPolicy> = Object.freeze({
  accessTokenLifetimeS: 3600,
  refreshTokenLifetimeS: 101 * DAY_S,
  refreshTokenHardLifetimeS: 5 * 365 * DAY_S,
  rotateRefreshTokenAfterS: DAY_S,
  supersededRefreshTokenGraceS: 0,
  authorizationCodeLifetimeS: 300,
});
