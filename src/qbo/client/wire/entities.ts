import type { z } from 'zod';
import { type ProviderAccount, ProviderAccountSchema } from './account.js';
import { type ProviderCustomer, ProviderCustomerSchema } from './customer.js';
import { type ProviderItem, ProviderItemSchema } from './item.js';
import { type ProviderTaxCode, ProviderTaxCodeSchema, type ProviderTaxRate, ProviderTaxRateSchema } from './tax.js';
import {
  type ProviderEstimate,
  ProviderEstimateSchema,
  type ProviderInvoice,
  ProviderInvoiceSchema,
  type ProviderPurchaseOrder,
  ProviderPurchaseOrderSchema,
} from './transactions.js';
import { type ProviderVendor, ProviderVendorSchema } from './vendor.js';

export interface QboEntityMap {
  Customer: ProviderCustomer;
  Vendor: ProviderVendor;
  Item: ProviderItem;
  Account: ProviderAccount;
  TaxCode: ProviderTaxCode;
  TaxRate: ProviderTaxRate;
  Invoice: ProviderInvoice;
  Estimate: ProviderEstimate;
  PurchaseOrder: ProviderPurchaseOrder;
}

export type QboEntityName = keyof QboEntityMap;
export type QboEntity<N extends QboEntityName> = QboEntityMap[N];

/** Entities the client reads, keyed by the name QBO uses in URLs (lower-cased), queries and bodies. */
export const QBO_ENTITY_SCHEMAS: { readonly [N in QboEntityName]: z.ZodType<QboEntityMap[N]> } = {
  Customer: ProviderCustomerSchema,
  Vendor: ProviderVendorSchema,
  Item: ProviderItemSchema,
  Account: ProviderAccountSchema,
  TaxCode: ProviderTaxCodeSchema,
  TaxRate: ProviderTaxRateSchema,
  Invoice: ProviderInvoiceSchema,
  Estimate: ProviderEstimateSchema,
  PurchaseOrder: ProviderPurchaseOrderSchema,
};

export function isQboEntityName(name: string): name is QboEntityName {
  return Object.hasOwn(QBO_ENTITY_SCHEMAS, name);
}

/** TaxCode and TaxRate are read-only through the Accounting API. */
export const QBO_WRITABLE_ENTITIES = ['Customer', 'Vendor', 'Item', 'Account', 'Invoice', 'Estimate', 'PurchaseOrder'] as const;
export type QboWritableEntityName = (typeof QBO_WRITABLE_ENTITIES)[number];

/** A request body: plain JSON, with `Decimal` allowed wherever QBO expects a number. */
export type QboWriteBody = Readonly<Record<string, unknown>>;
export type QboUpdateBody = QboWriteBody & { readonly Id: string; readonly SyncToken: string };
