import { z } from 'zod';
import { ProviderEntityBaseSchema, ProviderRefSchema } from './common.js';
import { QboDecimalSchema } from './money.js';

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item
export const ProviderItemSchema = ProviderEntityBaseSchema.extend({
  Name: z.string(),
  FullyQualifiedName: z.string().optional(),
  Type: z.string().optional(),
  Active: z.boolean().optional(),
  Description: z.string().optional(),
  UnitPrice: QboDecimalSchema.optional(),
  PurchaseCost: QboDecimalSchema.optional(),
  IncomeAccountRef: ProviderRefSchema.optional(),
  ExpenseAccountRef: ProviderRefSchema.optional(),
  Taxable: z.boolean().optional(),
});
export type ProviderItem = z.output<typeof ProviderItemSchema>;
