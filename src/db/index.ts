export { openDatabase, type DatabaseConfig, type DatabaseHandle, type DialectName } from './dialect.js';
export { migrateToLatest } from './migrate.js';
export { newId, nowIso } from './ids.js';
export type { Database } from './schema.js';
export { yieldToEventLoop } from './yield.js';
