import type { Decimal } from 'decimal.js';
import { asString, isRecord, qboDate, qboResponseTime, refValue, type QboRecord, type RealmState } from '../state/index.js';
import { round2, sum, toDecimal, toReportString, ZERO } from './money.js';

/**
 * ProfitAndLoss built from posted transactions, in QBO's report shape (Header / Columns / Rows with Sections
 * grouped Income, COGS, GrossProfit, Expenses, NetOperatingIncome, OtherIncome, OtherExpenses, NetOtherIncome,
 * NetIncome; sub-accounts nest as Sections with "Total <name>" summaries; accounts without activity are left out).
 * What posts: invoice lines to their item's income account (by TxnDate), paid expenses (Purchase) to their
 * account lines. Estimates and purchase orders never post. Cash basis counts an invoice only once it is paid;
 * the emulator has no payments, so on cash basis unpaid invoices contribute nothing.
 */
export type ReportBasis = 'Accrual' | 'Cash';
export type SummarizeBy = 'Total' | 'Month' | 'Quarter' | 'Year';

export interface PnlParams {
  startDate: string;
  endDate: string;
  basis: ReportBasis;
  summarizeBy: SummarizeBy;
  dateMacro: string | undefined;
  nowMs: number;
}

export interface Posting {
  accountId: string;
  date: string;
  amount: Decimal;
}

interface Period {
  title: string;
  start: string;
  end: string;
}

const GROUP_BY_TYPE: Record<string, Group> = {
  Income: 'Income',
  'Cost of Goods Sold': 'COGS',
  Expense: 'Expenses',
  'Other Income': 'OtherIncome',
  'Other Expense': 'OtherExpenses',
};
type Group = 'Income' | 'COGS' | 'Expenses' | 'OtherIncome' | 'OtherExpenses';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function lines(record: QboRecord): QboRecord[] {
  return Array.isArray(record['Line']) ? (record['Line'] as unknown[]).filter(isRecord) : [];
}

function combinedSalesRate(realm: RealmState, taxCodeId: string | undefined): Decimal {
  const code = taxCodeId ? realm.entities.TaxCode[taxCodeId] : undefined;
  const list = code && isRecord(code['SalesTaxRateList']) ? code['SalesTaxRateList']['TaxRateDetail'] : undefined;
  if (!Array.isArray(list)) return ZERO;
  return sum(list.filter(isRecord).map((d) => toDecimal(realm.entities.TaxRate[refValue(d['TaxRateRef']) ?? '']?.['RateValue']) ?? ZERO));
}

export function collectPostings(realm: RealmState, basis: ReportBasis): Posting[] {
  const postings: Posting[] = [];
  for (const invoice of Object.values(realm.entities.Invoice)) {
    const total = toDecimal(invoice['TotalAmt']) ?? ZERO;
    const balance = toDecimal(invoice['Balance']) ?? total;
    if (basis === 'Cash' && !(balance.isZero() && total.greaterThan(0))) continue;
    const inclusive = invoice['GlobalTaxCalculation'] === 'TaxInclusive';
    const date = asString(invoice['TxnDate']) ?? '';
    for (const line of lines(invoice)) {
      const detail = line['SalesItemLineDetail'];
      if (line['DetailType'] !== 'SalesItemLineDetail' || !isRecord(detail)) continue;
      const item = realm.entities.Item[refValue(detail['ItemRef']) ?? ''];
      const accountId = item ? refValue(item['IncomeAccountRef']) : undefined;
      const amount = toDecimal(line['Amount']);
      if (accountId === undefined || amount === undefined || amount.isZero()) continue;
      const net = inclusive ? round2(amount.dividedBy(combinedSalesRate(realm, refValue(detail['TaxCodeRef'])).dividedBy(100).plus(1))) : amount;
      postings.push({ accountId, date, amount: net });
    }
  }
  for (const purchase of Object.values(realm.entities.Purchase)) {
    const date = asString(purchase['TxnDate']) ?? '';
    for (const line of lines(purchase)) {
      const detail = line['AccountBasedExpenseLineDetail'];
      const amount = toDecimal(line['Amount']);
      const accountId = isRecord(detail) ? refValue(detail['AccountRef']) : undefined;
      if (accountId !== undefined && amount !== undefined) postings.push({ accountId, date, amount });
    }
  }
  return postings;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function lastDayOfMonth(year: number, month: number): string {
  return `${year}-${pad(month)}-${pad(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;
}

export function periodsFor(start: string, end: string, by: SummarizeBy): Period[] {
  if (by === 'Total') return [];
  const span = by === 'Month' ? 1 : by === 'Quarter' ? 3 : 12;
  let year = Number(start.slice(0, 4));
  let month = Number(start.slice(5, 7));
  month = Math.floor((month - 1) / span) * span + 1;
  const periods: Period[] = [];
  for (;;) {
    const first = `${year}-${pad(month)}-01`;
    if (first > end) break;
    const lastMonth = month + span - 1;
    const last = lastDayOfMonth(year, lastMonth);
    const title =
      by === 'Month' ? `${MONTHS[month - 1]} ${year}` : `${MONTHS[month - 1]} - ${MONTHS[lastMonth - 1]} ${year}`;
    periods.push({ title, start: first < start ? start : first, end: last > end ? end : last });
    month += span;
    if (month > 12) {
      month -= 12;
      year += 1;
    }
  }
  return periods;
}

interface Cells {
  perPeriod: Decimal[];
  total: Decimal;
  active: boolean[];
}

interface Builder {
  periods: Period[];
  byAccount: Map<string, Cells>;
  accounts: QboRecord[];
}

function emptyCells(n: number): Cells {
  return { perPeriod: Array.from({ length: n }, () => ZERO), total: ZERO, active: Array.from({ length: n + 1 }, () => false) };
}

function addCells(a: Cells, b: Cells): Cells {
  return {
    perPeriod: a.perPeriod.map((v, i) => v.plus(b.perPeriod[i] ?? 0)),
    total: a.total.plus(b.total),
    active: a.active.map((v, i) => v || (b.active[i] ?? false)),
  };
}

function moneyCells(cells: Cells, periods: number, blankInactive: boolean): Array<{ value: string }> {
  const values = periods === 0 ? [cells.total] : [...cells.perPeriod, cells.total];
  const active = periods === 0 ? [cells.active[cells.active.length - 1] ?? false] : cells.active;
  return values.map((v, i) => ({ value: blankInactive && !active[i] ? '' : toReportString(v) }));
}

function blankCells(periods: number): Array<{ value: string }> {
  return Array.from({ length: periods === 0 ? 1 : periods + 1 }, () => ({ value: '' }));
}

function subtreeCells(b: Builder, account: QboRecord): Cells {
  const own = b.byAccount.get(String(account['Id'])) ?? emptyCells(b.periods.length);
  return children(b, account).reduce((acc, child) => addCells(acc, subtreeCells(b, child)), own);
}

function children(b: Builder, account: QboRecord): QboRecord[] {
  return b.accounts.filter((a) => refValue(a['ParentRef']) === String(account['Id']));
}

function hasActivity(b: Builder, account: QboRecord): boolean {
  return subtreeCells(b, account).active.some(Boolean);
}

function byName(a: QboRecord, b: QboRecord): number {
  return String(a['Name']).toLowerCase().localeCompare(String(b['Name']).toLowerCase());
}

function accountRow(b: Builder, account: QboRecord): QboRecord {
  const n = b.periods.length;
  const label = { value: String(account['Name']), id: String(account['Id']) };
  const own = b.byAccount.get(String(account['Id']));
  const kids = children(b, account).filter((c) => hasActivity(b, c)).sort(byName);
  if (kids.length === 0) return { ColData: [label, ...moneyCells(own ?? emptyCells(n), n, n > 0)], type: 'Data' };
  return {
    Header: { ColData: [label, ...(own ? moneyCells(own, n, true) : blankCells(n))] },
    Rows: { Row: kids.map((k) => accountRow(b, k)) },
    Summary: { ColData: [{ value: `Total ${String(account['Name'])}` }, ...moneyCells(subtreeCells(b, account), n, false)] },
    type: 'Section',
  };
}

interface SectionTotals {
  cells: Cells;
  row: QboRecord | undefined;
}

const SECTION_LABELS: Record<Group, [string, string]> = {
  Income: ['Income', 'Total Income'],
  COGS: ['Cost of Goods Sold', 'Total Cost of Goods Sold'],
  Expenses: ['Expenses', 'Total Expenses'],
  OtherIncome: ['Other Income', 'Total Other Income'],
  OtherExpenses: ['Other Expenses', 'Total Other Expenses'],
};

function section(b: Builder, group: Group, always: boolean): SectionTotals {
  const n = b.periods.length;
  const inGroup = b.accounts.filter((a) => GROUP_BY_TYPE[String(a['AccountType'])] === group);
  const groupIds = new Set(inGroup.map((a) => String(a['Id'])));
  const tops = inGroup.filter((a) => !groupIds.has(refValue(a['ParentRef']) ?? '') && hasActivity(b, a)).sort(byName);
  const cells = tops.reduce((acc, a) => addCells(acc, subtreeCells(b, a)), emptyCells(n));
  if (tops.length === 0 && !always) return { cells, row: undefined };
  const [header, summary] = SECTION_LABELS[group];
  const row: QboRecord = { Header: { ColData: [{ value: header }, ...blankCells(n)] } };
  if (tops.length > 0) row['Rows'] = { Row: tops.map((a) => accountRow(b, a)) };
  row['Summary'] = { ColData: [{ value: summary }, ...moneyCells(cells, n, false)] };
  row['type'] = 'Section';
  row['group'] = group;
  return { cells, row };
}

function minus(a: Cells, b: Cells): Cells {
  return addCells(a, { perPeriod: b.perPeriod.map((v) => v.negated()), total: b.total.negated(), active: b.active });
}

function summaryRow(label: string, group: string, cells: Cells, periods: number): QboRecord {
  return { Summary: { ColData: [{ value: label }, ...moneyCells(cells, periods, false)] }, type: 'Section', group };
}

function columns(periods: Period[], empty: boolean): QboRecord {
  const account = { ColTitle: '', ColType: 'Account', MetaData: [{ Name: 'ColKey', Value: 'account' }] };
  if (empty) return { Column: [account] };
  const periodCols = periods.map((p) => ({
    ColTitle: p.title,
    ColType: 'Money',
    MetaData: [
      { Name: 'StartDate', Value: p.start },
      { Name: 'EndDate', Value: p.end },
      { Name: 'ColKey', Value: p.title },
    ],
  }));
  return { Column: [account, ...periodCols, { ColTitle: 'Total', ColType: 'Money', MetaData: [{ Name: 'ColKey', Value: 'total' }] }] };
}

/** The rows QBO answers for a period without activity: section labels only, no amounts and no Total column. */
function emptyRows(): QboRecord[] {
  const labelOnly = (label: string) => ({ ColData: [{ value: label }] });
  return [
    { Header: labelOnly('Income'), Summary: labelOnly('Total Income'), type: 'Section', group: 'Income' },
    { Summary: labelOnly('Gross Profit'), type: 'Section', group: 'GrossProfit' },
    { Header: labelOnly('Expenses'), Summary: labelOnly('Total Expenses'), type: 'Section', group: 'Expenses' },
    { Summary: labelOnly('Net Operating Income'), type: 'Section', group: 'NetOperatingIncome' },
    { Summary: labelOnly('Net Income'), type: 'Section', group: 'NetIncome' },
  ];
}

export function buildProfitAndLoss(realm: RealmState, params: PnlParams): QboRecord {
  const periods = periodsFor(params.startDate, params.endDate, params.summarizeBy);
  const byAccount = new Map<string, Cells>();
  for (const posting of collectPostings(realm, params.basis)) {
    if (posting.date < params.startDate || posting.date > params.endDate) continue;
    const cells = byAccount.get(posting.accountId) ?? emptyCells(periods.length);
    const index = periods.findIndex((p) => posting.date >= p.start && posting.date <= p.end);
    if (index >= 0) {
      cells.perPeriod[index] = (cells.perPeriod[index] ?? ZERO).plus(posting.amount);
      cells.active[index] = true;
    }
    cells.total = cells.total.plus(posting.amount);
    cells.active[cells.active.length - 1] = true;
    byAccount.set(posting.accountId, cells);
  }
  const accounts = Object.values(realm.entities.Account).filter((a) => GROUP_BY_TYPE[String(a['AccountType'])] !== undefined);
  const b: Builder = { periods, byAccount, accounts };
  const empty = ![...byAccount.keys()].some((id) => accounts.some((a) => String(a['Id']) === id));
  const n = periods.length;
  let rows: QboRecord[];
  if (empty) {
    rows = emptyRows();
  } else {
    const income = section(b, 'Income', true);
    const cogs = section(b, 'COGS', false);
    const expenses = section(b, 'Expenses', true);
    const otherIncome = section(b, 'OtherIncome', false);
    const otherExpenses = section(b, 'OtherExpenses', false);
    const gross = minus(income.cells, cogs.cells);
    const operating = minus(gross, expenses.cells);
    const netOther = minus(otherIncome.cells, otherExpenses.cells);
    rows = [
      income.row,
      cogs.row,
      summaryRow('Gross Profit', 'GrossProfit', gross, n),
      expenses.row,
      summaryRow('Net Operating Income', 'NetOperatingIncome', operating, n),
      otherIncome.row,
      otherExpenses.row,
      otherIncome.row || otherExpenses.row ? summaryRow('Net Other Income', 'NetOtherIncome', netOther, n) : undefined,
      summaryRow('Net Income', 'NetIncome', addCells(operating, netOther), n),
    ].filter((r): r is QboRecord => r !== undefined);
  }
  const header: QboRecord = {
    Time: qboResponseTime(params.nowMs),
    ReportName: 'ProfitAndLoss',
    ...(params.dateMacro ? { DateMacro: params.dateMacro } : {}),
    ReportBasis: params.basis,
    StartPeriod: params.startDate,
    EndPeriod: params.endDate,
    SummarizeColumnsBy: params.summarizeBy,
    Currency: realm.company.homeCurrency,
    Option: [
      { Name: 'AccountingStandard', Value: 'GAAP' },
      { Name: 'NoReportData', Value: String(empty) },
    ],
  };
  return { Header: header, Columns: columns(periods, empty), Rows: { Row: rows } };
}

/** QBO's named ranges (date_macro), case- and separator-insensitive; the default is this month to date. */
export function resolveDateRange(
  startDate: string | undefined,
  endDate: string | undefined,
  macro: string | undefined,
  nowMs: number,
): { startDate: string; endDate: string } | undefined {
  const today = qboDate(nowMs);
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const quarterStart = Math.floor((m - 1) / 3) * 3 + 1;
  const monthStart = (year: number, month: number) => `${year}-${pad(month)}-01`;
  const prevMonth = m === 1 ? { year: y - 1, month: 12 } : { year: y, month: m - 1 };
  const prevQuarter = quarterStart === 1 ? { year: y - 1, month: 10 } : { year: y, month: quarterStart - 3 };
  const ranges: Record<string, { startDate: string; endDate: string }> = {
    today: { startDate: today, endDate: today },
    thismonth: { startDate: monthStart(y, m), endDate: lastDayOfMonth(y, m) },
    thismonthtodate: { startDate: monthStart(y, m), endDate: today },
    lastmonth: { startDate: monthStart(prevMonth.year, prevMonth.month), endDate: lastDayOfMonth(prevMonth.year, prevMonth.month) },
    thisquarter: { startDate: monthStart(y, quarterStart), endDate: lastDayOfMonth(y, quarterStart + 2) },
    thisquartertodate: { startDate: monthStart(y, quarterStart), endDate: today },
    lastquarter: {
      startDate: monthStart(prevQuarter.year, prevQuarter.month),
      endDate: lastDayOfMonth(prevQuarter.year, prevQuarter.month + 2),
    },
    thisyear: { startDate: `${y}-01-01`, endDate: `${y}-12-31` },
    thisyeartodate: { startDate: `${y}-01-01`, endDate: today },
    lastyear: { startDate: `${y - 1}-01-01`, endDate: `${y - 1}-12-31` },
  };
  if (startDate || endDate) return { startDate: startDate ?? endDate ?? today, endDate: endDate ?? today };
  const key = (macro ?? 'This Month-to-date').toLowerCase().replace(/[^a-z]/g, '');
  return ranges[key];
}
