export { buildApp, type BuildAppOptions, type RouteInfo } from './app.js';
export { sessionOf, requireOwner } from './auth/plugin.js';
export type { SessionContext } from './auth/sessions.js';
export { hashPassword, verifyPassword } from './auth/passwords.js';
export { sendError, sendFailure } from './errors.js';
export { bind } from './routes/define.js';
export { typed, type RouteDeps, type RouteRegistrar } from './routes/deps.js';
