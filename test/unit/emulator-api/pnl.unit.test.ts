import { describe, expect, it } from 'vitest';
import { buildProfitAndLoss, periodsFor, resolveDateRange } from '../../../src/emulator/api/pnl.js';
import { SEED_COMPANIES, seedRealm, type QboRecord, type RealmState } from '../../../src/emulator/state/index.js';

const NOW = Date.parse('2026-03-10T18:00:00Z');

function realm(): RealmState {
  return seedRealm(SEED_COMPANIES[1]!, NOW, { withHistory: false });
}

function invoice(r: RealmState, id: string, date: string, lines: Array<[item: string, amount: number]>, balance?: number): void {
  const total = lines.reduce((s, [, a]) => s + a, 0);
  r.entities.Invoice[id] = {
    Id: id,
    TxnDate: date,
    TotalAmt: total,
    Balance: balance ?? total,
    Line: lines.map(([item, amount]) => ({ Amount: amount, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item } } })),
  };
}

function expense(r: RealmState, id: string, date: string, account: string, amount: number): void {
  r.entities.Purchase[id] = {
    Id: id,
    TxnDate: date,
    Line: [{ Amount: amount, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: account } } }],
  };
}

function rowsOf(report: QboRecord): QboRecord[] {
  return (report['Rows'] as { Row: QboRecord[] }).Row;
}

function group(report: QboRecord, name: string): QboRecord | undefined {
  return rowsOf(report).find((r) => r['group'] === name);
}

function summaryValues(row: QboRecord | undefined): string[] {
  return ((row?.['Summary'] as { ColData: Array<{ value: string }> } | undefined)?.ColData ?? []).map((c) => c.value);
}

const params = { startDate: '2026-01-01', endDate: '2026-03-31', basis: 'Accrual' as const, summarizeBy: 'Total' as const, dateMacro: undefined, nowMs: NOW };

describe('buildProfitAndLoss', () => {
  it('posts invoice lines to item income accounts, nests sub-accounts, and nets expenses', () => {
    const r = realm();
    invoice(r, '1', '2026-01-15', [['2', 1250], ['3', 99.99]]);
    invoice(r, '2', '2026-02-01', [['1', 100]]);
    invoice(r, '3', '2025-12-31', [['1', 5000]]);
    expense(r, '4', '2026-02-10', '9', 1200.5);
    const report = buildProfitAndLoss(r, params);
    const income = group(report, 'Income')!;
    const incomeRows = (income['Rows'] as { Row: QboRecord[] }).Row;
    expect(incomeRows.map((x) => ((x['ColData'] ?? (x['Header'] as QboRecord)['ColData']) as Array<{ value: string }>)[0]!.value)).toEqual([
      'Sales of Product Income',
      'Services',
    ]);
    expect(incomeRows[1]).toMatchObject({
      Header: { ColData: [{ value: 'Services', id: '1' }, { value: '100.00' }] },
      Rows: { Row: [{ ColData: [{ value: 'Design Services', id: '2' }, { value: '1250.00' }], type: 'Data' }] },
      Summary: { ColData: [{ value: 'Total Services' }, { value: '1350.00' }] },
      type: 'Section',
    });
    expect(summaryValues(income)).toEqual(['Total Income', '1449.99']);
    expect(summaryValues(group(report, 'GrossProfit'))).toEqual(['Gross Profit', '1449.99']);
    expect(summaryValues(group(report, 'Expenses'))).toEqual(['Total Expenses', '1200.50']);
    expect(summaryValues(group(report, 'NetIncome'))).toEqual(['Net Income', '249.49']);
    expect(group(report, 'COGS')).toBeUndefined();
    expect((report['Header'] as QboRecord)['Option']).toEqual([
      { Name: 'AccountingStandard', Value: 'GAAP' },
      { Name: 'NoReportData', Value: 'false' },
    ]);
  });

  it('counts only paid invoices on cash basis', () => {
    const r = realm();
    invoice(r, '1', '2026-01-15', [['2', 100]]);
    invoice(r, '2', '2026-01-16', [['2', 40]], 0);
    expense(r, '3', '2026-01-20', '7', 10);
    const report = buildProfitAndLoss(r, { ...params, basis: 'Cash' });
    expect(summaryValues(group(report, 'Income'))).toEqual(['Total Income', '40.00']);
    expect((report['Header'] as QboRecord)['ReportBasis']).toBe('Cash');
  });

  it('answers an empty period with NoReportData and label-only rows', () => {
    const report = buildProfitAndLoss(realm(), params);
    expect((report['Header'] as QboRecord)['Option']).toContainEqual({ Name: 'NoReportData', Value: 'true' });
    expect((report['Columns'] as { Column: unknown[] }).Column).toHaveLength(1);
    expect(rowsOf(report).map((row) => row['group'])).toEqual(['Income', 'GrossProfit', 'Expenses', 'NetOperatingIncome', 'NetIncome']);
  });

  it('splits columns by month with a Total column and blank cells for months without activity', () => {
    const r = realm();
    invoice(r, '1', '2026-01-15', [['3', 10]]);
    invoice(r, '2', '2026-03-02', [['3', 5]]);
    const report = buildProfitAndLoss(r, { ...params, summarizeBy: 'Month' });
    expect((report['Columns'] as { Column: Array<{ ColTitle: string }> }).Column.map((c) => c.ColTitle)).toEqual(['', 'Jan 2026', 'Feb 2026', 'Mar 2026', 'Total']);
    const data = ((group(report, 'Income')!['Rows'] as { Row: QboRecord[] }).Row[0]!['ColData'] as Array<{ value: string }>).map((c) => c.value);
    expect(data).toEqual(['Sales of Product Income', '10.00', '', '5.00', '15.00']);
  });
});

describe('the demo history a fresh emulator starts with', () => {
  const demoStudio = SEED_COMPANIES.find((c) => c.name === 'Workroom Demo Studio')!;
  const thisMonth = (nowIso: string, start: string, end: string) => {
    const nowMs = Date.parse(nowIso);
    return buildProfitAndLoss(seedRealm(demoStudio, nowMs, { withHistory: true }), { ...params, startDate: start, endDate: end, nowMs });
  };

  // The P&L page opens on "This month": a demo opened on the 2nd must not greet the studio with an empty report.
  it('keeps its latest invoice and expense inside the current month, even in the first days of a month', () => {
    const early = thisMonth('2026-03-02T18:00:00Z', '2026-03-01', '2026-03-31');
    expect(summaryValues(group(early, 'Income'))).toEqual(['Total Income', '286.50']);
    expect(summaryValues(group(early, 'Expenses'))).toEqual(['Total Expenses', '245.80']);
    const onTheFirst = thisMonth('2026-03-01T18:00:00Z', '2026-03-01', '2026-03-31');
    expect(summaryValues(group(onTheFirst, 'NetIncome'))).toEqual(['Net Income', '40.70']);
  });

  it('dates it 10 and 12 days back later in the month, with the older history in earlier months', () => {
    const late = thisMonth('2026-03-25T18:00:00Z', '2026-03-15', '2026-03-15');
    expect(summaryValues(group(late, 'Income'))).toEqual(['Total Income', '286.50']);
    const expenseDay = thisMonth('2026-03-25T18:00:00Z', '2026-03-13', '2026-03-13');
    expect(summaryValues(group(expenseDay, 'Expenses'))).toEqual(['Total Expenses', '245.80']);
    const before = thisMonth('2026-03-02T18:00:00Z', '2026-01-01', '2026-02-28');
    expect(summaryValues(group(before, 'Income'))).toEqual(['Total Income', '3450.00']);
    expect(summaryValues(group(before, 'Expenses'))).toEqual(['Total Expenses', '1200.00']);
  });
});

describe('periods and date macros', () => {
  it('aligns quarters and clips the first and last period to the range', () => {
    expect(periodsFor('2026-02-15', '2026-07-01', 'Quarter')).toEqual([
      { title: 'Jan - Mar 2026', start: '2026-02-15', end: '2026-03-31' },
      { title: 'Apr - Jun 2026', start: '2026-04-01', end: '2026-06-30' },
      { title: 'Jul - Sep 2026', start: '2026-07-01', end: '2026-07-01' },
    ]);
  });

  it('resolves QBO date macros against the clock', () => {
    expect(resolveDateRange(undefined, undefined, 'Last Month', NOW)).toEqual({ startDate: '2026-02-01', endDate: '2026-02-28' });
    expect(resolveDateRange(undefined, undefined, 'This Year-to-date', NOW)).toEqual({ startDate: '2026-01-01', endDate: '2026-03-10' });
    expect(resolveDateRange(undefined, undefined, undefined, NOW)).toEqual({ startDate: '2026-03-01', endDate: '2026-03-10' });
    expect(resolveDateRange(undefined, undefined, 'next century', NOW)).toBeUndefined();
  });
});
