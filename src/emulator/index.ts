/**
 * Local QuickBooks Online: Intuit's OAuth 2.0 server and the Accounting API v3 on one HTTP server.
 * How to run it, the URL layout, what it reproduces and how it differs from Intuit: docs/emulator.md.
 */
export { ControllableClock, type Clock } from './clock.js';
export type { AccessCheck, AccessTokenVerifier, CompanyDirectory, CompanyFile, QboEnvironment } from './contract.js';
export { CONTROL_PREFIX, type EmulatorControl } from './control.js';
export {
  ACCOUNTING_SCOPE,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  INTUIT_TOKEN_POLICY,
  type OAuthClientRegistration,
  type TokenPolicy,
} from './oauth/index.js';
export {
  createEmulator,
  emulatorUrls,
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type EmulatorUrls,
  type StartedEmulator,
} from './server.js';
