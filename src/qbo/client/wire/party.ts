import { z } from 'zod';
import { ProviderAddressSchema, ProviderEmailSchema, ProviderEntityBaseSchema, ProviderPhoneSchema, ProviderRefSchema } from './common.js';
import { QboDecimalSchema } from './money.js';

/** Name and contact fields Customer and Vendor share; DisplayName is unique across both (and Employee). */
export const ProviderPartyBaseSchema = ProviderEntityBaseSchema.extend({
  DisplayName: z.string(),
  CompanyName: z.string().optional(),
  GivenName: z.string().optional(),
  FamilyName: z.string().optional(),
  PrimaryEmailAddr: ProviderEmailSchema.optional(),
  PrimaryPhone: ProviderPhoneSchema.optional(),
  BillAddr: ProviderAddressSchema.optional(),
  Active: z.boolean().optional(),
  Balance: QboDecimalSchema.optional(),
  CurrencyRef: ProviderRefSchema.optional(),
});
