import { z } from 'zod';
import { ProviderEntityBaseSchema, ProviderRefSchema } from './common.js';
import { QboDecimalSchema } from './money.js';

const ProviderTaxRateDetailSchema = z.looseObject({
  TaxRateRef: ProviderRefSchema,
  TaxTypeApplicable: z.string().optional(),
  TaxOrder: z.number().optional(),
});

const ProviderTaxRateListSchema = z.looseObject({
  TaxRateDetail: z.array(ProviderTaxRateDetailSchema).default([]),
});

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/taxcode
export const ProviderTaxCodeSchema = ProviderEntityBaseSchema.extend({
  Name: z.string(),
  Description: z.string().optional(),
  Active: z.boolean().optional(),
  Taxable: z.boolean().optional(),
  TaxGroup: z.boolean().optional(),
  SalesTaxRateList: ProviderTaxRateListSchema.optional(),
  PurchaseTaxRateList: ProviderTaxRateListSchema.optional(),
});
export type ProviderTaxCode = z.output<typeof ProviderTaxCodeSchema>;

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/taxrate
export const ProviderTaxRateSchema = ProviderEntityBaseSchema.extend({
  Name: z.string(),
  Description: z.string().optional(),
  Active: z.boolean().optional(),
  RateValue: QboDecimalSchema.optional(),
  AgencyRef: ProviderRefSchema.optional(),
});
export type ProviderTaxRate = z.output<typeof ProviderTaxRateSchema>;
