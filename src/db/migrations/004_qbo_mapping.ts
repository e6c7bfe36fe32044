import type { Kysely, Migration } from 'kysely';

export const migration004QboMapping: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // One row per company file: mapped ids belong to one realm's chart, so another realm starts unmapped.
    await db.schema
      .createTable('qbo_mappings')
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('account_mapping', 'text', (c) => c.notNull())
      .addColumn('tax_mapping', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('qbo_mappings_pk', ['org_id', 'realm_id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('qbo_mappings').execute();
  },
};
