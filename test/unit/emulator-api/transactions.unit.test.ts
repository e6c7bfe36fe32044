import { describe, expect, it } from 'vitest';
import { QboFault } from '../../../src/emulator/api/faults.js';
import type { WriteScope } from '../../../src/emulator/api/refs.js';
import { buildTransaction } from '../../../src/emulator/api/transactions.js';
import { SEED_COMPANIES, seedRealm, type QboRecord } from '../../../src/emulator/state/index.js';

const NOW = Date.parse('2026-03-10T18:00:00Z');

function scope(country: 'US' | 'CA', hidden: string[] = []): WriteScope {
  const company = SEED_COMPANIES.find((c) => c.country === country && c.environment === 'sandbox')!;
  return { realm: seedRealm(company, NOW, { withHistory: false }), nowMs: NOW, hidden: new Set(hidden), allowDuplicateDocNum: false };
}

function salesLine(amount: number, qty: number, price: number, taxCode?: string, item = '2'): QboRecord {
  return {
    Amount: amount,
    DetailType: 'SalesItemLineDetail',
    SalesItemLineDetail: { ItemRef: { value: item }, Qty: qty, UnitPrice: price, ...(taxCode ? { TaxCodeRef: { value: taxCode } } : {}) },
  };
}

function faultOf(fn: () => unknown): { code: string; Detail: string; element?: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof QboFault) return err.errors[0]!;
    throw err;
  }
  throw new Error('expected a QBO fault');
}

describe('buildTransaction (US)', () => {
  it('computes TotalAmt, TotalTax from the transaction tax code over TAX lines, and a SubTotalLine', () => {
    const s = scope('US');
    const invoice = buildTransaction(
      s,
      'Invoice',
      {
        CustomerRef: { value: '1' },
        Line: [salesLine(333.33, 3, 111.11, 'TAX'), salesLine(10.01, 1, 10.01, 'NON')],
        TxnTaxDetail: { TxnTaxCodeRef: { value: '3' } },
        TotalAmt: 1,
      },
      undefined,
    );
    // Tucson = 5.6% + 2.6% on 333.33: 18.67 (18.66648) + 8.67 (8.66658), each rounded half-up.
    expect(invoice['TxnTaxDetail']).toMatchObject({ TotalTax: 27.34 });
    expect(invoice['TotalAmt']).toBe(370.68);
    expect(invoice['Balance']).toBe(370.68);
    const lines = invoice['Line'] as QboRecord[];
    expect(lines.at(-1)).toEqual({ Amount: 343.34, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} });
    expect(invoice['DocNumber']).toBe('1001');
    expect(invoice['DueDate']).toBe('2026-04-09');
  });

  it('rounds tax once on the taxable total, not per line: three TAX lines of 1.59 at 8% pay 0.38, not 3 × 0.13', () => {
    const s = scope('US');
    const invoice = buildTransaction(
      s,
      'Invoice',
      { CustomerRef: { value: '1' }, Line: [1, 2, 3].map(() => salesLine(1.59, 1, 1.59, 'TAX')), TxnTaxDetail: { TxnTaxCodeRef: { value: '2' } } },
      undefined,
    );
    expect(invoice['TxnTaxDetail']).toMatchObject({ TotalTax: 0.38 }); // 8% of 4.77 = 0.3816
    expect(invoice['TotalAmt']).toBe(5.15);
  });

  it('rejects Amount ≠ round(Qty × UnitPrice, 2) with 6070 and accepts half-up rounding', () => {
    const s = scope('US');
    expect(faultOf(() => buildTransaction(s, 'Invoice', { CustomerRef: { value: '1' }, Line: [salesLine(10, 3, 3.33)] }, undefined))).toMatchObject({
      code: '6070',
      Detail: 'Amount is not equal to Qty * UnitPrice. Supplied value:10',
    });
    const ok = buildTransaction(s, 'Invoice', { CustomerRef: { value: '1' }, Line: [salesLine(0.5, 1, 0.495)] }, undefined);
    expect(ok['TotalAmt']).toBe(0.5);
  });

  it('checks Amount against the exact product, even where it needs more than 20 significant digits', () => {
    const s = scope('US');
    // 3.0000007 × 358163.5714285 = 1074490.96499999999995: QBO's cent is .96; a 20-digit product would say .97.
    const exact = buildTransaction(s, 'Invoice', { CustomerRef: { value: '1' }, Line: [salesLine(1074490.96, 3.0000007, 358163.5714285)] }, undefined);
    expect(exact['TotalAmt']).toBe(1074490.96);
    expect(faultOf(() => buildTransaction(s, 'Invoice', { CustomerRef: { value: '1' }, Line: [salesLine(1074490.97, 3.0000007, 358163.5714285)] }, undefined)).code).toBe('6070');
  });

  it('refuses a DocNumber longer than 21 characters (2050)', () => {
    const s = scope('US');
    const body = (DocNumber: string) => ({ CustomerRef: { value: '1' }, DocNumber, Line: [salesLine(5, 1, 5)] });
    expect(faultOf(() => buildTransaction(s, 'Invoice', body('X'.repeat(22)), undefined))).toEqual({
      Message: 'String length is either shorter or longer than supported by specification',
      Detail: 'String length specified does not match the supported length. Min:0 Max:21 supported. Supplied length:22',
      code: '2050',
      element: 'DocNumber',
    });
    expect(buildTransaction(s, 'Estimate', body('X'.repeat(21)), undefined)['DocNumber']).toBe('X'.repeat(21));
  });

  it('rejects line tax codes other than TAX/NON with 6100, missing items and items without an income account', () => {
    const s = scope('US');
    expect(faultOf(() => buildTransaction(s, 'Invoice', { CustomerRef: { value: '1' }, Line: [salesLine(125, 1, 125, '6')] }, undefined)).code).toBe('6100');
    const noItem = { Amount: 5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { Qty: 1, UnitPrice: 5 } };
    expect(faultOf(() => buildTransaction(s, 'Invoice', { CustomerRef: { value: '1' }, Line: [noItem] }, undefined))).toMatchObject({
      code: '2020',
      Detail: 'Required parameter Line.SalesItemLineDetail.ItemRef is missing in the request',
    });
    expect(faultOf(() => buildTransaction(s, 'Invoice', { CustomerRef: { value: '1' }, Line: [salesLine(5, 1, 5, 'NON', '4')] }, undefined)).code).toBe('6000');
    expect(faultOf(() => buildTransaction(s, 'Invoice', { CustomerRef: { value: '1' }, Line: [salesLine(5, 1, 5, 'NON', '99')] }, undefined))).toMatchObject({
      code: '2500',
      element: 'Line.SalesItemLineDetail.ItemRef',
    });
    expect(faultOf(() => buildTransaction(s, 'Estimate', { Line: [salesLine(5, 1, 5)] }, undefined))).toMatchObject({ code: '2020', element: 'CustomerRef' });
  });

  it('treats references hidden by the batch rule as invalid references', () => {
    const s = scope('US', ['Customer:1']);
    expect(faultOf(() => buildTransaction(s, 'Invoice', { CustomerRef: { value: '1' }, Line: [salesLine(5, 1, 5)] }, undefined))).toMatchObject({
      code: '2500',
      element: 'CustomerRef',
    });
  });

  it('refuses a foreign currency while multicurrency is off', () => {
    const s = scope('US');
    const fault = faultOf(() => buildTransaction(s, 'Invoice', { CustomerRef: { value: '1' }, CurrencyRef: { value: 'EUR' }, Line: [salesLine(5, 1, 5)] }, undefined));
    expect(fault.code).toBe('6000');
    expect(fault.Detail).toContain('EUR');
  });

  it('checks duplicate DocNumbers (6140) only with custom transaction numbers on', () => {
    const s = scope('US');
    s.realm.entities.Invoice['77'] = { Id: '77', DocNumber: 'WR-1' };
    const body = { CustomerRef: { value: '1' }, DocNumber: 'wr-1', Line: [salesLine(5, 1, 5)] };
    expect(buildTransaction(s, 'Invoice', body, undefined)['DocNumber']).toBe('wr-1');
    (s.realm.entities.Preferences['1']!['SalesFormsPrefs'] as QboRecord)['CustomTxnNumbers'] = true;
    const duplicate = faultOf(() => buildTransaction(s, 'Invoice', body, undefined));
    expect(duplicate.code).toBe('6140');
    expect(duplicate.Detail).toContain('DocNumber=wr-1 is assigned to TxnType=Invoice with TxnId=77');
    s.realm.settings.duplicateDocNumberCheck = false;
    expect(buildTransaction(s, 'Invoice', body, undefined)['DocNumber']).toBe('wr-1');
  });

  it('defaults a purchase order to the A/P account and validates expense-line accounts', () => {
    const s = scope('US');
    const po = buildTransaction(
      s,
      'PurchaseOrder',
      {
        VendorRef: { value: '3' },
        Line: [
          { Amount: 40, DetailType: 'ItemBasedExpenseLineDetail', ItemBasedExpenseLineDetail: { ItemRef: { value: '4' }, Qty: 4, UnitPrice: 10 } },
          { Amount: 2.5, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: '6' } } },
        ],
      },
      undefined,
    );
    expect(po['APAccountRef']).toEqual({ value: '11', name: 'Accounts Payable (A/P)' });
    expect(po['TotalAmt']).toBe(42.5);
    expect(po['POStatus']).toBe('Open');
    const badAccount = { Amount: 1, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: '404' } } };
    expect(faultOf(() => buildTransaction(s, 'PurchaseOrder', { VendorRef: { value: '3' }, Line: [badAccount] }, undefined))).toMatchObject({
      code: '2500',
      element: 'Line.AccountBasedExpenseLineDetail.AccountRef',
    });
  });
});

describe('buildTransaction (Canada)', () => {
  it('sums each TaxRate of each line tax code: HST ON 13%, GST/PST BC 5% + 7%', () => {
    const s = scope('CA');
    const invoice = buildTransaction(
      s,
      'Invoice',
      { CustomerRef: { value: '1' }, Line: [salesLine(100, 1, 100, '6'), salesLine(250, 2, 125, '7'), salesLine(50, 1, 50, '3')] },
      undefined,
    );
    const detail = invoice['TxnTaxDetail'] as QboRecord;
    expect(detail['TotalTax']).toBe(43);
    expect(invoice['TotalAmt']).toBe(443);
    expect(invoice['GlobalTaxCalculation']).toBe('TaxExcluded');
    const byRate = Object.fromEntries((detail['TaxLine'] as QboRecord[]).map((t) => [(t['TaxLineDetail'] as { TaxRateRef: { value: string } }).TaxRateRef.value, t['Amount']]));
    expect(byRate).toEqual({ '2': 13, '1': 12.5, '3': 17.5, '5': 0 });
  });

  it('rounds each rate per line and adds the lines up: two GST/PST BC lines of 10.10', () => {
    const s = scope('CA');
    const invoice = buildTransaction(s, 'Invoice', { CustomerRef: { value: '1' }, Line: [salesLine(10.1, 1, 10.1, '7'), salesLine(10.1, 1, 10.1, '7')] }, undefined);
    const detail = invoice['TxnTaxDetail'] as QboRecord;
    // GST 0.505 → 0.51 and PST 0.707 → 0.71 on each line; on the 20.20 sum they would be 1.01 and 1.41.
    expect(detail['TaxLine']).toEqual([
      { Amount: 1.02, DetailType: 'TaxLineDetail', TaxLineDetail: { TaxRateRef: { value: '1' }, PercentBased: true, TaxPercent: 5, NetAmountTaxable: 20.2 } },
      { Amount: 1.42, DetailType: 'TaxLineDetail', TaxLineDetail: { TaxRateRef: { value: '3' }, PercentBased: true, TaxPercent: 7, NetAmountTaxable: 20.2 } },
    ]);
    expect(detail['TotalTax']).toBe(2.44);
    expect(invoice['TotalAmt']).toBe(22.64);
  });

  it("gives the Intuit community thread's figure: 29 × 1.59 and 2 × 17.49 at a 12% code is 9.71 in tax, not 9.73", () => {
    const s = scope('CA');
    s.realm.entities.TaxRate['90'] = { Id: '90', Name: 'HST 12', Active: true, RateValue: 12 };
    s.realm.entities.TaxCode['90'] = {
      Id: '90',
      Name: 'HST 12',
      Active: true,
      Taxable: true,
      SalesTaxRateList: { TaxRateDetail: [{ TaxRateRef: { value: '90' } }] },
      PurchaseTaxRateList: { TaxRateDetail: [] },
    };
    const lines = [...Array.from({ length: 29 }, () => salesLine(1.59, 1, 1.59, '90')), salesLine(17.49, 11, 1.59, '90'), salesLine(17.49, 11, 1.59, '90')];
    const invoice = buildTransaction(s, 'Invoice', { CustomerRef: { value: '1' }, Line: lines }, undefined);
    expect(invoice['TxnTaxDetail']).toMatchObject({ TotalTax: 9.71 });
    expect(invoice['TotalAmt']).toBe(90.8);
  });

  it('rejects TAX/NON and lines without a tax code', () => {
    const s = scope('CA');
    expect(faultOf(() => buildTransaction(s, 'Invoice', { CustomerRef: { value: '1' }, Line: [salesLine(100, 1, 100, 'TAX')] }, undefined))).toMatchObject({
      code: '2500',
      element: 'Line.SalesItemLineDetail.TaxCodeRef',
    });
    expect(faultOf(() => buildTransaction(s, 'Invoice', { CustomerRef: { value: '1' }, Line: [salesLine(100, 1, 100)] }, undefined))).toMatchObject({
      code: '6000',
      Detail: 'Business Validation Error: Make sure all your transactions have a GST/HST rate before you save.',
    });
  });

  it('backs tax out of tax-inclusive amounts', () => {
    const s = scope('CA');
    const invoice = buildTransaction(
      s,
      'Invoice',
      { CustomerRef: { value: '1' }, GlobalTaxCalculation: 'TaxInclusive', Line: [salesLine(113, 1, 113, '6')] },
      undefined,
    );
    expect((invoice['TxnTaxDetail'] as QboRecord)['TotalTax']).toBe(13);
    expect(invoice['TotalAmt']).toBe(113);
  });
});
