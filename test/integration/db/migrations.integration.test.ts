import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { migrateToLatest } from '../../../src/db/index.js';
import { migrations } from '../../../src/db/migrations/index.js';
import { describeEachDatabase } from '../../helpers/databases.js';

describeEachDatabase('migrations', (getDb, dialect) => {
  it('applies every migration once and a second run is a no-op', async () => {
    const { db } = getDb();
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());

    const again = await migrateToLatest(db);
    expect(again.results).toEqual([]);
  });

  it(`runs on ${dialect} with the dialect it says`, async () => {
    const { db, dialect: actual } = getDb();
    const probe =
      actual === 'postgres'
        ? await sql<{ v: string }>`select current_schema() as v`.execute(db)
        : await sql<{ v: string }>`select sqlite_version() as v`.execute(db);
    expect(actual).toBe(dialect);
    expect(probe.rows[0]?.v).toMatch(dialect === 'postgres' ? /^t_\d+_[0-9a-f]{8}$/ : /^3\./);
  });
});
