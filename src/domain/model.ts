/**
 * Workroom entities as the rest of the system sees them (API responses, QBO mapping input).
 * zod schemas so the HTTP layer can serialize and document them; types inferred from the schemas.
 */
import { z } from 'zod';
import { DOCUMENT_STATUSES, DOCUMENT_TYPES } from './lifecycle.js';
import { ROLES } from './organisation.js';
import { AddressSchema } from './parties.js';
import { TaxComponentSchema } from './tax.js';

const Id = z.string().min(1).max(64);
const Timestamp = z.string().describe('ISO-8601 UTC timestamp');
const DecimalText = z.string().describe('decimal string, e.g. "12.50"');

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const UserSchema = z.object({ id: Id, email: z.string(), role: z.enum(ROLES) });
export type User = z.infer<typeof UserSchema>;

export const OrganisationSchema = z.object({
  id: Id,
  name: z.string(),
  country: z.string().describe('ISO 3166 alpha-2'),
  homeCurrency: z.string(),
  salesTaxRate: DecimalText.describe('Sales Tax % (sales-tax orgs)'),
  taxModel: z.enum(['sales_tax', 'tax_codes']).describe('tax_codes for Canadian orgs, sales_tax otherwise'),
});
export type Organisation = z.infer<typeof OrganisationSchema>;

const AddressOut = AddressSchema.required();

export const ClientSchema = z.object({
  id: Id,
  /** Shown in Workroom; QBO pushes use clientInformation.name instead. */
  fullName: z.string(),
  clientInformation: z.object({ name: z.string(), email: z.string(), phone: z.string(), billingAddress: AddressOut }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Client = z.infer<typeof ClientSchema>;

export const VendorSchema = z.object({
  id: Id,
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  address: AddressOut,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Vendor = z.infer<typeof VendorSchema>;

export const CategorySchema = z.object({ id: Id, name: z.string(), createdAt: Timestamp, updatedAt: Timestamp });
export type Category = z.infer<typeof CategorySchema>;

export const TaxCodeSchema = z.object({
  id: Id,
  name: z.string(),
  components: z.array(TaxComponentSchema),
  /** False when every component is 0% (Exempt): lines go to QBO as NON. */
  taxable: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TaxCodeRecord = z.infer<typeof TaxCodeSchema>;

export const DocumentLineSchema = z.object({
  id: Id,
  description: z.string(),
  quantity: DecimalText,
  rate: DecimalText,
  categoryId: Id.nullable(),
  /** Whether the line is taxed (for tax-code orgs: derived from its code). */
  taxable: z.boolean(),
  taxCodeId: Id.nullable(),
  markupPercent: DecimalText,
  vendorDiscountPercent: DecimalText,
  /** round(quantity × rate, 2) half-up: what QBO validates. */
  amount: DecimalText,
});
export type DocumentLine = z.infer<typeof DocumentLineSchema>;

export const AttachmentSchema = z.object({ id: Id, name: z.string(), size: z.number().int(), mime: z.string(), createdAt: Timestamp });
export type Attachment = z.infer<typeof AttachmentSchema>;

export const TaxBreakdownSchema = z.object({
  taxCodeId: Id.nullable(),
  taxName: z.string(),
  component: z.string(),
  rate: DecimalText,
  base: DecimalText,
  amount: DecimalText,
});

export const DocumentTotalsSchema = z.object({
  /** Σ rounded line amounts; the same figure as subtotal, kept for API clients that read it. */
  lineAmountsTotal: DecimalText,
  /** Σ round(quantity × rate, 2): rounded per line first, as QBO does, so the pushed document's total matches. */
  subtotal: DecimalText,
  taxes: z.array(TaxBreakdownSchema),
  taxTotal: DecimalText,
  total: DecimalText,
});
export type DocumentTotalsView = z.infer<typeof DocumentTotalsSchema>;

const documentHeader = {
  id: Id,
  type: z.enum(DOCUMENT_TYPES),
  number: z.string(),
  status: z.enum(DOCUMENT_STATUSES),
  /** Bumped on every saved change, including after the document was issued. */
  revision: z.number().int(),
  clientId: Id.nullable(),
  vendorId: Id.nullable(),
  /** The client's clientInformation.name or the vendor's name. */
  partyName: z.string(),
  issueDate: z.string(),
  dueDate: z.string().nullable(),
  expirationDate: z.string().nullable(),
  expectedDate: z.string().nullable(),
  currency: z.string(),
  isRetainer: z.boolean(),
  issuedAt: Timestamp.nullable().describe('when the document was finalized / approved'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const DocumentSummarySchema = z.object({
  ...documentHeader,
  subtotal: DecimalText,
  taxTotal: DecimalText,
  total: DecimalText,
});
export type DocumentSummary = z.infer<typeof DocumentSummarySchema>;

export const DocumentSchema = z.object({
  ...documentHeader,
  salesTaxRate: DecimalText.nullable().describe('the Sales Tax % applied (sales-tax orgs); null for tax-code orgs'),
  notes: z.string().describe('internal notes, never pushed'),
  lines: z.array(DocumentLineSchema),
  attachments: z.array(AttachmentSchema),
  totals: DocumentTotalsSchema,
});
export type WorkroomDocument = z.infer<typeof DocumentSchema>;
