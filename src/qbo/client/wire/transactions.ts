import { z } from 'zod';
import { ProviderAddressSchema, ProviderEmailSchema, ProviderEntityBaseSchema, ProviderRefSchema } from './common.js';
import { ProviderLineSchema, ProviderTxnTaxDetailSchema } from './lines.js';
import { QboDecimalSchema } from './money.js';

const salesTransactionFields = {
  DocNumber: z.string().optional(),
  TxnDate: z.string().optional(),
  CustomerRef: ProviderRefSchema,
  CurrencyRef: ProviderRefSchema.optional(),
  ExchangeRate: QboDecimalSchema.optional(),
  Line: z.array(ProviderLineSchema).default([]),
  TxnTaxDetail: ProviderTxnTaxDetailSchema.optional(),
  GlobalTaxCalculation: z.string().optional(),
  TotalAmt: QboDecimalSchema.optional(),
  HomeTotalAmt: QboDecimalSchema.optional(),
  BillAddr: ProviderAddressSchema.optional(),
  BillEmail: ProviderEmailSchema.optional(),
  PrivateNote: z.string().optional(),
  CustomerMemo: z.looseObject({ value: z.string() }).optional(),
};

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice
export const ProviderInvoiceSchema = ProviderEntityBaseSchema.extend({
  ...salesTransactionFields,
  DueDate: z.string().optional(),
  Balance: QboDecimalSchema.optional(),
  Deposit: QboDecimalSchema.optional(),
});
export type ProviderInvoice = z.output<typeof ProviderInvoiceSchema>;

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/estimate
export const ProviderEstimateSchema = ProviderEntityBaseSchema.extend({
  ...salesTransactionFields,
  ExpirationDate: z.string().optional(),
  TxnStatus: z.string().optional(),
});
export type ProviderEstimate = z.output<typeof ProviderEstimateSchema>;

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/purchaseorder
export const ProviderPurchaseOrderSchema = ProviderEntityBaseSchema.extend({
  DocNumber: z.string().optional(),
  TxnDate: z.string().optional(),
  DueDate: z.string().optional(),
  VendorRef: ProviderRefSchema,
  APAccountRef: ProviderRefSchema.optional(),
  CurrencyRef: ProviderRefSchema.optional(),
  Line: z.array(ProviderLineSchema).default([]),
  TxnTaxDetail: ProviderTxnTaxDetailSchema.optional(),
  GlobalTaxCalculation: z.string().optional(),
  TotalAmt: QboDecimalSchema.optional(),
  POStatus: z.string().optional(),
  PrivateNote: z.string().optional(),
  Memo: z.string().optional(),
});
export type ProviderPurchaseOrder = z.output<typeof ProviderPurchaseOrderSchema>;
