import { sql, type Kysely, type Migration } from 'kysely';

interface CategoryRow {
  id: string;
  org_id: string;
  name: string;
}

/**
 * Category names become unique per organisation regardless of case ("Lighting" and "lighting" are one category to a
 * studio, and would meet as one name in QuickBooks). Names that already clash keep their oldest holder; the others
 * get a number ("lighting (2)") rather than being merged or dropped, so no document line changes category.
 */
export const migration010CategoryNames: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const typed = db as unknown as Kysely<{ categories: CategoryRow & { created_at: string } }>;
    const rows = await typed.selectFrom('categories').select(['id', 'org_id', 'name']).orderBy('org_id').orderBy('created_at').orderBy('id').execute();
    const taken = new Set(rows.map((r) => `${r.org_id}\u0000${r.name.toLowerCase()}`));
    const holders = new Set<string>();
    for (const row of rows) {
      const key = `${row.org_id}\u0000${row.name.toLowerCase()}`;
      if (!holders.has(key)) {
        holders.add(key);
        continue;
      }
      let n = 2;
      while (taken.has(`${row.org_id}\u0000${row.name.toLowerCase()} (${n})`)) n += 1;
      const renamed = `${row.name} (${n})`;
      taken.add(`${row.org_id}\u0000${renamed.toLowerCase()}`);
      holders.add(`${row.org_id}\u0000${renamed.toLowerCase()}`);
      await typed.updateTable('categories').set({ name: renamed }).where('id', '=', row.id).execute();
    }
    await db.schema.createIndex('categories_org_lower_name_unique').on('categories').unique().expression(sql`org_id, lower(name)`).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('categories_org_lower_name_unique').execute();
  },
};
