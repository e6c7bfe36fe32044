import { z } from 'zod';
import { TaxRatePercent } from './tax.js';

export const CurrencyCode = z
  .string()
  .trim()
  .regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO currency code, e.g. "USD"');

export const ROLES = ['owner', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const OrganisationUpdateSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** Sales Tax % for non-Canadian orgs; Canadian orgs use tax codes and ignore it. */
    salesTaxRate: TaxRatePercent,
  })
  .strict();
export type OrganisationUpdate = z.infer<typeof OrganisationUpdateSchema>;
