import type { Kysely, Migration } from 'kysely';

export const migration011UserRemoval: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // A user who leaves the studio loses access but keeps their row: the Sync Center and the month-end pages still
    // say who pushed, linked or dismissed what.
    await db.schema.alterTable('users').addColumn('removed_at', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('users').dropColumn('removed_at').execute();
  },
};
