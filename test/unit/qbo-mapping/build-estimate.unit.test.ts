import { describe, expect, it } from 'vitest';
import { buildEstimate } from '../../../src/qbo/mapping/index.js';
import { accounts, caSales, expectErr, expectOk, final, makeDocument, makeLine, usSales } from './fixtures.js';

function estimate(overrides: Parameters<typeof makeDocument>[0] = {}) {
  return final(
    makeDocument({ type: 'estimate', number: 'EST-12', dueDate: null, expirationDate: '2025-04-15', ...overrides }),
    'estimate',
  );
}

describe('buildEstimate', () => {
  it('builds a US estimate with ExpirationDate and per-category items', () => {
    const doc = estimate({
      lines: [
        makeLine({ description: 'Drapery fabric', quantity: '12.5', rate: '38.40', categoryId: 'cat_furniture' }),
        makeLine({ description: 'Install', quantity: '1', rate: '275', taxable: false }),
      ],
    });
    const payload = expectOk(buildEstimate(doc, usSales({ accounts: accounts({ incomeByCategory: { cat_furniture: '81' } }) })));
    expect(payload).toStrictEqual({
      DocNumber: 'EST-12',
      TxnDate: '2025-03-01',
      ExpirationDate: '2025-04-15',
      CurrencyRef: { value: 'USD' },
      CustomerRef: { value: '58' },
      Line: [
        {
          DetailType: 'SalesItemLineDetail',
          Amount: 480,
          Description: 'Drapery fabric',
          SalesItemLineDetail: { ItemRef: { value: '501' }, Qty: 12.5, UnitPrice: 38.4, TaxCodeRef: { value: 'TAX' } },
        },
        {
          DetailType: 'SalesItemLineDetail',
          Amount: 275,
          Description: 'Install',
          SalesItemLineDetail: { ItemRef: { value: '500' }, Qty: 1, UnitPrice: 275, TaxCodeRef: { value: 'NON' } },
        },
      ],
      TxnTaxDetail: { TxnTaxCodeRef: { value: '7' } },
    });
  });

  it('never treats an estimate as a retainer', () => {
    const doc = estimate({ isRetainer: true });
    const payload = expectOk(buildEstimate(doc, usSales()));
    expect(payload.Line[0]?.SalesItemLineDetail.ItemRef).toEqual({ value: '500' });
  });

  it('builds a Canadian estimate with TaxCode ids and TaxExcluded', () => {
    const doc = estimate({ currency: 'cad', lines: [makeLine({ taxCodeId: 'tc_exempt', taxable: false })] });
    const payload = expectOk(buildEstimate(doc, caSales()));
    expect(payload.Line[0]?.SalesItemLineDetail.TaxCodeRef).toEqual({ value: '13' });
    expect(payload.GlobalTaxCalculation).toBe('TaxExcluded');
    expect(payload.CurrencyRef).toEqual({ value: 'CAD' });
  });

  it('refuses without an income account', () => {
    const problems = expectErr(buildEstimate(estimate(), usSales({ accounts: accounts({ defaultIncomeAccountId: null }) })));
    expect(problems).toEqual([expect.objectContaining({ kind: 'account_not_specified', role: 'income', lineIndexes: [0] })]);
  });

  it('updates in place with Id and SyncToken and omits a missing expiration date', () => {
    const payload = expectOk(buildEstimate(estimate({ expirationDate: null }), usSales(), { Id: '77', SyncToken: '0' }));
    expect(payload).toMatchObject({ Id: '77', SyncToken: '0', sparse: false });
    expect(payload).not.toHaveProperty('ExpirationDate');
  });
});
