import type { CoreTables } from './tables/core.js';
import type { MonthEndTables } from './tables/month-end.js';
import type { QboTables } from './tables/qbo.js';
import type { SecurityTables } from './tables/security.js';
import type { SyncTables } from './tables/sync.js';

/**
 * Every table, typed for Kysely. Each area declares its tables in src/db/tables/<area>.ts and is
 * intersected here, so one migration set and one Database type serve both dialects.
 */
export type Database = CoreTables & QboTables & SyncTables & SecurityTables & MonthEndTables;
