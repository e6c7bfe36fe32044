import { z } from 'zod';
import { ProviderEntityBaseSchema, ProviderRefSchema } from './common.js';
import { QboDecimalSchema } from './money.js';

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/account
export const ProviderAccountSchema = ProviderEntityBaseSchema.extend({
  Name: z.string(),
  FullyQualifiedName: z.string().optional(),
  AccountType: z.string(),
  AccountSubType: z.string().optional(),
  Classification: z.string().optional(),
  Active: z.boolean().optional(),
  SubAccount: z.boolean().optional(),
  ParentRef: ProviderRefSchema.optional(),
  CurrentBalance: QboDecimalSchema.optional(),
  CurrencyRef: ProviderRefSchema.optional(),
});
export type ProviderAccount = z.output<typeof ProviderAccountSchema>;
