import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { migrateToLatest } from '../../../src/db/index.js';
import { migration010CategoryNames } from '../../../src/db/migrations/010_category_names.js';
import { migrations } from '../../../src/db/migrations/index.js';
import { createCategory } from '../../../src/domain/store/categories.js';
import { createOrganisation } from '../../../src/domain/store/organisations.js';
import { describeEachDatabase } from '../../helpers/databases.js';

describeEachDatabase('migrations', (getDb, dialect) => {
  it('applies every migration once and a second run is a no-op', async () => {
    const { db } = getDb();
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());

    const again = await migrateToLatest(db);
    expect(again.results).toEqual([]);
  });

  it('makes category names unique regardless of case, numbering the names that already clashed instead of dropping them', async () => {
    const { db } = getDb();
    const org = await createOrganisation(db, { name: 'Clashing categories', country: 'US', homeCurrency: 'USD' });
    const other = await createOrganisation(db, { name: 'Other studio', country: 'US', homeCurrency: 'USD' });
    await migration010CategoryNames.down?.(db as never);
    const at = (second: number) => `2026-01-01T00:00:0${second}.000Z`;
    const put = (orgId: string, id: string, name: string, second: number) =>
      db.insertInto('categories').values({ id, org_id: orgId, name, created_at: at(second), updated_at: at(second) }).execute();
    await put(org.id, 'c-1', 'Lighting', 1);
    await put(org.id, 'c-2', 'lighting', 2);
    await put(org.id, 'c-3', 'LIGHTING', 3);
    await put(org.id, 'c-4', 'lighting (2)', 0);
    await put(other.id, 'c-5', 'lighting', 4);

    await migration010CategoryNames.up(db as never);
    const names = await db.selectFrom('categories').select(['id', 'name']).where('id', 'in', ['c-1', 'c-2', 'c-3', 'c-4', 'c-5']).orderBy('id').execute();
    expect(names).toEqual([
      { id: 'c-1', name: 'Lighting' },
      { id: 'c-2', name: 'lighting (3)' },
      { id: 'c-3', name: 'LIGHTING (4)' },
      { id: 'c-4', name: 'lighting (2)' },
      { id: 'c-5', name: 'lighting' },
    ]);
    expect(await createCategory(db, org.id, { name: 'LiGhTiNg' })).toMatchObject({ ok: false, error: { kind: 'conflict', field: 'name' } });
    expect(await createCategory(db, other.id, { name: 'Lamps' })).toMatchObject({ ok: true });
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
