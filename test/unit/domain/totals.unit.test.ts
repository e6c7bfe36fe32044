import { describe, expect, it } from 'vitest';
import { CANADIAN_TAX_CODE_PRESETS, type TaxCode } from '../../../src/domain/tax.js';
import {
  computeDocumentTotals,
  taxRoundingForCountry,
  UnknownTaxCodeError,
  type TaxContext,
  type TaxRounding,
  type TotalsLineInput,
} from '../../../src/domain/totals.js';

const line = (quantity: string, rate: string, extra: Partial<TotalsLineInput> = {}): TotalsLineInput => ({
  quantity,
  rate,
  taxable: true,
  taxCodeId: null,
  ...extra,
});

const usSalesTax = (rate: string): TaxContext => ({ model: 'sales_tax', rate, rounding: 'taxable_total' });
const salesTax = (rate: string, rounding: TaxRounding): TaxContext => ({ model: 'sales_tax', rate, rounding });

const canadianCodes: TaxContext = {
  model: 'tax_codes',
  codes: new Map<string, TaxCode>(
    CANADIAN_TAX_CODE_PRESETS.map((p) => {
      const id = p.name.toLowerCase().replace(/[^a-z]+/g, '-');
      return [id, { id, name: p.name, components: p.components }];
    }),
  ),
};

describe('where QBO rounds sales tax', () => {
  it('US companies once on the taxable total, every other country per line', () => {
    expect(taxRoundingForCountry('US')).toBe('taxable_total');
    expect(taxRoundingForCountry('us')).toBe('taxable_total');
    expect(['CA', 'GB', 'AU', 'IN'].map(taxRoundingForCountry)).toEqual(['each_line', 'each_line', 'each_line', 'each_line']);
  });
});

describe('document totals: lines rounded to the cent before they are added, as QBO does', () => {
  it('three lines of 1.5 × 12.25 = 18.375 make 3 × 18.38 = 55.14, not round(55.125) = 55.13', () => {
    const totals = computeDocumentTotals([0, 1, 2].map(() => line('1.5', '12.25')), usSalesTax('8'));
    expect(totals.lineAmounts).toEqual(['18.38', '18.38', '18.38']);
    expect(totals).toMatchObject({ lineAmountsTotal: '55.14', subtotal: '55.14', taxTotal: '4.41', total: '59.55' });
  });

  it('three lines of 0.333 make 0.99, and the tax is taken on 0.99', () => {
    const totals = computeDocumentTotals([line('1', '0.333'), line('1', '0.333'), line('1', '0.333')], usSalesTax('10'));
    expect(totals.lineAmounts).toEqual(['0.33', '0.33', '0.33']);
    expect(totals).toMatchObject({ subtotal: '0.99', taxTotal: '0.10', total: '1.09' }); // 0.099 → 0.10
    expect(totals.taxes[0]?.base).toBe('0.99');
  });

  it('a hundred half cents make a dollar', () => {
    const totals = computeDocumentTotals(
      Array.from({ length: 100 }, () => line('1', '0.005')),
      usSalesTax('0'),
    );
    expect(totals.lineAmounts.every((a) => a === '0.01')).toBe(true);
    expect(totals.subtotal).toBe('1.00');
    expect(totals.lineAmountsTotal).toBe(totals.subtotal);
  });

  it('rounds a credit line away from zero, like a charge', () => {
    const totals = computeDocumentTotals([line('1', '200'), line('1', '-10.005'), line('1', '-50')], usSalesTax('10'));
    expect(totals.lineAmounts).toEqual(['200.00', '-10.01', '-50.00']);
    expect(totals).toMatchObject({ subtotal: '139.99', taxTotal: '14.00', total: '153.99' }); // 13.999 → 14.00
  });

  it('handles an empty document', () => {
    expect(computeDocumentTotals([], usSalesTax('8'))).toMatchObject({ subtotal: '0.00', taxTotal: '0.00', total: '0.00', lineAmounts: [] });
  });
});

describe('document totals: one Sales Tax % (US and other non-Canadian orgs)', () => {
  it('taxes only taxable lines at the organisation rate', () => {
    const totals = computeDocumentTotals([line('2', '19.99'), line('1', '100', { taxable: false })], usSalesTax('8.875'));
    expect(totals.lineAmounts).toEqual(['39.98', '100.00']);
    expect(totals.lineTaxable).toEqual([true, false]);
    expect(totals.subtotal).toBe('139.98');
    // 39.98 × 8.875% = 3.548225
    expect(totals.taxes).toEqual([{ taxCodeId: null, taxName: 'Sales Tax', component: 'Sales Tax', rate: '8.875', base: '39.98', amount: '3.55' }]);
    expect(totals.taxTotal).toBe('3.55');
    expect(totals.total).toBe('143.53');
  });

  it('has no tax line when the rate is zero or nothing is taxable', () => {
    expect(computeDocumentTotals([line('1', '10')], usSalesTax('0')).taxes).toEqual([]);
    expect(computeDocumentTotals([line('1', '10', { taxable: false })], usSalesTax('7')).taxTotal).toBe('0.00');
  });

  it('US: a taxable and non-taxable mix is taxed once, on the sum of the rounded taxable lines', () => {
    // Taxable 10.005 → 10.01 twice (base 20.02), untaxed 3.3333 → 3.33. 8.25% of 20.02 = 1.65165 → 1.65.
    const lines = [line('1', '10.005'), line('1', '3.3333', { taxable: false }), line('1', '10.005')];
    const totals = computeDocumentTotals(lines, usSalesTax('8.25'));
    expect(totals.lineAmounts).toEqual(['10.01', '3.33', '10.01']);
    expect(totals.taxes.map((t) => [t.base, t.amount])).toEqual([['20.02', '1.65']]);
    expect(totals).toMatchObject({ subtotal: '23.35', taxTotal: '1.65', total: '25.00' });
  });

  it('elsewhere: the same mix is taxed per line, each line rounded to the cent (0.83 + 0.83)', () => {
    const lines = [line('1', '10.005'), line('1', '3.3333', { taxable: false }), line('1', '10.005')];
    const totals = computeDocumentTotals(lines, salesTax('8.25', 'each_line'));
    expect(totals.taxes.map((t) => [t.base, t.amount])).toEqual([['20.02', '1.66']]);
    expect(totals).toMatchObject({ subtotal: '23.35', taxTotal: '1.66', total: '25.01' });
  });

  it("reproduces QBO's own per-line figure: 29 × 1.59 and 2 × 11 × 1.59 at 12% is 9.71 in tax, not 9.73", () => {
    // The Intuit community thread cited in docs/emulator-api.md: subtotal 81.09, tax 9.71.
    const lines = [...Array.from({ length: 29 }, () => line('1', '1.59')), line('11', '1.59'), line('11', '1.59')];
    const totals = computeDocumentTotals(lines, salesTax('12', 'each_line'));
    expect(totals).toMatchObject({ subtotal: '81.09', taxTotal: '9.71', total: '90.80' });
    expect(computeDocumentTotals(lines, usSalesTax('12')).taxTotal).toBe('9.73');
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

  it('rounds each component on each line: two lines of 10.10 pay GST 0.51 + 0.51 and PST 0.71 + 0.71', () => {
    // On the 20.20 sum it would be 1.01 and 1.41; QBO Canada rounds per line.
    const totals = computeDocumentTotals([line('1', '10.10', { taxCodeId: 'bc-gst-pst' }), line('1', '10.10', { taxCodeId: 'bc-gst-pst' })], canadianCodes);
    expect(totals.taxes.map((t) => [t.component, t.base, t.amount])).toEqual([
      ['GST', '20.20', '1.02'],
      ['PST', '20.20', '1.42'],
    ]);
    expect(totals).toMatchObject({ subtotal: '20.20', taxTotal: '2.44', total: '22.64' });
  });

  it('adds the same per-line tax whichever codes share a rate (GST in BC GST+PST and in GST only)', () => {
    const totals = computeDocumentTotals([line('1', '0.30', { taxCodeId: 'bc-gst-pst' }), line('1', '0.30', { taxCodeId: 'gst-only' })], canadianCodes);
    // GST 0.015 → 0.02 on each line (0.04, not round(0.03) = 0.03); PST 0.021 → 0.02.
    expect(totals.taxes.map((t) => [t.taxName, t.component, t.amount])).toEqual([
      ['BC GST+PST', 'GST', '0.02'],
      ['BC GST+PST', 'PST', '0.02'],
      ['GST only', 'GST', '0.02'],
    ]);
    expect(totals.taxTotal).toBe('0.06');
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
      // 32.565 → 32.57 and 6.435 → 6.44: 39.01, one cent more than 13% of the 300.00 base.
      { taxCodeId: 'on-hst', taxName: 'ON HST', component: 'HST', rate: '13', base: '300.00', amount: '39.01' },
      { taxCodeId: 'gst-only', taxName: 'GST only', component: 'GST', rate: '5', base: '200.00', amount: '10.00' },
    ]);
    expect(totals.lineTaxable).toEqual([true, true, true, false, false]);
    expect(totals.subtotal).toBe('600.00');
    expect(totals.total).toBe('649.01');
  });

  it('refuses a line whose code is unknown', () => {
    expect(() => computeDocumentTotals([line('1', '1', { taxCodeId: 'nope' })], canadianCodes)).toThrow(UnknownTaxCodeError);
  });
});
