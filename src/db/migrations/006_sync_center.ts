import { sql, type Kysely, type Migration } from 'kysely';

export const migration006SyncCenter: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Who asked for the job's next attempt and why; copied into push_attempts when a worker takes it.
    await db.schema.alterTable('push_jobs').addColumn('next_attempt_by', 'text').execute();
    await db.schema
      .alterTable('push_jobs')
      .addColumn('next_attempt_trigger', 'text', (c) => c.notNull().defaultTo('push'))
      .execute();
    // A bulk batch's requestid and this job's item in it, written before the batch is sent, so a job taken
    // over after a crash asks QBO to replay that batch instead of creating the document a second time.
    await db.schema.alterTable('push_jobs').addColumn('batch_request_id', 'text').execute();
    await db.schema.alterTable('push_jobs').addColumn('batch_item_id', 'text').execute();
    // How often the current request_id has been claimed: only a job on its first claim under it may ride in a
    // batch (a batch carries one requestid for all its items, so a single write that may have happened under the
    // job's own requestid could not be replayed from there).
    await db.schema
      .alterTable('push_jobs')
      .addColumn('request_id_claims', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // Attempts since the last push or retry request, and when they began: automatic retries stop after a bounded
    // streak, and a user's Retry starts a new one (the job's total attempts keep counting for the history).
    await db.schema
      .alterTable('push_jobs')
      .addColumn('streak_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('push_jobs').addColumn('streak_started_at', 'text').execute();
    await sql`update push_jobs set next_attempt_by = started_by`.execute(db);
    await db.schema.createIndex('push_jobs_org_status').on('push_jobs').columns(['org_id', 'status']).execute();

    await db.schema
      .createTable('push_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('job_id', 'text', (c) => c.notNull())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('started_by', 'text')
      .addColumn('worker_id', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('outcome', 'text')
      .addColumn('qbo_id', 'text')
      .addColumn('qbo_code', 'text')
      .addColumn('qbo_message', 'text')
      .addColumn('qbo_detail', 'text')
      .execute();
    await db.schema.createIndex('push_attempts_job').on('push_attempts').columns(['job_id', 'attempt']).execute();

    await db.schema
      .createTable('push_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('started_by', 'text')
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('push_runs_org').on('push_runs').columns(['org_id', 'created_at']).execute();
    await db.schema
      .createTable('push_run_jobs')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('job_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('push_run_jobs_pk', ['run_id', 'job_id'])
      .execute();

    // The cross-process realm gate: one row per realm to serialise admissions, one row per granted call.
    await db.schema
      .createTable('qbo_realm_gates')
      .addColumn('realm_id', 'text', (c) => c.primaryKey())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('qbo_realm_permits')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('acquired_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('released_at', 'text')
      .execute();
    await db.schema.createIndex('qbo_realm_permits_realm').on('qbo_realm_permits').columns(['realm_id', 'acquired_at']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('qbo_realm_permits').execute();
    await db.schema.dropTable('qbo_realm_gates').execute();
    await db.schema.dropTable('push_run_jobs').execute();
    await db.schema.dropTable('push_runs').execute();
    await db.schema.dropTable('push_attempts').execute();
    await db.schema.dropIndex('push_jobs_org_status').execute();
    for (const column of ['streak_started_at', 'streak_attempts', 'request_id_claims', 'batch_item_id', 'batch_request_id', 'next_attempt_trigger', 'next_attempt_by']) {
      await db.schema.alterTable('push_jobs').dropColumn(column).execute();
    }
  },
};
