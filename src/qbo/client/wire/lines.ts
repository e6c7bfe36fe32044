import { z } from 'zod';
import { ProviderRefSchema } from './common.js';
import { QboDecimalSchema } from './money.js';

const lineBase = {
  Id: z.string().optional(),
  LineNum: z.number().optional(),
  Description: z.string().optional(),
  Amount: QboDecimalSchema.optional(),
};

const ProviderSalesItemLineSchema = z.looseObject({
  ...lineBase,
  DetailType: z.literal('SalesItemLineDetail'),
  SalesItemLineDetail: z.looseObject({
    ItemRef: ProviderRefSchema.optional(),
    UnitPrice: QboDecimalSchema.optional(),
    Qty: QboDecimalSchema.optional(),
    TaxCodeRef: ProviderRefSchema.optional(),
    ClassRef: ProviderRefSchema.optional(),
    ServiceDate: z.string().optional(),
  }),
});

const ProviderItemBasedExpenseLineSchema = z.looseObject({
  ...lineBase,
  DetailType: z.literal('ItemBasedExpenseLineDetail'),
  ItemBasedExpenseLineDetail: z.looseObject({
    ItemRef: ProviderRefSchema.optional(),
    UnitPrice: QboDecimalSchema.optional(),
    Qty: QboDecimalSchema.optional(),
    TaxCodeRef: ProviderRefSchema.optional(),
    CustomerRef: ProviderRefSchema.optional(),
  }),
});

const ProviderAccountBasedExpenseLineSchema = z.looseObject({
  ...lineBase,
  DetailType: z.literal('AccountBasedExpenseLineDetail'),
  AccountBasedExpenseLineDetail: z.looseObject({
    AccountRef: ProviderRefSchema.optional(),
    TaxCodeRef: ProviderRefSchema.optional(),
    CustomerRef: ProviderRefSchema.optional(),
  }),
});

const ProviderDescriptionOnlyLineSchema = z.looseObject({
  ...lineBase,
  DetailType: z.literal('DescriptionOnly'),
});

const ProviderSubTotalLineSchema = z.looseObject({
  ...lineBase,
  DetailType: z.literal('SubTotalLineDetail'),
});

const ProviderDiscountLineSchema = z.looseObject({
  ...lineBase,
  DetailType: z.literal('DiscountLineDetail'),
});

/** Lines of kinds we never send (group, TDS…) still parse, so reading a QBO-made document never fails. */
const ProviderOtherLineSchema = z.looseObject({ ...lineBase, DetailType: z.string() });

export const ProviderLineSchema = z.union([
  z.discriminatedUnion('DetailType', [
    ProviderSalesItemLineSchema,
    ProviderItemBasedExpenseLineSchema,
    ProviderAccountBasedExpenseLineSchema,
    ProviderDescriptionOnlyLineSchema,
    ProviderSubTotalLineSchema,
    ProviderDiscountLineSchema,
  ]),
  ProviderOtherLineSchema,
]);
export type ProviderLine = z.output<typeof ProviderLineSchema>;

export const ProviderTxnTaxDetailSchema = z.looseObject({
  TxnTaxCodeRef: ProviderRefSchema.optional(),
  TotalTax: QboDecimalSchema.optional(),
  TaxLine: z.array(z.looseObject({ Amount: QboDecimalSchema.optional(), DetailType: z.string().optional() })).optional(),
});
