import { z } from 'zod';

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer (ReferenceType)
export const ProviderRefSchema = z.looseObject({
  value: z.string(),
  name: z.string().optional(),
});
export type ProviderRef = z.output<typeof ProviderRefSchema>;

export const ProviderMetaDataSchema = z.looseObject({
  CreateTime: z.string().optional(),
  LastUpdatedTime: z.string().optional(),
});

export const ProviderAddressSchema = z.looseObject({
  Id: z.string().optional(),
  Line1: z.string().optional(),
  Line2: z.string().optional(),
  City: z.string().optional(),
  CountrySubDivisionCode: z.string().optional(),
  PostalCode: z.string().optional(),
  Country: z.string().optional(),
});

export const ProviderEmailSchema = z.looseObject({ Address: z.string().optional() });
export const ProviderPhoneSchema = z.looseObject({ FreeFormNumber: z.string().optional() });

/** Fields every saved QBO entity carries: its id and the optimistic-lock token an update must echo. */
export const ProviderEntityBaseSchema = z.looseObject({
  Id: z.string(),
  SyncToken: z.string(),
  MetaData: ProviderMetaDataSchema.optional(),
});
