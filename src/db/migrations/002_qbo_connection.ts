import type { Kysely, Migration } from 'kysely';

export const migration002QboConnection: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('qbo_connections')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().unique().references('organisations.id').onDelete('cascade'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('access_token_enc', 'text')
      .addColumn('access_token_expires_at', 'text')
      .addColumn('refresh_token_enc', 'text')
      .addColumn('refresh_token_expires_at', 'text')
      .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('company_name', 'text', (c) => c.notNull())
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('home_currency', 'text', (c) => c.notNull())
      .addColumn('multicurrency_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('tax_model', 'text', (c) => c.notNull())
      .addColumn('facts_refreshed_at', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('connected_by', 'text')
      .addColumn('connected_at', 'text', (c) => c.notNull())
      .addColumn('disconnected_at', 'text')
      .addColumn('last_refreshed_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('qbo_oauth_states')
      .addColumn('state_hash', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    // Expired states are swept by age.
    await db.schema.createIndex('qbo_oauth_states_expiry').on('qbo_oauth_states').column('expires_at').execute();

    await db.schema
      .createTable('qbo_id_map')
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('realm_id', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('local_id', 'text', (c) => c.notNull())
      .addColumn('qbo_id', 'text', (c) => c.notNull())
      .addColumn('sync_token', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('qbo_id_map_pk', ['org_id', 'realm_id', 'entity_type', 'local_id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('qbo_id_map').execute();
    await db.schema.dropTable('qbo_oauth_states').execute();
    await db.schema.dropTable('qbo_connections').execute();
  },
};
