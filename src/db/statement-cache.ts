import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Kysely's SQLite driver prepares every query afresh; preparing cost as much CPU as running the query (a third of
 * a bulk push's time on our side). Statements are keyed by their SQL text, so the same query shape with new
 * parameters reuses one. Bounded because `in (…)` lists of every length are distinct texts; least recently used
 * goes first. Safe to share because Kysely runs one query at a time per connection and the product never streams
 * (a statement being iterated could not run another query).
 */
export function withStatementCache(database: SqliteDatabase, capacity = 500): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    prepare(sql) {
      const cached = statements.get(sql);
      if (cached !== undefined) {
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > capacity) {
        const oldest = statements.keys().next().value;
        if (oldest !== undefined) statements.delete(oldest);
      }
      return statement;
    },
    close() {
      statements.clear();
      database.close();
    },
  };
}
