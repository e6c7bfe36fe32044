import { describe, expect, it } from 'vitest';
import { CANADIAN_TAX_CODE_PRESETS, type TaxCode } from '../../../src/domain/tax.js';
import { computeDocumentTotals, UnknownTaxCodeError, type TaxContext, type TotalsLineInput } from '../../../src/domain/totals.js';

const line = (quantity: string, rate: string, extra: Partial<TotalsLineInput> = {}): TotalsLineInput => ({
  quantity,
  rate,
  taxable: true,
  taxCodeId: null,
  ...extra,
});

const salesTax = (rate: string): TaxContext => ({ model: 'sales_tax', rate });

const canadianCodes: TaxContext = {
  model: 'tax_codes',
  codes: new Map<string, TaxCode>(
    CANADIAN_TAX_CODE_PRESETS.map((p) => {
      const id = p.name.toLowerCase().replace(/[^a-z]+/g, '-');
      return [id, { id, name: p.name, components: p.components }];
    }),
  ),
};

describe('document totals: sales tax (US and other non-Canadian orgs)', () => {
  it('taxes only taxable lines at the organisation rate', () => {
    const totals = computeDocumentTotals([line('2', '19.99'), line('1', '100', { taxable: false })], salesTax('8.875'));
    expect(totals.lineAmounts).toEqual(['39.98', '100.00']);
    expect(totals.lineTaxable).toEqual([true, false]);
    expect(totals.subtotal).toBe('139.98');
    // 39.98 × 8.875% = 3.548225
    expect(totals.taxes).toEqual([{ taxCodeId: null, taxName: 'Sales Tax', component: 'Sales Tax', rate: '8.875', base: '39.98', amount: '3.55' }]);
    expect(totals.taxTotal).toBe('3.55');
    expect(totals.total).toBe('143.53');
  });

  it('has no tax line when the rate is zero or nothing is taxable', () => {
    expect(computeDocumentTotals([line('1', '10')], salesTax('0')).taxes).toEqual([]);
    expect(computeDocumentTotals([line('1', '10', { taxable: false })], salesTax('7')).taxTotal).toBe('0.00');
  });

  it('rounds once at the subtotal while exposing QBO-style rounded line amounts', () => {
    const lines = [line('1', '0.333'), line('1', '0.333'), line('1', '0.333')];
    const totals = computeDocumentTotals(lines, salesTax('10'));
    expect(totals.lineAmounts).toEqual(['0.33', '0.33', '0.33']);
    expect(totals.lineAmountsTotal).toBe('0.99'); // what QBO will show
    expect(totals.subtotal).toBe('1.00'); // round(0.999)
    expect(totals.taxes[0]?.amount).toBe('0.10'); // from the exact base 0.999
    expect(totals.total).toBe('1.10');
  });

  it('keeps drift visible across many lines', () => {
    const lines = Array.from({ length: 100 }, () => line('1', '0.005'));
    const totals = computeDocumentTotals(lines, salesTax('0'));
    expect(totals.lineAmounts.every((a) => a === '0.01')).toBe(true);
    expect(totals.lineAmountsTotal).toBe('1.00');
    expect(totals.subtotal).toBe('0.50');
  });

  it('handles an empty document and negative (discount) lines', () => {
    expect(computeDocumentTotals([], salesTax('8'))).toMatchObject({ subtotal: '0.00', taxTotal: '0.00', total: '0.00', lineAmounts: [] });
    const totals = computeDocumentTotals([line('1', '200'), line('1', '-50')], salesTax('10'));
    expect(totals.subtotal).toBe('150.00');
    expect(totals.taxTotal).toBe('15.00');
  });
});

describe('document totals: Canadian tax codes', () => {
  it('splits BC GST+PST into its components', () => {
    const totals = computeDocumentTotals([line('1', '1000', { taxCodeId: 'bc-gst-pst' })], canadianCodes);
    expect(totals.taxes.map((t) => [t.taxName, t.component, t.rate, t.amount])).toEqual([
      ['BC GST+PST', 'GST', '5', '50.00'],
      ['BC GST+PST', 'PST', '7', '70.00'],
    ]);
    expect(totals.total).toBe('1120.00');
  });

  it('rounds each component on its own', () => {
    const totals = computeDocumentTotals([line('1', '10.10', { taxCodeId: 'bc-gst-pst' })], canadianCodes);
    expect(totals.taxes.map((t) => t.amount)).toEqual(['0.51', '0.71']); // 0.505 and 0.707
    expect(totals.taxTotal).toBe('1.22');
  });

  it('groups lines per code in order of first use, with Exempt and untaxed lines adding nothing', () => {
    const totals = computeDocumentTotals(
      [
        line('1', '250.50', { taxCodeId: 'on-hst' }),
        line('2', '100', { taxCodeId: 'gst-only' }),
        line('1', '49.50', { taxCodeId: 'on-hst' }),
        line('1', '80', { taxCodeId: 'exempt' }),
        line('1', '20', { taxCodeId: null, taxable: true }),
      ],
      canadianCodes,
    );
    expect(totals.taxes).toEqual([
      { taxCodeId: 'on-hst', taxName: 'ON HST', component: 'HST', rate: '13', base: '300.00', amount: '39.00' },
      { taxCodeId: 'gst-only', taxName: 'GST only', component: 'GST', rate: '5', base: '200.00', amount: '10.00' },
    ]);
    expect(totals.lineTaxable).toEqual([true, true, true, false, false]);
    expect(totals.subtotal).toBe('600.00');
    expect(totals.total).toBe('649.00');
  });

  it('refuses a line whose code is unknown', () => {
    expect(() => computeDocumentTotals([line('1', '1', { taxCodeId: 'nope' })], canadianCodes)).toThrow(UnknownTaxCodeError);
  });
});
