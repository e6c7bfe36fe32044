import { Decimal } from 'decimal.js';
import type { PnlAmount, PnlNode, PnlReport, PnlResponse } from '../../../server/routes/qbo-reports/contract.js';
import { formatAmount } from '../../format.js';

/**
 * What the P&L page shows, as pure functions: amounts the way QBO prints them, the chart's figures and
 * the CSV export. No React here, so each is unit-tested on its own.
 */

/** QBO's default number format: grouped, two decimals, a leading minus for negatives; blank stays blank. */
export function pnlAmountText(amount: PnlAmount | undefined): string {
  return amount === null || amount === undefined ? '' : formatAmount(amount);
}

export interface PnlFigures {
  readonly title: string;
  readonly income: Decimal;
  readonly expenses: Decimal;
  readonly net: Decimal;
}

function add(...amounts: (PnlAmount | undefined)[]): Decimal {
  return amounts.reduce<Decimal>((sum, a) => (a === null || a === undefined ? sum : sum.plus(a)), new Decimal(0));
}

/**
 * Income (Income + Other Income), expenses (COGS + Expenses + Other Expenses) and Net Income per period,
 * from QBO's own totals. A report summarized by month or quarter charts each period, else its Total.
 */
export function pnlFigures(report: PnlReport): PnlFigures[] {
  const indexes = report.columns.map((column, index) => ({ column, index }));
  const periods = indexes.length > 1 ? indexes.filter(({ column }) => column.key !== 'total' && column.title !== 'Total') : indexes;
  const t = report.totals;
  return periods.map(({ column, index }) => {
    const income = add(t.Income?.[index], t.OtherIncome?.[index]);
    const expenses = add(t.COGS?.[index], t.Expenses?.[index], t.OtherExpenses?.[index]);
    const printedNet = t.NetIncome?.[index];
    return {
      title: column.title,
      income,
      expenses,
      net: printedNet === null || printedNet === undefined ? income.minus(expenses) : new Decimal(printedNet),
    };
  });
}

/** An account name a spreadsheet must not run as a formula (names come from QBO, i.e. from users). */
function safeLabel(label: string): string {
  return /^[=+\-@\t\r]/.test(label) ? `'${label}` : label;
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvAmount(amount: PnlAmount | undefined): string {
  return amount === null || amount === undefined ? '' : new Decimal(amount).toFixed(2);
}

function csvRows(nodes: readonly PnlNode[], depth: number, width: number, out: string[][]): void {
  const indent = '   '.repeat(depth);
  const amounts = (list: readonly PnlAmount[]) => Array.from({ length: width }, (_, i) => csvAmount(list[i]));
  for (const node of nodes) {
    if (node.kind === 'line') {
      out.push([indent + safeLabel(node.label), ...amounts(node.amounts)]);
      continue;
    }
    if (node.hasHeader) out.push([indent + safeLabel(node.label), ...amounts(node.headerAmounts)]);
    csvRows(node.children, depth + 1, width, out);
    if (node.summary) out.push([indent + safeLabel(node.summary.label), ...amounts(node.summary.amounts)]);
  }
}

/** QBO's own export layout: title lines, a blank line, the column heads, then every row with its indent. */
export function pnlCsv(response: PnlResponse): string {
  const { report } = response;
  const width = report.columns.length;
  const lines: string[][] = [
    ['Profit and Loss'],
    [safeLabel(response.company.name)],
    [`${response.range.start} to ${response.range.end}`],
    [`${report.basis ?? (response.method === 'cash' ? 'Cash' : 'Accrual')} basis${report.currency ? ` (${report.currency})` : ''}`],
    [],
    ['', ...report.columns.map((c) => c.title)],
  ];
  csvRows(report.rows, 0, width, lines);
  return `${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export function pnlCsvFileName(response: PnlResponse): string {
  return `ProfitAndLoss_${response.range.start}_${response.range.end}.csv`;
}

/** The browser's calendar day: "this month" is the user's month, not the server's. */
export function browserToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 2026-03-01 → "Mar 1, 2026". */
export function longDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  return `${MONTHS[(month ?? 1) - 1] ?? ''} ${day ?? ''}, ${year ?? ''}`;
}
