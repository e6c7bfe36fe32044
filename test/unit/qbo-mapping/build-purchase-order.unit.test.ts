import { describe, expect, it } from 'vitest';
import type { WorkroomDocument } from '../../../src/domain/model.js';
import { buildPurchaseOrder, type PurchaseContext } from '../../../src/qbo/mapping/index.js';
import { accounts, expectErr, expectOk, final, makeDocument, makeLine, salesTaxMapping, taxCodeMapping } from './fixtures.js';

function po(overrides: Partial<WorkroomDocument> = {}) {
  return final(
    makeDocument({
      type: 'purchase_order',
      number: 'PO-3001',
      status: 'approved',
      clientId: null,
      vendorId: 'vendor_kravet',
      partyName: 'Kravet',
      dueDate: null,
      expectedDate: '2025-04-02',
      ...overrides,
    }),
    'purchase_order',
  );
}

function usPurchase(overrides: Partial<PurchaseContext> = {}): PurchaseContext {
  return {
    company: { taxModel: 'us', homeCurrency: 'USD' },
    accounts: accounts(),
    tax: salesTaxMapping(),
    vendorRef: { value: '31' },
    ...overrides,
  };
}

describe('buildPurchaseOrder', () => {
  it('posts account-based lines to the default expense account, with TAX/NON and no document tax code (US)', () => {
    const doc = po({
      lines: [
        makeLine({ description: 'Velvet, 14 yd', quantity: '14', rate: '62.125', markupPercent: '35', vendorDiscountPercent: '10' }),
        makeLine({ description: 'Freight', quantity: '1', rate: '85', taxable: false }),
      ],
    });
    const payload = expectOk(buildPurchaseOrder(doc, usPurchase()));
    expect(payload).toStrictEqual({
      DocNumber: 'PO-3001',
      TxnDate: '2025-03-01',
      DueDate: '2025-04-02',
      CurrencyRef: { value: 'USD' },
      VendorRef: { value: '31' },
      Line: [
        {
          DetailType: 'AccountBasedExpenseLineDetail',
          // 14 × 62.125 = 869.75
          Amount: 869.75,
          Description: 'Velvet, 14 yd',
          AccountBasedExpenseLineDetail: { AccountRef: { value: '60' }, TaxCodeRef: { value: 'TAX' } },
        },
        {
          DetailType: 'AccountBasedExpenseLineDetail',
          Amount: 85,
          Description: 'Freight',
          AccountBasedExpenseLineDetail: { AccountRef: { value: '60' }, TaxCodeRef: { value: 'NON' } },
        },
      ],
    });
  });

  it("uses the vendor's override account", () => {
    const ctx = usPurchase({ accounts: accounts({ expenseByVendor: { vendor_kravet: '61', vendor_other: '62' } }) });
    const payload = expectOk(buildPurchaseOrder(po(), ctx));
    expect(payload.Line[0]?.AccountBasedExpenseLineDetail.AccountRef).toEqual({ value: '61' });
  });

  it('refuses when neither a vendor override nor a default expense account is mapped, naming the vendor', () => {
    const ctx = usPurchase({ accounts: accounts({ defaultExpenseAccountId: null, expenseByVendor: { vendor_other: '62' } }) });
    const problems = expectErr(buildPurchaseOrder(po({ lines: [makeLine(), makeLine()] }), ctx));
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'account_not_specified', role: 'expense', vendorId: 'vendor_kravet', lineIndexes: [0, 1] }),
    ]);
    expect(problems[0]?.message).toContain('vendor "Kravet"');
  });

  it('puts the mapped TaxCode id on each line for a Canadian company', () => {
    const doc = po({ currency: 'CAD', lines: [makeLine({ taxCodeId: 'tc_on' }), makeLine({ taxCodeId: null, taxable: false })] });
    const ctx = usPurchase({ company: { taxModel: 'global', homeCurrency: 'CAD' }, tax: taxCodeMapping() });
    const payload = expectOk(buildPurchaseOrder(doc, ctx));
    expect(payload.Line.map((l) => l.AccountBasedExpenseLineDetail.TaxCodeRef.value)).toEqual(['12', '14']);
    expect(payload.GlobalTaxCalculation).toBe('TaxExcluded');
  });

  it('refuses another currency, a long number and an unmapped tax code together', () => {
    const doc = po({ currency: 'USD', number: 'PO-'.padEnd(25, '9'), lines: [makeLine({ taxCodeId: 'tc_new' })] });
    const ctx = usPurchase({ company: { taxModel: 'global', homeCurrency: 'CAD' }, tax: taxCodeMapping() });
    const kinds = expectErr(buildPurchaseOrder(doc, ctx)).map((p) => p.kind);
    expect(kinds.sort()).toEqual(['currency_mismatch', 'doc_number_too_long', 'tax_code_mismatch']);
  });

  it('builds a full update when given Id and SyncToken', () => {
    const payload = expectOk(buildPurchaseOrder(po(), usPurchase(), { Id: '300', SyncToken: '2' }));
    expect(payload).toMatchObject({ Id: '300', SyncToken: '2', sparse: false, DocNumber: 'PO-3001' });
  });

  it('never sends markup, vendor discount, notes or attachments', () => {
    const doc = po({
      notes: 'INTERNAL-NOTE net 30 negotiated',
      attachments: [{ id: 'att_9', name: 'quote-secret.pdf', size: 10, mime: 'application/pdf', createdAt: '2025-03-01T10:00:00.000Z' }],
      lines: [makeLine({ markupPercent: '41.4141', vendorDiscountPercent: '17.1717' })],
    });
    const json = JSON.stringify(expectOk(buildPurchaseOrder(doc, usPurchase())));
    for (const secret of ['INTERNAL-NOTE', 'quote-secret', 'att_9', '41.4141', '17.1717', 'Memo', 'PrivateNote']) {
      expect(json).not.toContain(secret);
    }
  });
});
