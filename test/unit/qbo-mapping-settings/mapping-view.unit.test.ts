import { describe, expect, it } from 'vitest';
import { ProviderTaxCodeSchema, ProviderTaxRateSchema, type ProviderAccount } from '../../../src/qbo/client/index.js';
import { EMPTY_ACCOUNT_MAPPING, TaxMappingSchema, type TaxMapping } from '../../../src/qbo/mapping/index.js';
import {
  accountChoices,
  mappingWarnings,
  taxCodeChoices,
  taxProblems,
  unknownWorkroomIds,
  type WarningInput,
} from '../../../src/qbo/sync/mapping-view.js';

const account = (Id: string, Name: string, AccountType: string, extra: Partial<ProviderAccount> = {}): ProviderAccount => ({
  Id,
  SyncToken: '0',
  Name,
  AccountType,
  ...extra,
});

const taxCode = (Id: string, Name: string, rateIds: string[], Active = true) =>
  ProviderTaxCodeSchema.parse({ Id, SyncToken: '0', Name, Active, SalesTaxRateList: { TaxRateDetail: rateIds.map((value) => ({ TaxRateRef: { value } })) } });
const taxRate = (Id: string, RateValue: number) => ProviderTaxRateSchema.parse({ Id, SyncToken: '0', Name: `rate ${Id}`, RateValue });

const tax = (value: unknown): TaxMapping => TaxMappingSchema.parse(value);

function warningInput(overrides: Partial<WarningInput>): WarningInput {
  return {
    accounts: { ...EMPTY_ACCOUNT_MAPPING, defaultIncomeAccountId: '1', defaultExpenseAccountId: '5', retainerLiabilityAccountId: '14' },
    tax: tax({ kind: 'sales_tax' }),
    workroomTaxModel: 'sales_tax',
    salesTaxRate: '8',
    companyTaxModel: 'us',
    workroomTaxCodes: [],
    qboTaxCodes: [],
    ...overrides,
  };
}

describe('account choices', () => {
  it('offers each slot only active accounts of the types it accepts, sorted by full name', () => {
    const chart = [
      account('3', 'Sales', 'Income'),
      account('2', 'Design', 'Income', { FullyQualifiedName: 'Services:Design' }),
      account('1', 'Services', 'Income'),
      account('9', 'Old Sales', 'Income', { Active: false }),
      account('11', 'Accounts Payable (A/P)', 'Accounts Payable'),
      account('12', 'Visa', 'Credit Card'),
      account('14', 'Deposits', 'Other Current Liability'),
      account('16', 'Loan', 'Long Term Liability'),
      account('5', 'COGS', 'Cost of Goods Sold', { AccountSubType: 'SuppliesMaterialsCogs' }),
    ];
    const choices = accountChoices(chart);
    expect(choices.income.map((a) => a.fullName)).toEqual(['Sales', 'Services', 'Services:Design']);
    expect(choices.retainer.map((a) => a.id)).toEqual(['14', '16']);
    expect(choices.salesTaxPayable.map((a) => a.id)).toEqual(['14']);
    expect(choices.expense).toEqual([{ id: '5', name: 'COGS', fullName: 'COGS', type: 'Cost of Goods Sold', subType: 'SuppliesMaterialsCogs' }]);
  });
});

describe('tax code choices', () => {
  it('sums each code’s sales rates exactly and leaves out inactive codes and the TAX/NON flags', () => {
    const codes = [taxCode('7', 'GST/PST BC', ['1', '3']), taxCode('TAX', 'TAX', []), taxCode('NON', 'NON', []), taxCode('8', 'Old', ['1'], false)];
    const rates = [taxRate('1', 5), taxRate('3', 7.005)];
    expect(taxCodeChoices(codes, rates)).toEqual([{ id: '7', name: 'GST/PST BC', description: null, rate: '12.005' }]);
  });

  it('gives no rate when a code names a rate the company did not list', () => {
    expect(taxCodeChoices([taxCode('4', 'Mystery', ['77'])], [])[0]?.rate).toBeNull();
  });
});

describe('tax problems', () => {
  const company = { taxModel: 'us' as const, chart: [], taxCodes: [taxCode('TAX', 'TAX', []), taxCode('2', 'California', ['1'])] };
  const lists = { categories: [], vendors: [], taxCodes: [] };

  it('refuses the per-line TAX flag as the Sales Tax % code', () => {
    expect(taxProblems(tax({ kind: 'sales_tax', salesTaxCodeId: 'TAX' }), 'sales_tax', company, lists)).toEqual([
      { field: 'salesTaxCodeId', message: `Sales Tax %: "TAX" is QuickBooks' per-line taxable flag, not a tax code with a rate; choose a named tax code` },
    ]);
    expect(taxProblems(tax({ kind: 'sales_tax', salesTaxCodeId: '2' }), 'sales_tax', company, lists)).toEqual([]);
  });
});

describe('unknown Workroom ids', () => {
  it('names every override whose category, vendor or tax code is not the organisation’s', () => {
    const lists = { categories: [{ id: 'c1', name: 'Rugs' }], vendors: [{ id: 'v1', name: 'Loom' }], taxCodes: [{ id: 't1', name: 'ON HST', rate: '13' }] };
    const accounts = { ...EMPTY_ACCOUNT_MAPPING, incomeByCategory: { c1: '3', c2: '3' }, expenseByVendor: { v9: '5' } };
    expect(unknownWorkroomIds({ accounts, tax: tax({ kind: 'tax_codes', codes: { t1: '6', t2: '6' } }) }, lists).map((i) => i.field)).toEqual([
      'incomeByCategory.c2',
      'expenseByVendor.v9',
      'codes.t2',
    ]);
  });
});

describe('push warnings', () => {
  it('warns for each unmapped slot a push needs, never for Sales Tax Payable', () => {
    const warnings = mappingWarnings(warningInput({ accounts: EMPTY_ACCOUNT_MAPPING }));
    expect(warnings.map((w) => w.field)).toEqual(['defaultIncomeAccountId', 'defaultExpenseAccountId', 'retainerLiabilityAccountId', 'salesTaxCodeId']);
    expect(warnings.every((w) => w.kind === 'push_fails')).toBe(true);
    expect(warnings[2]?.message).toBe('Retainer invoice pushes fail with “Account not specified for line item”.');
    expect(warnings[3]?.message).toBe('Invoice and Estimate pushes with taxed lines fail with “Tax code mismatch”.');
  });

  it('asks a non-US company for a code on untaxed lines too, and includes purchase orders', () => {
    const warnings = mappingWarnings(warningInput({ companyTaxModel: 'global' }));
    expect(warnings.map((w) => [w.field, w.message])).toEqual([
      ['salesTaxCodeId', 'Invoice, Estimate and Purchase Order pushes with taxed lines fail with “Tax code mismatch”.'],
      ['exemptTaxCodeId', 'Pushes with untaxed lines fail with “Tax code mismatch”: this QuickBooks company needs a tax code on every line.'],
    ]);
  });

  it('is quiet when everything is mapped at matching rates', () => {
    const qboTaxCodes = [{ id: '2', name: 'California', description: null, rate: '8.000' }];
    expect(mappingWarnings(warningInput({ tax: tax({ kind: 'sales_tax', salesTaxCodeId: '2' }), qboTaxCodes }))).toEqual([]);
  });

  it('lists each unpaired Workroom tax code of a Canadian studio and the code for lines without one', () => {
    const workroomTaxCodes = [
      { id: 'on', name: 'ON HST', rate: '13' },
      { id: 'ex', name: 'Exempt', rate: '0' },
    ];
    const qboTaxCodes = [{ id: '3', name: 'Exempt', description: null, rate: '0' }];
    const warnings = mappingWarnings(
      warningInput({ workroomTaxModel: 'tax_codes', companyTaxModel: 'global', tax: tax({ kind: 'tax_codes', codes: { ex: '3' } }), workroomTaxCodes, qboTaxCodes }),
    );
    expect(warnings.map((w) => w.field)).toEqual(['codes.on', 'noTaxCodeId']);
  });
});
