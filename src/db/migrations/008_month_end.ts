import type { Kysely, Migration } from 'kysely';

export const migration008MonthEnd: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // A push that would have created a customer/vendor next to a close-named QBO one, and what the user decided.
    await db.schema
      .createTable('qbo_party_duplicates')
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('local_id', 'text', (c) => c.notNull())
      .addColumn('local_name', 'text', (c) => c.notNull())
      .addColumn('name_key', 'text', (c) => c.notNull())
      .addColumn('candidates', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('flagged_at', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addPrimaryKeyConstraint('qbo_party_duplicates_pk', ['org_id', 'realm_id', 'entity_type', 'local_id'])
      .execute();
    // Links made by hand: the QBO name chosen, who and when, so a later rename in QBO can be told from the link itself.
    await db.schema
      .createTable('qbo_party_links')
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('local_id', 'text', (c) => c.notNull())
      .addColumn('qbo_id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('linked_by', 'text')
      .addColumn('linked_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('qbo_party_links_pk', ['org_id', 'realm_id', 'entity_type', 'local_id'])
      .execute();
    // Dismissed failed pushes: the reason, who and when, kept next to the job history.
    await db.schema
      .createTable('push_dismissals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('job_id', 'text', (c) => c.notNull().unique())
      .addColumn('document_id', 'text', (c) => c.notNull())
      .addColumn('document_revision', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('dismissed_by', 'text')
      .addColumn('dismissed_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('push_dismissals_document').on('push_dismissals').columns(['org_id', 'realm_id', 'document_id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('push_dismissals').execute();
    await db.schema.dropTable('qbo_party_links').execute();
    await db.schema.dropTable('qbo_party_duplicates').execute();
  },
};
