import { describe, expect, it } from 'vitest';
import { checkLineTaxFields, documentDates, DocumentInputSchema } from '../../../src/domain/documents.js';
import { ClientInputSchema } from '../../../src/domain/parties.js';
import { TaxCodeInputSchema, isTaxableCode, taxModelForCountry } from '../../../src/domain/tax.js';

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('document input rules', () => {
  it('applies defaults and keeps the type-specific date', () => {
    const doc = DocumentInputSchema.parse({ type: 'invoice', clientId: 'c1', issueDate: '2025-01-01', lines: [{ quantity: '1', rate: '10' }] });
    expect(doc).toMatchObject({ isRetainer: false, dueDate: null, notes: '', attachments: [] });
    expect(doc.lines[0]).toEqual({
      description: '',
      quantity: '1',
      rate: '10',
      categoryId: null,
      taxable: true,
      taxCodeId: null,
      markupPercent: '0',
      vendorDiscountPercent: '0',
    });
    expect(documentDates(doc)).toEqual({ dueDate: null, expirationDate: null, expectedDate: null });
  });

  it('gives purchase orders a vendor, never a client, and no retainer flag', () => {
    const po = DocumentInputSchema.safeParse({ type: 'purchase_order', clientId: 'c1', vendorId: 'v1', issueDate: '2025-01-01' });
    expect(paths(po)).toEqual(['']);
    expect(po.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['clientId'] });
    const estimate = DocumentInputSchema.safeParse({ type: 'estimate', clientId: 'c1', issueDate: '2025-01-01', isRetainer: true });
    expect(estimate.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['isRetainer'] });
  });

  it('points at the offending field', () => {
    const r = DocumentInputSchema.safeParse({
      type: 'invoice',
      clientId: 'c1',
      issueDate: '2025-02-10',
      dueDate: '2025-02-20',
      lines: [{ quantity: '1', rate: '10' }, { quantity: 'two', rate: '10' }],
    });
    expect(paths(r)).toEqual(['lines.1.quantity']);
    const dates = DocumentInputSchema.safeParse({ type: 'invoice', clientId: 'c1', issueDate: '2025-02-10', dueDate: '2025-02-01' });
    expect(paths(dates)).toEqual(['dueDate']);
    expect(paths(DocumentInputSchema.safeParse({ type: 'memo', clientId: 'c1', issueDate: '2025-02-10' }))).toEqual(['type']);
  });

  it('caps the number at QBO’s 21 characters and the vendor discount at 100%', () => {
    const base = { type: 'estimate', clientId: 'c1', issueDate: '2025-01-01' };
    expect(paths(DocumentInputSchema.safeParse({ ...base, number: 'X'.repeat(22) }))).toEqual(['number']);
    expect(paths(DocumentInputSchema.safeParse({ ...base, lines: [{ quantity: '1', rate: '1', vendorDiscountPercent: '101' }] }))).toEqual([
      'lines.0.vendorDiscountPercent',
    ]);
  });

  it('rejects tax codes on lines of a sales-tax organisation', () => {
    expect(checkLineTaxFields('sales_tax', [{ taxCodeId: null }, { taxCodeId: 't1' }])).toEqual([
      { field: 'lines.1.taxCodeId', message: expect.stringContaining('Sales Tax %') as unknown },
    ]);
    expect(checkLineTaxFields('tax_codes', [{ taxCodeId: 't1' }])).toEqual([]);
  });
});

describe('clients and tax codes', () => {
  it('keeps fullName apart from clientInformation.name', () => {
    const c = ClientInputSchema.parse({ fullName: 'Dana Alvarez-Reyes', clientInformation: { name: 'Dana' } });
    expect(c.fullName).toBe('Dana Alvarez-Reyes');
    expect(c.clientInformation).toEqual({
      name: 'Dana',
      email: '',
      phone: '',
      billingAddress: { line1: '', city: '', region: '', postalCode: '', country: '' },
    });
    expect(paths(ClientInputSchema.safeParse({ fullName: 'x', clientInformation: { name: ' ' } }))).toEqual(['clientInformation.name']);
    expect(paths(ClientInputSchema.safeParse({ clientInformation: { name: 'x', email: 'nope' } }))).toEqual(['clientInformation.email']);
  });

  it('chooses the tax model by country and treats all-zero codes as exempt', () => {
    expect(taxModelForCountry('CA')).toBe('tax_codes');
    expect(taxModelForCountry('US')).toBe('sales_tax');
    expect(taxModelForCountry('GB')).toBe('sales_tax');
    expect(isTaxableCode({ components: [] })).toBe(false);
    expect(isTaxableCode({ components: [{ name: 'Z', rate: '0.000' }] })).toBe(false);
    expect(isTaxableCode({ components: [{ name: 'GST', rate: '5' }] })).toBe(true);
  });

  it('validates tax code components', () => {
    expect(paths(TaxCodeInputSchema.safeParse({ name: 'X', components: [{ name: 'A', rate: '101' }] }))).toEqual(['components.0.rate']);
    expect(paths(TaxCodeInputSchema.safeParse({ name: 'X', components: [{ name: 'A', rate: '1' }, { name: 'a', rate: '2' }] }))).toEqual([
      'components.1.name',
    ]);
  });
});
