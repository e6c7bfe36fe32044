import { z } from 'zod';
import { ProviderAddressSchema, ProviderEntityBaseSchema, ProviderRefSchema } from './common.js';

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/companyinfo
export const ProviderCompanyInfoSchema = ProviderEntityBaseSchema.extend({
  CompanyName: z.string(),
  LegalName: z.string().optional(),
  Country: z.string().optional(),
  CompanyAddr: ProviderAddressSchema.optional(),
  LegalAddr: ProviderAddressSchema.optional(),
  FiscalYearStartMonth: z.string().optional(),
});
export type ProviderCompanyInfo = z.output<typeof ProviderCompanyInfoSchema>;

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/preferences
export const ProviderPreferencesSchema = ProviderEntityBaseSchema.extend({
  CurrencyPrefs: z
    .looseObject({
      HomeCurrency: ProviderRefSchema.optional(),
      MultiCurrencyEnabled: z.boolean().optional(),
    })
    .optional(),
  TaxPrefs: z
    .looseObject({
      UsingSalesTax: z.boolean().optional(),
      PartnerTaxEnabled: z.boolean().optional(),
    })
    .optional(),
  SalesFormsPrefs: z
    .looseObject({
      CustomTxnNumbers: z.boolean().optional(),
    })
    .optional(),
});
export type ProviderPreferences = z.output<typeof ProviderPreferencesSchema>;
