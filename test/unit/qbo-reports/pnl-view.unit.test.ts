import { describe, expect, it } from 'vitest';
import type { PnlNode, PnlResponse } from '../../../src/server/routes/qbo-reports/contract.js';
import { browserToday, longDate, pnlAmountText, pnlCsv, pnlCsvFileName, pnlFigures } from '../../../src/web/pages/reports/pnl-view.js';

const line = (label: string, ...amounts: (string | null)[]): PnlNode => ({ kind: 'line', label, accountId: null, amounts });
const group = (groupName: string, label: string, children: PnlNode[], total: string, ...more: string[]): PnlNode => ({
  kind: 'section',
  group: groupName,
  label,
  accountId: null,
  hasHeader: true,
  headerAmounts: [null],
  children,
  summary: { label: `Total ${label}`, amounts: [total, ...more] },
});
const totalLine = (groupName: string, label: string, ...amounts: string[]): PnlNode => ({
  kind: 'section',
  group: groupName,
  label,
  accountId: null,
  hasHeader: false,
  headerAmounts: [],
  children: [],
  summary: { label, amounts },
});

function response(overrides: Partial<PnlResponse['report']> = {}): PnlResponse {
  return {
    range: { preset: 'custom', start: '2026-03-01', end: '2026-03-31' },
    method: 'accrual',
    columns: 'total',
    company: { name: 'Studio, "North"', realmId: '4620816365290212450', environment: 'sandbox' },
    qboUrl: 'https://app.sandbox.qbo.intuit.com/app/reportv2?token=PANDL',
    fetchedAt: '2026-03-31T10:00:00.000Z',
    report: {
      basis: 'Accrual',
      startPeriod: '2026-03-01',
      endPeriod: '2026-03-31',
      currency: 'USD',
      columns: [{ title: 'Total', key: 'total' }],
      noData: false,
      rows: [
        group('Income', 'Income', [
          {
            kind: 'section',
            group: null,
            label: 'Services',
            accountId: '1',
            hasHeader: true,
            headerAmounts: ['191.00'],
            children: [line('Design Services', '375.00')],
            summary: { label: 'Total Services', amounts: ['566.00'] },
          },
        ], '566.00'),
        totalLine('GrossProfit', 'Gross Profit', '566.00'),
        group('Expenses', 'Expenses', [line('Rent & Lease', '1200.00'), line('=HYPERLINK("x")', '-5.00'), line('Advertising', null)], '1195.00'),
        totalLine('NetOperatingIncome', 'Net Operating Income', '-629.00'),
        totalLine('NetIncome', 'Net Income', '-629.00'),
      ],
      totals: { Income: ['566.00'], GrossProfit: ['566.00'], Expenses: ['1195.00'], NetOperatingIncome: ['-629.00'], NetIncome: ['-629.00'] },
      ...overrides,
    },
  };
}

describe('pnlAmountText', () => {
  it('prints amounts as QBO does by default: grouped, two decimals, a leading minus; blank stays blank', () => {
    expect(['1234567.5', '-40.25', '0', '-0.00'].map(pnlAmountText)).toEqual(['1,234,567.50', '-40.25', '0.00', '0.00']);
    expect(pnlAmountText(null)).toBe('');
    expect(pnlAmountText(undefined)).toBe('');
  });
});

describe('pnlFigures', () => {
  it('charts income, expenses and net income from QBO’s totals', () => {
    const [figures] = pnlFigures(response().report);
    expect(figures && [figures.title, figures.income.toFixed(2), figures.expenses.toFixed(2), figures.net.toFixed(2)]).toEqual([
      'Total',
      '566.00',
      '1195.00',
      '-629.00',
    ]);
  });

  it('counts other income and expenses and COGS, and charts each period rather than the Total', () => {
    const figures = pnlFigures({
      ...response().report,
      columns: [
        { title: 'Jan 2026', key: 'Jan 2026' },
        { title: 'Feb 2026', key: 'Feb 2026' },
        { title: 'Total', key: 'total' },
      ],
      totals: {
        Income: ['100.00', '0.00', '100.00'],
        COGS: ['10.00', null, '10.00'],
        Expenses: ['20.00', '5.00', '25.00'],
        OtherIncome: ['1.50', '0.00', '1.50'],
        OtherExpenses: ['0.25', '0.00', '0.25'],
      },
    });
    expect(figures.map((f) => [f.title, f.income.toFixed(2), f.expenses.toFixed(2), f.net.toFixed(2)])).toEqual([
      ['Jan 2026', '101.50', '30.25', '71.25'],
      ['Feb 2026', '0.00', '5.00', '-5.00'],
    ]);
  });
});

describe('pnlCsv', () => {
  it('exports every line in QBO’s layout with indents, plain decimals, and safe cells', () => {
    const csv = pnlCsv(response());
    expect(csv.split('\r\n')).toEqual([
      'Profit and Loss',
      '"Studio, ""North"""',
      '2026-03-01 to 2026-03-31',
      'Accrual basis (USD)',
      '',
      ',Total',
      'Income,',
      '"   Services",191.00',
      '"      Design Services",375.00',
      '"   Total Services",566.00',
      'Total Income,566.00',
      'Gross Profit,566.00',
      'Expenses,',
      '"   Rent & Lease",1200.00',
      `"   '=HYPERLINK(""x"")",-5.00`,
      '"   Advertising",',
      'Total Expenses,1195.00',
      'Net Operating Income,-629.00',
      'Net Income,-629.00',
      '',
    ]);
    expect(pnlCsvFileName(response())).toBe('ProfitAndLoss_2026-03-01_2026-03-31.csv');
  });
});

describe('dates', () => {
  it('names the browser’s own day and prints dates readably', () => {
    expect(browserToday(new Date(2026, 10, 5, 23, 30))).toBe('2026-11-05');
    expect(longDate('2026-03-01')).toBe('Mar 1, 2026');
  });
});
