import { describe, expect, it } from 'vitest';
import { AccountMappingSchema, TaxMappingSchema, validateAccountMapping } from '../../../src/qbo/mapping/index.js';
import { ACCOUNT_SLOTS, AccountMappingBodySchema, TaxMappingBodySchema } from '../../../src/server/routes/qbo-mapping/contract.js';

/** The browser-safe contract mirrors the mapping schemas; the same input must get the same answer from both. */
const accountSamples: unknown[] = [
  {},
  { defaultIncomeAccountId: '1', incomeByCategory: { c1: '3' }, expenseByVendor: { v1: '5' } },
  { defaultIncomeAccountId: ' 7 ' },
  { defaultIncomeAccountId: '' },
  { retainerLiabilityAccountId: 14 },
  { incomeByCategory: { '': '3' } },
  { salesTaxPayableAccountId: null, extra: true },
];

const taxSamples: unknown[] = [
  { kind: 'sales_tax' },
  { kind: 'sales_tax', salesTaxCodeId: '2', exemptTaxCodeId: null },
  { kind: 'tax_codes', codes: { t1: '6' }, noTaxCodeId: '3' },
  { kind: 'tax_codes', salesTaxCodeId: '2' },
  { kind: 'vat' },
  { codes: {} },
];

describe('mapping contract', () => {
  it.each(accountSamples)('accounts %j: same outcome as AccountMappingSchema', (sample) => {
    const contract = AccountMappingBodySchema.safeParse(sample);
    const domain = AccountMappingSchema.safeParse(sample);
    expect(contract.success).toBe(domain.success);
    expect(contract.data).toEqual(domain.data);
  });

  it.each(taxSamples)('tax %j: same outcome as TaxMappingSchema', (sample) => {
    const contract = TaxMappingBodySchema.safeParse(sample);
    const domain = TaxMappingSchema.safeParse(sample);
    expect(contract.success).toBe(domain.success);
    expect(contract.data).toEqual(domain.data);
  });

  it('labels its slots exactly as the server’s validation messages do', () => {
    const chart = [
      { Id: 'inc', Name: 'Sales', AccountType: 'Income' },
      { Id: 'bank', Name: 'Checking', AccountType: 'Bank' },
    ];
    for (const slot of ACCOUNT_SLOTS) {
      const checked = validateAccountMapping(AccountMappingSchema.parse({ [slot.field]: 'bank' }), chart);
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.error.map((p) => [p.field, p.message.split(':')[0]])).toEqual([[slot.field, slot.label]]);
    }
  });
});
