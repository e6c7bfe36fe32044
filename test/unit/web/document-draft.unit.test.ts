import { describe, expect, it } from 'vitest';
import type { Organisation, TaxCodeRecord } from '../../../src/server/api/contract.js';
import { draftToBody, draftTotals, emptyLine, newDraft, type DocumentDraft, type LineDraft } from '../../../src/web/documentDraft.js';
import { kindOf } from '../../../src/web/documentTypes.js';

const usOrg: Organisation = {
  id: 'org1',
  name: 'Studio',
  country: 'US',
  homeCurrency: 'USD',
  salesTaxRate: '8.875',
  taxModel: 'sales_tax',
};
const caOrg: Organisation = { ...usOrg, country: 'CA', homeCurrency: 'CAD', salesTaxRate: '0', taxModel: 'tax_codes' };

const line = (changes: Partial<LineDraft>): LineDraft => ({ ...emptyLine(), ...changes });
const draftWith = (org: Organisation, lines: LineDraft[], changes: Partial<DocumentDraft> = {}): DocumentDraft => ({
  ...newDraft(org, '2025-11-25'),
  partyId: 'c1',
  lines,
  ...changes,
});

const code = (id: string, name: string, components: { name: string; rate: string }[]): TaxCodeRecord => ({
  id,
  name,
  components,
  taxable: components.length > 0,
  createdAt: '',
  updatedAt: '',
});

describe('draftTotals', () => {
  it('applies the Sales Tax % to taxable lines only', () => {
    const draft = draftWith(usOrg, [line({ quantity: '2', rate: '125.50' }), line({ quantity: '1', rate: '80.00', taxable: false })]);
    const totals = draftTotals(draft, usOrg, []);
    // 251.00 taxable × 8.875% = 22.27625 → 22.28; subtotal 331.00.
    expect(totals.lineAmounts).toEqual(['251.00', '80.00']);
    expect(totals.subtotal).toBe('331.00');
    expect(totals.taxTotal).toBe('22.28');
    expect(totals.total).toBe('353.28');
  });

  it('rounds each line to the cent before adding, as the server and QuickBooks do', () => {
    const draft = draftWith({ ...usOrg, salesTaxRate: '8' }, [0, 1, 2].map(() => line({ quantity: '1.5', rate: '12.25' })));
    const totals = draftTotals(draft, { ...usOrg, salesTaxRate: '8' }, []);
    // 18.375 → 18.38 on each line: 55.14, and 8% of it 4.41; not round(55.125) = 55.13.
    expect(totals.lineAmounts).toEqual(['18.38', '18.38', '18.38']);
    expect(totals).toMatchObject({ subtotal: '55.14', taxTotal: '4.41', total: '59.55' });
  });

  it("rounds the tax where the studio's QuickBooks does: once for a US studio, per line elsewhere", () => {
    const lines = () => [line({ quantity: '1', rate: '10.005' }), line({ quantity: '1', rate: '10.005' })];
    const us = { ...usOrg, salesTaxRate: '8.25' };
    const uk = { ...us, country: 'GB', homeCurrency: 'GBP' };
    // 8.25% of 10.01 = 0.825825: once on 20.02 → 1.65; per line 0.83 + 0.83 = 1.66.
    expect(draftTotals(draftWith(us, lines()), us, []).taxTotal).toBe('1.65');
    expect(draftTotals(draftWith(uk, lines()), uk, []).taxTotal).toBe('1.66');
  });

  it('counts half-typed numbers as zero instead of failing', () => {
    const draft = draftWith(usOrg, [line({ quantity: '2.', rate: '10' }), line({ quantity: '1', rate: 'abc' }), line({ quantity: '3', rate: '1.5' })]);
    const totals = draftTotals(draft, usOrg, []);
    expect(totals.lineAmounts).toEqual(['0.00', '0.00', '4.50']);
    expect(totals.total).toBe('4.90');
  });

  it('uses the named codes of a Canadian studio, component by component', () => {
    const codes = [code('bc', 'BC GST+PST', [{ name: 'GST', rate: '5' }, { name: 'PST', rate: '7' }]), code('ex', 'Exempt', [])];
    const draft = draftWith(caOrg, [line({ quantity: '1', rate: '100', taxCodeId: 'bc' }), line({ quantity: '1', rate: '50', taxCodeId: 'ex' })]);
    const totals = draftTotals(draft, caOrg, codes);
    expect(totals.taxes.map((t) => [t.component, t.amount])).toEqual([
      ['GST', '5.00'],
      ['PST', '7.00'],
    ]);
    expect(totals.total).toBe('162.00');
  });
});

describe('draftToBody', () => {
  it('builds an invoice body with trimmed numbers and no number when left blank', () => {
    const draft = draftWith(usOrg, [line({ description: 'Sofa', quantity: ' 2 ', rate: '125.50 ', categoryId: '' })], {
      secondDate: '2025-12-25',
      isRetainer: true,
    });
    const body = draftToBody(draft, kindOf('invoice'), usOrg, undefined);
    expect(body).toMatchObject({
      type: 'invoice',
      clientId: 'c1',
      dueDate: '2025-12-25',
      isRetainer: true,
      salesTaxRate: '8.875',
      lines: [{ description: 'Sofa', quantity: '2', rate: '125.50', categoryId: null, taxCodeId: null }],
    });
    expect(body).not.toHaveProperty('number');
    expect(body).not.toHaveProperty('revision');
  });

  it('sends a purchase order to its vendor with the expected date and the revision it was edited from', () => {
    const body = draftToBody(draftWith(usOrg, [], { partyId: 'v1', number: 'PO-7' }), kindOf('purchase_order'), usOrg, 3);
    expect(body).toMatchObject({ type: 'purchase_order', vendorId: 'v1', expectedDate: null, number: 'PO-7', revision: 3 });
    expect(body).not.toHaveProperty('clientId');
  });

  it('sends tax codes, not a Sales Tax %, for a Canadian studio', () => {
    const body = draftToBody(draftWith(caOrg, [line({ quantity: '1', rate: '1', taxCodeId: 'bc' })]), kindOf('estimate'), caOrg, undefined);
    expect(body).not.toHaveProperty('salesTaxRate');
    expect(body.lines?.[0]?.taxCodeId).toBe('bc');
  });
});
