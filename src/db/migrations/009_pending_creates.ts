import type { Kysely, Migration } from 'kysely';

export const migration009PendingCreates: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // A create of a document that may have reached QBO without its answer being recorded: every later push of that
    // document re-sends it under the same requestid (or looks for it first) until QBO's id is recorded.
    await db.schema
      .createTable('qbo_pending_creates')
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('document_id', 'text', (c) => c.notNull())
      .addColumn('doc_number', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('batch_item_id', 'text')
      .addColumn('replaces_qbo_id', 'text')
      .addColumn('sent_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('qbo_pending_creates_pk', ['org_id', 'realm_id', 'document_id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('qbo_pending_creates').execute();
  },
};
