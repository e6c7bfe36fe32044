import { describe, expect, it } from 'vitest';
import { parseProfitAndLoss, type ReportNode, type ReportSection } from '../../../src/qbo/reports/profit-and-loss.js';

const header = (extra: Record<string, unknown> = {}) => ({
  Time: '2026-11-25T10:00:00-08:00',
  ReportName: 'ProfitAndLoss',
  ReportBasis: 'Accrual',
  StartPeriod: '2026-01-01',
  EndPeriod: '2026-11-25',
  SummarizeColumnsBy: 'Total',
  Currency: 'USD',
  Option: [
    { Name: 'AccountingStandard', Value: 'GAAP' },
    { Name: 'NoReportData', Value: 'false' },
  ],
  ...extra,
});
const totalColumns = {
  Column: [
    { ColTitle: '', ColType: 'Account', MetaData: [{ Name: 'ColKey', Value: 'account' }] },
    { ColTitle: 'Total', ColType: 'Money', MetaData: [{ Name: 'ColKey', Value: 'total' }] },
  ],
};
const data = (name: string, id: string, ...amounts: string[]) => ({
  type: 'Data',
  ColData: [{ value: name, id }, ...amounts.map((value) => ({ value }))],
});
const summaryOnly = (group: string, label: string, ...amounts: string[]) => ({
  type: 'Section',
  group,
  Summary: { ColData: [{ value: label }, ...amounts.map((value) => ({ value }))] },
});

const asSection = (node: ReportNode | undefined): ReportSection => {
  if (node?.kind !== 'section') throw new Error(`expected a section, got ${node?.kind}`);
  return node;
};

describe('parseProfitAndLoss', () => {
  it('reports no data only when QBO says so', () => {
    const report = parseProfitAndLoss({
      Header: header({
        Option: [
          { Name: 'AccountingStandard', Value: 'GAAP' },
          { Name: 'NoReportData', Value: 'true' },
        ],
      }),
      Columns: totalColumns,
      Rows: {},
    });
    expect(report.noData).toBe(true);
    expect(report.rows).toEqual([]);
    expect(report.totals).toEqual({});
    expect(report.columns).toEqual([{ title: 'Total', key: 'total' }]);
  });

  it('keeps one income section with its lines, in order, as decimals', () => {
    const report = parseProfitAndLoss({
      Header: header(),
      Columns: totalColumns,
      Rows: {
        Row: [
          {
            type: 'Section',
            group: 'Income',
            Header: { ColData: [{ value: 'Income' }, { value: '' }] },
            Rows: { Row: [data('Design Services', '82', '2250.00'), data('Sales of Product Income', '79', '0.10')] },
            Summary: { ColData: [{ value: 'Total Income' }, { value: '2250.10' }] },
          },
          summaryOnly('GrossProfit', 'Gross Profit', '2250.10'),
          summaryOnly('NetIncome', 'Net Income', '2250.10'),
        ],
      },
    });
    expect(report.noData).toBe(false);
    const income = asSection(report.rows[0]);
    expect(income.children.map((c) => c.label)).toEqual(['Design Services', 'Sales of Product Income']);
    expect(income.children[0]).toMatchObject({ kind: 'line', accountId: '82' });
    expect(income.children[1]?.kind === 'line' && income.children[1].amounts[0]?.toFixed(2)).toBe('0.10');
    expect(report.totals.Income?.[0]?.toFixed(2)).toBe('2250.10');
    expect(report.totals.NetIncome?.[0]?.toFixed(2)).toBe('2250.10');
    expect(report.totals.COGS).toBeUndefined();
  });

  it('nests sub-accounts as sections and keeps negative amounts and blank cells apart', () => {
    const report = parseProfitAndLoss({
      Header: header(),
      Columns: totalColumns,
      Rows: {
        Row: [
          {
            type: 'Section',
            group: 'Expenses',
            Header: { ColData: [{ value: 'Expenses' }, { value: '' }] },
            Rows: {
              Row: [
                {
                  type: 'Section',
                  Header: { ColData: [{ value: 'Automobile', id: '55' }, { value: '12.00' }] },
                  Rows: { Row: [data('Fuel', '56', '-40.25')] },
                  Summary: { ColData: [{ value: 'Total Automobile' }, { value: '-28.25' }] },
                },
                data('Advertising', '7', ''),
              ],
            },
            Summary: { ColData: [{ value: 'Total Expenses' }, { value: '-28.25' }] },
          },
        ],
      },
    });
    const expenses = asSection(report.rows[0]);
    const auto = asSection(expenses.children[0]);
    expect(auto.group).toBeUndefined();
    expect(auto.accountId).toBe('55');
    expect(auto.headerAmounts[0]?.toFixed(2)).toBe('12.00');
    expect(auto.children[0]).toMatchObject({ kind: 'line', label: 'Fuel' });
    expect(auto.children[0]?.kind === 'line' && auto.children[0].amounts[0]?.isNegative()).toBe(true);
    expect(auto.summary?.label).toBe('Total Automobile');
    expect(expenses.children[1]).toMatchObject({ kind: 'line', label: 'Advertising', amounts: [null] });
  });

  it('keeps monthly columns as columns, totals per column', () => {
    const report = parseProfitAndLoss({
      Header: header({ SummarizeColumnsBy: 'Month' }),
      Columns: {
        Column: [
          { ColTitle: '', ColType: 'Account' },
          { ColTitle: 'Sep 2026', ColType: 'Money', MetaData: [{ Name: 'ColKey', Value: '0' }] },
          { ColTitle: 'Oct 2026', ColType: 'Money', MetaData: [{ Name: 'ColKey', Value: '1' }] },
          { ColTitle: 'Total', ColType: 'Money', MetaData: [{ Name: 'ColKey', Value: 'total' }] },
        ],
      },
      Rows: {
        Row: [
          {
            type: 'Section',
            group: 'Income',
            Header: { ColData: [{ value: 'Income' }, { value: '' }, { value: '' }, { value: '' }] },
            Rows: { Row: [data('Design Services', '82', '100.00', '50.50', '150.50')] },
            Summary: { ColData: [{ value: 'Total Income' }, { value: '100.00' }, { value: '50.50' }, { value: '150.50' }] },
          },
        ],
      },
    });
    expect(report.columns.map((c) => c.title)).toEqual(['Sep 2026', 'Oct 2026', 'Total']);
    expect(report.totals.Income?.map((a) => a?.toFixed(2))).toEqual(['100.00', '50.50', '150.50']);
  });

  it('reads the empty report QBO sends for a quiet period: label-only sections and no money column', () => {
    const labelOnly = (value: string) => ({ ColData: [{ value }] });
    const report = parseProfitAndLoss({
      Header: header({ Option: [{ Name: 'NoReportData', Value: 'true' }] }),
      Columns: { Column: [{ ColTitle: '', ColType: 'Account', MetaData: [{ Name: 'ColKey', Value: 'account' }] }] },
      Rows: {
        Row: [
          { Header: labelOnly('Income'), Summary: labelOnly('Total Income'), type: 'Section', group: 'Income' },
          { Summary: labelOnly('Gross Profit'), type: 'Section', group: 'GrossProfit' },
          { Summary: labelOnly('Net Income'), type: 'Section', group: 'NetIncome' },
        ],
      },
    });
    expect(report.noData).toBe(true);
    expect(report.columns).toEqual([]);
    expect(report.rows.map((r) => r.label)).toEqual(['Income', 'Gross Profit', 'Net Income']);
    expect(report.totals.NetIncome).toEqual([]);
  });

  it('does not call a report without rows empty unless QBO flagged it', () => {
    const report = parseProfitAndLoss({ Header: header(), Columns: totalColumns, Rows: { Row: [] } });
    expect(report.noData).toBe(false);
    expect(report.rows).toEqual([]);
  });

  it('tells header sections from summary-only total lines', () => {
    const report = parseProfitAndLoss({
      Header: header(),
      Columns: totalColumns,
      Rows: {
        Row: [
          {
            type: 'Section',
            group: 'Expenses',
            Header: { ColData: [{ value: 'Expenses' }, { value: '' }] },
            Summary: { ColData: [{ value: 'Total Expenses' }, { value: '0.00' }] },
          },
          summaryOnly('NetOperatingIncome', 'Net Operating Income', '-1200.00'),
        ],
      },
    });
    const [expenses, operating] = report.rows.map(asSection);
    expect(expenses).toMatchObject({ hasHeader: true, label: 'Expenses', children: [], headerAmounts: [null] });
    expect(operating).toMatchObject({ hasHeader: false, label: 'Net Operating Income', headerAmounts: [] });
    expect(report.totals.NetOperatingIncome?.[0]?.toFixed(2)).toBe('-1200.00');
    expect(report.totals.Expenses?.[0]?.isZero()).toBe(true);
  });

  it('keeps quarterly columns and a parent account’s own postings per column', () => {
    const report = parseProfitAndLoss({
      Header: header({ SummarizeColumnsBy: 'Quarter' }),
      Columns: {
        Column: [
          { ColTitle: '', ColType: 'Account' },
          { ColTitle: 'Jan - Mar 2026', ColType: 'Money', MetaData: [{ Name: 'StartDate', Value: '2026-01-01' }, { Name: 'ColKey', Value: 'Jan - Mar 2026' }] },
          { ColTitle: 'Apr - Jun 2026', ColType: 'Money', MetaData: [{ Name: 'ColKey', Value: 'Apr - Jun 2026' }] },
          { ColTitle: 'Total', ColType: 'Money', MetaData: [{ Name: 'ColKey', Value: 'total' }] },
        ],
      },
      Rows: {
        Row: [
          {
            type: 'Section',
            group: 'Income',
            Header: { ColData: [{ value: 'Income' }, { value: '' }, { value: '' }, { value: '' }] },
            Rows: {
              Row: [
                {
                  type: 'Section',
                  Header: { ColData: [{ value: 'Services', id: '1' }, { value: '' }, { value: '191.00' }, { value: '191.00' }] },
                  Rows: { Row: [data('Design Services', '2', '375.00', '', '375.00')] },
                  Summary: { ColData: [{ value: 'Total Services' }, { value: '375.00' }, { value: '191.00' }, { value: '566.00' }] },
                },
              ],
            },
            Summary: { ColData: [{ value: 'Total Income' }, { value: '375.00' }, { value: '191.00' }, { value: '566.00' }] },
          },
        ],
      },
    });
    expect(report.columns).toEqual([
      { title: 'Jan - Mar 2026', key: 'Jan - Mar 2026' },
      { title: 'Apr - Jun 2026', key: 'Apr - Jun 2026' },
      { title: 'Total', key: 'total' },
    ]);
    const services = asSection(asSection(report.rows[0]).children[0]);
    expect(services.headerAmounts.map((a) => a?.toFixed(2) ?? null)).toEqual([null, '191.00', '191.00']);
    const design = services.children[0];
    expect(design?.kind === 'line' && design.amounts.map((a) => a?.toFixed(2) ?? null)).toEqual(['375.00', null, '375.00']);
    expect(services.summary?.amounts.map((a) => a?.toFixed(2))).toEqual(['375.00', '191.00', '566.00']);
  });

  it('refuses a body that is not a report', () => {
    expect(() => parseProfitAndLoss({ Fault: { Error: [] } })).toThrow();
  });
});
