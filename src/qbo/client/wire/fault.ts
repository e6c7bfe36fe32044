import { z } from 'zod';

const ProviderFaultErrorSchema = z.looseObject({
  Message: z.string().optional(),
  Detail: z.string().optional(),
  code: z.union([z.string(), z.number()]).transform(String).optional(),
  element: z.string().optional(),
});
export type ProviderFaultError = z.output<typeof ProviderFaultErrorSchema>;

// https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
export const ProviderFaultSchema = z.looseObject({
  Error: z.array(ProviderFaultErrorSchema).default([]),
  type: z.string().optional(),
});
export type ProviderFault = z.output<typeof ProviderFaultSchema>;

export const ProviderFaultBodySchema = z.looseObject({ Fault: ProviderFaultSchema });

// https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#refresh-the-token
export const IntuitOAuthErrorSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});
