import type { Kysely, Migration } from 'kysely';

/** Workroom core: organisations, users, sessions, parties, tax codes, documents (see tables/core.ts). */
export const migration001Core: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('organisations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('home_currency', 'text', (c) => c.notNull())
      .addColumn('sales_tax_rate', 'text', (c) => c.notNull().defaultTo('0'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('users_org').on('users').columns(['org_id', 'email']).execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_expiry').on('sessions').column('expires_at').execute();

    await db.schema
      .createTable('clients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('full_name', 'text', (c) => c.notNull())
      .addColumn('info_name', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('billing_line1', 'text', (c) => c.notNull())
      .addColumn('billing_city', 'text', (c) => c.notNull())
      .addColumn('billing_region', 'text', (c) => c.notNull())
      .addColumn('billing_postal_code', 'text', (c) => c.notNull())
      .addColumn('billing_country', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('clients_org_name').on('clients').columns(['org_id', 'info_name']).execute();

    await db.schema
      .createTable('vendors')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('address_line1', 'text', (c) => c.notNull())
      .addColumn('address_city', 'text', (c) => c.notNull())
      .addColumn('address_region', 'text', (c) => c.notNull())
      .addColumn('address_postal_code', 'text', (c) => c.notNull())
      .addColumn('address_country', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('vendors_org_name').on('vendors').columns(['org_id', 'name']).execute();

    await db.schema
      .createTable('categories')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('categories_org_name_unique', ['org_id', 'name'])
      .execute();

    await db.schema
      .createTable('tax_codes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('tax_codes_org_name_unique', ['org_id', 'name'])
      .execute();

    await db.schema
      .createTable('tax_code_components')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('tax_code_id', 'text', (c) => c.notNull().references('tax_codes.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('rate', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('tax_code_components_code').on('tax_code_components').columns(['tax_code_id', 'position']).execute();

    await db.schema
      .createTable('document_sequences')
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('next_number', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('document_sequences_pk', ['org_id', 'type'])
      .execute();

    await db.schema
      .createTable('documents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.references('clients.id'))
      .addColumn('vendor_id', 'text', (c) => c.references('vendors.id'))
      .addColumn('issue_date', 'text', (c) => c.notNull())
      .addColumn('due_date', 'text')
      .addColumn('expiration_date', 'text')
      .addColumn('expected_date', 'text')
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('sales_tax_rate', 'text')
      .addColumn('is_retainer', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('notes', 'text', (c) => c.notNull())
      .addColumn('subtotal', 'text', (c) => c.notNull())
      .addColumn('tax_total', 'text', (c) => c.notNull())
      .addColumn('total', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('documents_org_type_number_unique', ['org_id', 'type', 'number'])
      .execute();
    // Lists page newest-first within an org, usually filtered by type (and status).
    await db.schema.createIndex('documents_org_type_issue').on('documents').columns(['org_id', 'type', 'issue_date']).execute();
    await db.schema.createIndex('documents_org_issue').on('documents').columns(['org_id', 'issue_date']).execute();
    await db.schema.createIndex('documents_client').on('documents').column('client_id').execute();
    await db.schema.createIndex('documents_vendor').on('documents').column('vendor_id').execute();

    await db.schema
      .createTable('document_lines')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('quantity', 'text', (c) => c.notNull())
      .addColumn('rate', 'text', (c) => c.notNull())
      .addColumn('category_id', 'text', (c) => c.references('categories.id'))
      .addColumn('taxable', 'integer', (c) => c.notNull())
      .addColumn('tax_code_id', 'text', (c) => c.references('tax_codes.id'))
      .addColumn('markup_percent', 'text', (c) => c.notNull())
      .addColumn('vendor_discount_percent', 'text', (c) => c.notNull())
      .addColumn('amount', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('document_lines_document').on('document_lines').columns(['document_id', 'position']).execute();
    await db.schema.createIndex('document_lines_category').on('document_lines').column('category_id').execute();
    await db.schema.createIndex('document_lines_tax_code').on('document_lines').column('tax_code_id').execute();

    await db.schema
      .createTable('document_attachments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('document_attachments_document').on('document_attachments').columns(['document_id', 'position']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'document_attachments',
      'document_lines',
      'documents',
      'document_sequences',
      'tax_code_components',
      'tax_codes',
      'categories',
      'vendors',
      'clients',
      'sessions',
      'users',
      'organisations',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
