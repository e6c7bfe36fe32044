import { sql, type Expression, type SqlBool } from 'kysely';

/** Case-insensitive "contains" that treats %, _ and ! in the search text literally, on both dialects. */
export function containsIgnoreCase(column: string, needle: string): Expression<SqlBool> {
  const escaped = needle.toLowerCase().replace(/[!%_]/g, (ch) => `!${ch}`);
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${`%${escaped}%`} escape '!'`;
}

export function pageWindow(page: number, pageSize: number): { limit: number; offset: number } {
  return { limit: pageSize, offset: (page - 1) * pageSize };
}
