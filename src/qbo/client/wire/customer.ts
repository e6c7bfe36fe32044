import type { z } from 'zod';
import { ProviderAddressSchema, ProviderRefSchema } from './common.js';
import { ProviderPartyBaseSchema } from './party.js';

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
export const ProviderCustomerSchema = ProviderPartyBaseSchema.extend({
  ShipAddr: ProviderAddressSchema.optional(),
  DefaultTaxCodeRef: ProviderRefSchema.optional(),
});
export type ProviderCustomer = z.output<typeof ProviderCustomerSchema>;
