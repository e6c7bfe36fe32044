import type { Kysely, Migration } from 'kysely';

export const migration003PushQueue: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('push_jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('document_id', 'text', (c) => c.notNull())
      .addColumn('document_type', 'text', (c) => c.notNull())
      .addColumn('document_revision', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('run_after', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'text')
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('bulk_run_id', 'text')
      .addColumn('qbo_id', 'text')
      .addColumn('qbo_code', 'text')
      .addColumn('qbo_message', 'text')
      .addColumn('qbo_detail', 'text')
      .addColumn('started_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    // The worker's claim scans by status and due time; the Sync Center pages an org's history newest first.
    await db.schema.createIndex('push_jobs_claim').on('push_jobs').columns(['status', 'run_after']).execute();
    await db.schema.createIndex('push_jobs_history').on('push_jobs').columns(['org_id', 'created_at']).execute();
    await db.schema.createIndex('push_jobs_document').on('push_jobs').columns(['org_id', 'document_id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('push_jobs').execute();
  },
};
