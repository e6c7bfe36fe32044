import { z } from 'zod';
import {
  ProviderAddressSchema,
  ProviderEmailSchema,
  ProviderEntityBaseSchema,
  ProviderPhoneSchema,
  ProviderRefSchema,
} from './common.js';
import { QboDecimalSchema } from './money.js';

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
export const ProviderCustomerSchema = ProviderEntityBaseSchema.extend({
  DisplayName: z.string(),
  CompanyName: z.string().optional(),
  GivenName: z.string().optional(),
  FamilyName: z.string().optional(),
  PrimaryEmailAddr: ProviderEmailSchema.optional(),
  PrimaryPhone: ProviderPhoneSchema.optional(),
  BillAddr: ProviderAddressSchema.optional(),
  ShipAddr: ProviderAddressSchema.optional(),
  Active: z.boolean().optional(),
  Balance: QboDecimalSchema.optional(),
  CurrencyRef: ProviderRefSchema.optional(),
  DefaultTaxCodeRef: ProviderRefSchema.optional(),
});
export type ProviderCustomer = z.output<typeof ProviderCustomerSchema>;
