import type { Kysely, Migration } from 'kysely';

export const migration005DocumentPushes: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // The latest push of each document to each company file: what a re-push updates, and what the document shows.
    await db.schema
      .createTable('document_pushes')
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('document_id', 'text', (c) => c.notNull())
      .addColumn('document_type', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('qbo_id', 'text')
      .addColumn('sync_token', 'text')
      .addColumn('qbo_doc_number', 'text')
      .addColumn('pushed_revision', 'integer')
      .addColumn('pushed_at', 'text')
      .addColumn('operation', 'text')
      .addColumn('workroom_total', 'text')
      .addColumn('qbo_total', 'text')
      .addColumn('total_difference', 'text')
      .addColumn('totals_reason', 'text')
      .addColumn('totals_detail', 'text')
      .addColumn('party_qbo_id', 'text')
      .addColumn('party_action', 'text')
      .addColumn('party_note', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error_qbo_code', 'text')
      .addColumn('error_title', 'text')
      .addColumn('error_message', 'text')
      .addColumn('error_detail', 'text')
      .addColumn('error_element', 'text')
      .addColumn('last_job_id', 'text')
      .addColumn('attempted_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('document_pushes_pk', ['org_id', 'realm_id', 'document_id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('document_pushes').execute();
  },
};
