import type { Kysely, Migration } from 'kysely';

export const migration007Security: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Shared by every server process, so the log-in limit holds however many workers serve the API.
    await db.schema
      .createTable('login_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key_hash', 'text', (c) => c.notNull())
      .addColumn('attempted_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('login_attempts_key').on('login_attempts').columns(['key_hash', 'attempted_at']).execute();
    await db.schema.createIndex('login_attempts_age').on('login_attempts').column('attempted_at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('login_attempts').execute();
  },
};
