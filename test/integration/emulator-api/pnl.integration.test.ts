/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- QBO response JSON is asserted by value. */
import { Decimal } from 'decimal.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CA, US, US_HISTORY, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ limits: { enabled: false } }, true);
});
afterEach(async () => {
  await h.app.close();
});

type Row = { ColData?: Array<{ value: string; id?: string }>; Header?: Row; Rows?: { Row: Row[] }; Summary?: Row; group?: string };

function dataByAccount(rows: Row[], out = new Map<string, string>()): Map<string, string> {
  for (const row of rows) {
    if (row.ColData?.[0]?.id) out.set(row.ColData[0].id, row.ColData[1]!.value);
    if (row.Header?.ColData?.[0]?.id && row.Header.ColData[1]!.value !== '') out.set(row.Header.ColData[0].id, row.Header.ColData[1]!.value);
    if (row.Rows) dataByAccount(row.Rows.Row, out);
  }
  return out;
}

const sale = (item: string, qty: number, price: number) => ({
  Amount: new Decimal(qty).times(price).toDecimalPlaces(2).toNumber(),
  DetailType: 'SalesItemLineDetail',
  SalesItemLineDetail: { ItemRef: { value: item }, Qty: qty, UnitPrice: price, TaxCodeRef: { value: 'TAX' } },
});

describe('ProfitAndLoss', () => {
  it('equals the sum of invoice lines per income account; estimates and purchase orders do not post', async () => {
    const invoices = [
      [sale('2', 3, 125), sale('3', 1, 899.99)],
      [sale('1', 2.5, 80), sale('2', 1, 125)],
    ];
    const expected = new Map<string, Decimal>();
    const incomeAccount: Record<string, string> = { '1': '1', '2': '2', '3': '3' };
    for (const lines of invoices) {
      const res = await h.call('POST', US, 'invoice', { CustomerRef: { value: '1' }, TxnDate: '2024-05-10', Line: lines, TxnTaxDetail: { TxnTaxCodeRef: { value: '2' } } });
      expect(res.statusCode).toBe(200);
      for (const l of lines) {
        const acct = incomeAccount[l.SalesItemLineDetail.ItemRef.value]!;
        expected.set(acct, (expected.get(acct) ?? new Decimal(0)).plus(l.Amount));
      }
    }
    await h.call('POST', US, 'estimate', { CustomerRef: { value: '1' }, TxnDate: '2024-05-11', Line: [sale('3', 10, 1000)] });
    await h.call('POST', US, 'purchaseorder', {
      VendorRef: { value: '3' },
      TxnDate: '2024-05-11',
      Line: [{ Amount: 500, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: '6' } } }],
    });
    const res = await h.call('GET', US, 'reports/ProfitAndLoss?start_date=2024-05-01&end_date=2024-05-31&accounting_method=Accrual&minorversion=75');
    expect(res.statusCode).toBe(200);
    const report = res.json<{ Header: { ReportName: string }; Rows: { Row: Row[] } }>();
    expect(report.Header.ReportName).toBe('ProfitAndLoss');
    const actual = dataByAccount(report.Rows.Row);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries([...expected].map(([k, v]) => [k, v.toFixed(2)])));
    const total = [...expected.values()].reduce((a, b) => a.plus(b), new Decimal(0));
    const netIncome = report.Rows.Row.find((r) => r.group === 'NetIncome')!.Summary!.ColData![1]!.value;
    expect(netIncome).toBe(total.toFixed(2));

    const cash = (await h.call('GET', US, 'reports/ProfitAndLoss?start_date=2024-05-01&end_date=2024-05-31&accounting_method=Cash')).json();
    expect(cash.Header.Option).toContainEqual({ Name: 'NoReportData', Value: 'true' });
  });

  it('shows the seeded demo history by default and summarizes by month', async () => {
    const res = await h.call('GET', US_HISTORY, 'reports/ProfitAndLoss?date_macro=This%20Year&summarize_column_by=Month');
    const body = res.json<{ Header: { DateMacro: string }; Columns: { Column: Array<{ ColTitle: string }> } }>();
    expect(body.Header.DateMacro).toBe('This Year');
    expect(body.Columns.Column).toHaveLength(14);
    const ca = (await h.call('GET', CA, 'reports/ProfitAndLoss?date_macro=Last%20Year')).json();
    expect(ca.Header.Currency).toBe('CAD');
  });
});
