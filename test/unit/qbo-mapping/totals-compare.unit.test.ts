import { describe, expect, it } from 'vitest';
import { ProviderInvoiceSchema, ProviderPurchaseOrderSchema } from '../../../src/qbo/client/index.js';
import { compareTotals } from '../../../src/qbo/mapping/index.js';

/** A QBO Invoice response as the client parses it (amounts become decimal strings). */
function invoiceResponse(lineAmounts: number[], totalTax: number, totalAmt: number) {
  return ProviderInvoiceSchema.parse({
    Id: '130',
    SyncToken: '0',
    CustomerRef: { value: '58' },
    Line: [
      ...lineAmounts.map((Amount, i) => ({
        Id: String(i + 1),
        Amount,
        DetailType: 'SalesItemLineDetail',
        SalesItemLineDetail: { ItemRef: { value: '500' }, Qty: 1, UnitPrice: Amount },
      })),
      { Amount: lineAmounts.reduce((a, b) => a + b, 0), DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
    ],
    TxnTaxDetail: { TotalTax: totalTax },
    TotalAmt: totalAmt,
  });
}

describe('compareTotals', () => {
  it('finds nothing when QBO agrees to the cent', () => {
    const workroom = { lineAmountsTotal: '300.00', subtotal: '300.00', taxTotal: '24.75', total: '324.75' };
    expect(compareTotals(workroom, invoiceResponse([100, 200], 24.75, 324.75))).toEqual([]);
  });

  it('finds nothing for the classic rounding case, now that Workroom rounds per line too', () => {
    // Three lines of 1.5 × 12.25 = 18.375: QBO 18.38 each = 55.14, 8% tax 4.41; Workroom computes the same.
    const workroom = { lineAmountsTotal: '55.14', subtotal: '55.14', taxTotal: '4.41', total: '59.55' };
    expect(compareTotals(workroom, invoiceResponse([18.38, 18.38, 18.38], 4.41, 59.55))).toEqual([]);
  });

  it('explains a tax difference that follows from different lines, and the total that follows from both', () => {
    const workroom = { lineAmountsTotal: '20.00', subtotal: '20.00', taxTotal: '1.65', total: '21.65' };
    const diffs = compareTotals(workroom, invoiceResponse([10, 10.01], 1.66, 21.67));
    expect(diffs.map(({ reason: _reason, ...figures }) => figures)).toEqual([
      { field: 'subtotal', workroom: '20.00', qbo: '20.01', difference: '0.01' },
      { field: 'tax', workroom: '1.65', qbo: '1.66', difference: '0.01' },
      { field: 'total', workroom: '21.65', qbo: '21.67', difference: '0.02' },
    ]);
    expect(diffs[0]?.reason).toMatch(/^line amounts differ: the QuickBooks lines add up to 20\.01, Workroom's lines to 20\.00/);
    expect(diffs[1]?.reason).toBe('tax computed by QBO differs: QuickBooks 1.66, Workroom 1.65; QuickBooks taxed its own line amounts (see the subtotal difference)');
    expect(diffs[2]?.reason).toBe('follows from the subtotal and tax differences above');
  });

  it('names a combined US tax code, whose rates QBO rounds one by one, as the cause of a tax difference', () => {
    // Tucson 5.6% + 2.6% on 333.33: 18.67 + 8.67 = 27.34 in QBO; Workroom's 8.2% once: 27.33.
    const response = invoiceResponse([333.33], 27.34, 360.67);
    const withRates = { ...response, TxnTaxDetail: { TotalTax: '27.34', TaxLine: [{ Amount: '18.67' }, { Amount: '8.67' }] } };
    const workroom = { lineAmountsTotal: '333.33', subtotal: '333.33', taxTotal: '27.33', total: '360.66' };
    const diffs = compareTotals(workroom, withRates, { documentType: 'invoice', company: { taxModel: 'us' } });
    expect(diffs.map((d) => [d.field, d.difference])).toEqual([
      ['tax', '0.01'],
      ['total', '0.01'],
    ]);
    expect(diffs[0]?.reason).toContain('the mapped QuickBooks tax code combines 2 rates and rounds each to the cent on its own');
    // A single-rate code (or a non-US company) points at the code's rates instead.
    const single = compareTotals(workroom, { ...withRates, TxnTaxDetail: { TotalTax: '27.34', TaxLine: [{ Amount: '27.34' }] } }, { company: { taxModel: 'us' } });
    expect(single[0]?.reason).toContain('check that they match');
  });

  it('says when only the tax differs, pointing at the mapped code', () => {
    const workroom = { lineAmountsTotal: '100.00', subtotal: '100.00', taxTotal: '8.25', total: '108.25' };
    const diffs = compareTotals(workroom, invoiceResponse([100], 7.25, 107.25));
    expect(diffs.map((d) => [d.field, d.difference])).toEqual([
      ['tax', '-1.00'],
      ['total', '-1.00'],
    ]);
    expect(diffs[0]?.reason).toContain('mapped QuickBooks tax code');
  });

  it('reports lines changed on the QBO side as a line difference, not rounding', () => {
    const workroom = { lineAmountsTotal: '300.00', subtotal: '300.00', taxTotal: '0.00', total: '300.00' };
    const diffs = compareTotals(workroom, invoiceResponse([100, 150], 0, 250));
    expect(diffs[0]).toMatchObject({ field: 'subtotal', difference: '-50.00' });
    expect(diffs[0]?.reason).toMatch(/^line amounts differ/);
  });

  it('explains that QBO computes no tax on a US purchase order', () => {
    const response = ProviderPurchaseOrderSchema.parse({
      Id: '300',
      SyncToken: '0',
      VendorRef: { value: '31' },
      Line: [{ Amount: 869.75, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: '60' } } }],
      TotalAmt: 869.75,
    });
    const workroom = { lineAmountsTotal: '869.75', subtotal: '869.75', taxTotal: '71.75', total: '941.50' };
    const diffs = compareTotals(workroom, response, { documentType: 'purchase_order', company: { taxModel: 'us' } });
    expect(diffs.map((d) => d.field)).toEqual(['tax', 'total']);
    expect(diffs[0]?.reason).toContain('does not compute sales tax on US purchase orders');
    expect(diffs[0]?.difference).toBe('-71.75');
  });

  it('flags a total that differs on its own', () => {
    const workroom = { lineAmountsTotal: '100.00', subtotal: '100.00', taxTotal: '13.00', total: '113.00' };
    const diffs = compareTotals(workroom, invoiceResponse([100], 13, 100));
    expect(diffs.map((d) => [d.field, d.difference])).toEqual([['total', '-13.00']]);
    expect(diffs[0]?.reason).toContain('not its subtotal plus tax');
  });
});
