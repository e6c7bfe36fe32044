import type { z } from 'zod';
import { ProviderPartyBaseSchema } from './party.js';

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/vendor
export const ProviderVendorSchema = ProviderPartyBaseSchema;
export type ProviderVendor = z.output<typeof ProviderVendorSchema>;
