import { describe, expect, it } from 'vitest';
import {
  accountsFor,
  AccountMappingSchema,
  EMPTY_ACCOUNT_MAPPING,
  TaxMappingSchema,
  validateAccountMapping,
  validateTaxMapping,
  type ChartAccount,
} from '../../../src/qbo/mapping/index.js';
import { expectErr, expectOk } from './fixtures.js';

const CHART: ChartAccount[] = [
  { Id: '80', Name: 'Design income', AccountType: 'Income', Classification: 'Revenue', Active: true },
  { Id: '81', Name: 'Furniture income', AccountType: 'Income', Classification: 'Revenue', Active: true },
  { Id: '85', Name: 'Interest earned', AccountType: 'Other Income', Classification: 'Revenue', Active: true },
  { Id: '60', Name: 'Cost of goods sold', AccountType: 'Cost of Goods Sold', Classification: 'Expense', Active: true },
  { Id: '61', Name: 'Freight', AccountType: 'Expense', Classification: 'Expense', Active: true },
  { Id: '40', Name: 'Client retainers', AccountType: 'Other Current Liability', Classification: 'Liability', Active: true },
  { Id: '42', Name: 'Loan', AccountType: 'Long Term Liability', Classification: 'Liability', Active: true },
  { Id: '41', Name: 'Sales tax payable', AccountType: 'Other Current Liability', Classification: 'Liability', Active: true },
  { Id: '33', Name: 'Accounts Payable (A/P)', AccountType: 'Accounts Payable', Classification: 'Liability', Active: true },
  { Id: '10', Name: 'Checking', AccountType: 'Bank', Classification: 'Asset', Active: true },
  { Id: '86', Name: 'Old income', AccountType: 'Income', Classification: 'Revenue', Active: false },
];

const good = AccountMappingSchema.parse({
  defaultIncomeAccountId: '80',
  incomeByCategory: { cat_furniture: '81', cat_other: '85' },
  defaultExpenseAccountId: '60',
  expenseByVendor: { v1: '61' },
  retainerLiabilityAccountId: '40',
  salesTaxPayableAccountId: '41',
});

describe('AccountMappingSchema', () => {
  it('defaults every slot to unmapped and refuses unknown fields', () => {
    expect(EMPTY_ACCOUNT_MAPPING).toEqual({
      defaultIncomeAccountId: null,
      incomeByCategory: {},
      defaultExpenseAccountId: null,
      expenseByVendor: {},
      retainerLiabilityAccountId: null,
      salesTaxPayableAccountId: null,
    });
    expect(AccountMappingSchema.safeParse({ markupAccountId: '1' }).success).toBe(false);
  });

  it('keeps the two tax models apart', () => {
    expect(TaxMappingSchema.parse({ kind: 'sales_tax' })).toEqual({ kind: 'sales_tax', salesTaxCodeId: null, exemptTaxCodeId: null });
    expect(TaxMappingSchema.safeParse({ kind: 'sales_tax', codes: {} }).success).toBe(false);
  });
});

describe('validateAccountMapping', () => {
  it('accepts accounts of the right types (Other Income and Long Term Liability included)', () => {
    expect(expectOk(validateAccountMapping(good, CHART))).toBe(good);
    expect(validateAccountMapping({ ...good, retainerLiabilityAccountId: '42' }, CHART).ok).toBe(true);
  });

  it('refuses an income account as the retainer liability, naming the account and the expected types', () => {
    const problems = expectErr(validateAccountMapping({ ...good, retainerLiabilityAccountId: '80' }, CHART));
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'wrong_account_type', field: 'retainerLiabilityAccountId', accountId: '80' }),
    ]);
    expect(problems[0]?.message).toBe(
      'Retainer / Deposit Liability: "Design income" is an Income account; choose a liability account (Other Current Liability or Long Term Liability)',
    );
  });

  it('refuses each wrong slot at once: expense as income, A/P as retainer, bank as expense, long-term liability as sales tax', () => {
    const mapping = {
      ...good,
      defaultIncomeAccountId: '61',
      retainerLiabilityAccountId: '33',
      expenseByVendor: { v1: '10' },
      salesTaxPayableAccountId: '42',
    };
    const problems = expectErr(validateAccountMapping(mapping, CHART, { vendorNames: new Map([['v1', 'Kravet']]) }));
    expect(problems.map((p) => p.field)).toEqual(['defaultIncomeAccountId', 'expenseByVendor.v1', 'retainerLiabilityAccountId', 'salesTaxPayableAccountId']);
    expect(problems[1]?.message).toBe(
      'Expense account for vendor "Kravet": "Checking" is a Bank account; choose an expense account (Cost of Goods Sold, Expense or Other Expense)',
    );
    expect(problems[3]?.expectedTypes).toEqual(['Other Current Liability']);
  });

  it('refuses unknown and inactive accounts, naming the category', () => {
    const mapping = { ...good, incomeByCategory: { cat_lighting: '999', cat_old: '86' } };
    const problems = expectErr(
      validateAccountMapping(mapping, CHART, { categoryNames: new Map([['cat_lighting', 'Lighting']]) }),
    );
    expect(problems.map((p) => p.kind)).toEqual(['unknown_account', 'inactive_account']);
    expect(problems[0]?.message).toContain('category "Lighting"');
    expect(problems[1]?.message).toContain('"Old income" is inactive');
  });

  it('offers only active accounts of the accepted types for each slot', () => {
    expect(accountsFor('income', CHART).map((a) => a.Id)).toEqual(['80', '81', '85']);
    expect(accountsFor('expense', CHART).map((a) => a.Id)).toEqual(['60', '61']);
    expect(accountsFor('retainer', CHART).map((a) => a.Id)).toEqual(['40', '42', '41']);
    expect(accountsFor('sales_tax_payable', CHART).map((a) => a.Id)).toEqual(['40', '41']);
  });
});

describe('validateTaxMapping', () => {
  const codes = [
    { Id: '7', Name: 'California', Active: true },
    { Id: '11', Name: 'GST/PST BC', Active: true },
    { Id: '12', Name: 'HST ON', Active: true },
    { Id: '19', Name: 'Old HST', Active: false },
  ];

  it('accepts a Canadian mapping of known, active codes', () => {
    const mapping = TaxMappingSchema.parse({ kind: 'tax_codes', codes: { tc_bc: '11', tc_on: '12' } });
    expect(validateTaxMapping(mapping, { workroomTaxModel: 'tax_codes', company: { taxModel: 'global' }, qboTaxCodes: codes }).ok).toBe(true);
  });

  it('refuses unknown and inactive codes and a mapping of the wrong model', () => {
    const mapping = TaxMappingSchema.parse({ kind: 'tax_codes', codes: { tc_bc: '404', tc_on: '19' } });
    const problems = expectErr(
      validateTaxMapping(mapping, { workroomTaxModel: 'sales_tax', company: { taxModel: 'us' }, qboTaxCodes: codes }, { workroomTaxCodeNames: new Map([['tc_bc', 'BC GST+PST']]) }),
    );
    expect(problems.map((p) => p.kind)).toEqual(['wrong_tax_model', 'wrong_tax_model', 'unknown_tax_code', 'inactive_tax_code']);
    expect(problems[2]?.message).toContain('"BC GST+PST"');
  });
});
