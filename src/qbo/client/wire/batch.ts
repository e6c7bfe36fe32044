import { z } from 'zod';
import { ProviderFaultSchema } from './fault.js';

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch
export const ProviderBatchItemResponseSchema = z.looseObject({
  bId: z.string(),
  Fault: ProviderFaultSchema.optional(),
  QueryResponse: z.looseObject({}).optional(),
});
export type ProviderBatchItemResponse = z.output<typeof ProviderBatchItemResponseSchema>;

export const ProviderBatchResponseSchema = z.looseObject({
  BatchItemResponse: z.array(ProviderBatchItemResponseSchema),
});
