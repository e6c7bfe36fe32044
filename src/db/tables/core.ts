/**
 * Workroom core tables. Portable across SQLite and PostgreSQL: ids and timestamps are text (UUIDs,
 * ISO-8601 UTC), booleans are integers 0/1, money and quantities are decimal strings.
 */
import type { Generated } from 'kysely';

export interface OrganisationsTable {
  id: string;
  name: string;
  country: string;
  home_currency: string;
  sales_tax_rate: string;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  org_id: string;
  /** Stored lower-cased; unique across all organisations since it is the login. */
  email: string;
  /** scrypt$N$r$p$salt$hash (base64url parts). */
  password_hash: string;
  role: 'owner' | 'member';
  created_at: string;
  /** Set when an owner removed the user's access; the row stays so history keeps their name. */
  removed_at: Generated<string | null>;
}

export interface SessionsTable {
  /** sha256 of the cookie token, so a leaked table cannot be replayed as cookies. */
  id: string;
  user_id: string;
  org_id: string;
  created_at: string;
  expires_at: string;
}

export interface ClientsTable {
  id: string;
  org_id: string;
  full_name: string;
  /** clientInformation.name: the name QBO pushes use. */
  info_name: string;
  email: string;
  phone: string;
  billing_line1: string;
  billing_city: string;
  billing_region: string;
  billing_postal_code: string;
  billing_country: string;
  created_at: string;
  updated_at: string;
}

export interface VendorsTable {
  id: string;
  org_id: string;
  name: string;
  email: string;
  phone: string;
  address_line1: string;
  address_city: string;
  address_region: string;
  address_postal_code: string;
  address_country: string;
  created_at: string;
  updated_at: string;
}

export interface CategoriesTable {
  id: string;
  org_id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface TaxCodesTable {
  id: string;
  org_id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface TaxCodeComponentsTable {
  id: string;
  org_id: string;
  tax_code_id: string;
  position: number;
  name: string;
  rate: string;
}

export interface DocumentSequencesTable {
  org_id: string;
  type: string;
  next_number: number;
}

export interface DocumentsTable {
  id: string;
  org_id: string;
  type: 'estimate' | 'invoice' | 'purchase_order';
  number: string;
  status: 'draft' | 'final' | 'approved';
  revision: number;
  client_id: string | null;
  vendor_id: string | null;
  issue_date: string;
  due_date: string | null;
  expiration_date: string | null;
  expected_date: string | null;
  currency: string;
  /** The Sales Tax % snapshotted at save (sales-tax orgs); null for tax-code orgs. */
  sales_tax_rate: string | null;
  is_retainer: number;
  notes: string;
  /** Cached from the lines at every save so lists need no join; recomputed, never edited directly. */
  subtotal: string;
  tax_total: string;
  total: string;
  issued_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DocumentLinesTable {
  id: string;
  org_id: string;
  document_id: string;
  position: number;
  description: string;
  quantity: string;
  rate: string;
  category_id: string | null;
  taxable: number;
  tax_code_id: string | null;
  markup_percent: string;
  vendor_discount_percent: string;
  amount: string;
}

export interface DocumentAttachmentsTable {
  id: string;
  org_id: string;
  document_id: string;
  position: number;
  name: string;
  size: number;
  mime: string;
  created_at: string;
}

export interface CoreTables {
  organisations: OrganisationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  clients: ClientsTable;
  vendors: VendorsTable;
  categories: CategoriesTable;
  tax_codes: TaxCodesTable;
  tax_code_components: TaxCodeComponentsTable;
  document_sequences: DocumentSequencesTable;
  documents: DocumentsTable;
  document_lines: DocumentLinesTable;
  document_attachments: DocumentAttachmentsTable;
}
