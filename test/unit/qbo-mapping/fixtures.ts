import type { DocumentLine, WorkroomDocument } from '../../../src/domain/model.js';
import {
  AccountMappingSchema,
  requireFinal,
  TaxMappingSchema,
  type AccountMapping,
  type FinalDocument,
  type SalesContext,
  type TaxMapping,
} from '../../../src/qbo/mapping/index.js';
import type { DocumentType } from '../../../src/domain/lifecycle.js';

const STAMP = '2025-03-01T10:00:00.000Z';

export function makeLine(overrides: Partial<DocumentLine> = {}): DocumentLine {
  return {
    id: 'line_1',
    description: 'Linen sofa',
    quantity: '1',
    rate: '100.00',
    categoryId: null,
    taxable: true,
    taxCodeId: null,
    markupPercent: '0',
    vendorDiscountPercent: '0',
    amount: '100.00',
    ...overrides,
  };
}

/** Totals are not used by the builders; tests that need them pass their own. */
export function makeDocument(overrides: Partial<WorkroomDocument> = {}): WorkroomDocument {
  return {
    id: 'doc_1',
    type: 'invoice',
    number: 'INV-1001',
    status: 'final',
    revision: 3,
    clientId: 'client_1',
    vendorId: null,
    partyName: "O'Brien Interiors",
    issueDate: '2025-03-01',
    dueDate: '2025-03-31',
    expirationDate: null,
    expectedDate: null,
    currency: 'USD',
    isRetainer: false,
    issuedAt: STAMP,
    createdAt: STAMP,
    updatedAt: STAMP,
    salesTaxRate: '8.25',
    notes: '',
    lines: [makeLine()],
    attachments: [],
    totals: { lineAmountsTotal: '0.00', subtotal: '0.00', taxes: [], taxTotal: '0.00', total: '0.00' },
    ...overrides,
  };
}

export function final<T extends DocumentType>(doc: WorkroomDocument, type: T): FinalDocument<T> {
  const result = requireFinal(doc, type);
  if (!result.ok) throw new Error(`fixture is not final: ${result.error.map((p) => p.message).join('; ')}`);
  return result.value;
}

export function accounts(overrides: Partial<AccountMapping> = {}): AccountMapping {
  return AccountMappingSchema.parse({
    defaultIncomeAccountId: '80',
    defaultExpenseAccountId: '60',
    retainerLiabilityAccountId: '40',
    salesTaxPayableAccountId: '41',
    ...overrides,
  });
}

export function salesTaxMapping(overrides: Partial<Extract<TaxMapping, { kind: 'sales_tax' }>> = {}): TaxMapping {
  return TaxMappingSchema.parse({ kind: 'sales_tax', salesTaxCodeId: '7', ...overrides });
}

export function taxCodeMapping(overrides: Partial<Extract<TaxMapping, { kind: 'tax_codes' }>> = {}): TaxMapping {
  return TaxMappingSchema.parse({
    kind: 'tax_codes',
    codes: { tc_bc: '11', tc_on: '12', tc_exempt: '13' },
    noTaxCodeId: '14',
    ...overrides,
  });
}

/** Item 500 sells into account 80 (default income), 501 into 81 (furniture), 502 into 40 (retainer liability). */
export const ITEMS = new Map([
  ['80', '500'],
  ['81', '501'],
  ['40', '502'],
]);

export function usSales(overrides: Partial<SalesContext> = {}): SalesContext {
  return {
    company: { taxModel: 'us', homeCurrency: 'USD' },
    accounts: accounts(),
    tax: salesTaxMapping(),
    customerRef: { value: '58' },
    itemByAccountId: ITEMS,
    ...overrides,
  };
}

export function caSales(overrides: Partial<SalesContext> = {}): SalesContext {
  return {
    company: { taxModel: 'global', homeCurrency: 'CAD' },
    accounts: accounts(),
    tax: taxCodeMapping(),
    customerRef: { value: '58' },
    itemByAccountId: ITEMS,
    ...overrides,
  };
}

export function expectOk<T, E>(result: { ok: true; value: T } | { ok: false; error: E }): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

export function expectErr<T, E>(result: { ok: true; value: T } | { ok: false; error: E }): E {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}
