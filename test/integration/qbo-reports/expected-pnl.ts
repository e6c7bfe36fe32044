import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Emulator } from '../../../src/emulator/index.js';
import { RequestIdSchema, type QboClient } from '../../../src/qbo/client/index.js';

type Group = 'Income' | 'COGS' | 'Expenses' | 'OtherIncome' | 'OtherExpenses';
const GROUP_OF_TYPE: Readonly<Record<string, Group>> = {
  Income: 'Income',
  'Cost of Goods Sold': 'COGS',
  Expense: 'Expenses',
  'Other Income': 'OtherIncome',
  'Other Expense': 'OtherExpenses',
};

export interface ExpectedPnl {
  /** Posted amount per account id (an account's own postings, sub-accounts not rolled up). */
  readonly byAccount: ReadonlyMap<string, Decimal>;
  readonly groups: Readonly<Record<Group, Decimal>>;
  readonly grossProfit: Decimal;
  readonly netOperatingIncome: Decimal;
  readonly netIncome: Decimal;
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (typeof v === 'object' && v !== null ? (v as Rec) : {});
const refOf = (v: unknown): string | undefined => {
  const value = rec(v)['value'];
  return typeof value === 'string' ? value : undefined;
};
const money = (v: unknown): Decimal => new Decimal(typeof v === 'number' || typeof v === 'string' ? String(v) : 0);

/**
 * The P&L the way a bookkeeper would add it up from what is in the company file: every invoice line to its
 * item's income account, every paid expense line to its account, within the dates. Cash basis counts only
 * invoices with nothing left to pay.
 */
export function expectedPnl(emulator: Emulator, realmId: string, start: string, end: string, basis: 'Accrual' | 'Cash' = 'Accrual'): ExpectedPnl {
  const api = emulator.control.api;
  const accounts = new Map(api.listEntities(realmId, 'Account').map((a) => [String(a['Id']), a]));
  const items = new Map(api.listEntities(realmId, 'Item').map((i) => [String(i['Id']), i]));
  const byAccount = new Map<string, Decimal>();
  const post = (accountId: string | undefined, amount: Decimal): void => {
    if (accountId === undefined) return;
    byAccount.set(accountId, (byAccount.get(accountId) ?? new Decimal(0)).plus(amount));
  };
  const inRange = (txn: Rec): boolean => {
    const date = typeof txn['TxnDate'] === 'string' ? txn['TxnDate'] : '';
    return date >= start && date <= end;
  };
  for (const invoice of api.listEntities(realmId, 'Invoice')) {
    if (!inRange(invoice)) continue;
    if (basis === 'Cash' && !money(invoice['Balance']).isZero()) continue;
    for (const line of (invoice['Line'] as unknown[] | undefined) ?? []) {
      const detail = rec(rec(line)['SalesItemLineDetail']);
      if (rec(line)['DetailType'] !== 'SalesItemLineDetail') continue;
      post(refOf(items.get(refOf(detail['ItemRef']) ?? '')?.['IncomeAccountRef']), money(rec(line)['Amount']));
    }
  }
  for (const purchase of api.listEntities(realmId, 'Purchase')) {
    if (!inRange(purchase)) continue;
    for (const line of (purchase['Line'] as unknown[] | undefined) ?? []) {
      post(refOf(rec(rec(line)['AccountBasedExpenseLineDetail'])['AccountRef']), money(rec(line)['Amount']));
    }
  }
  const groups: Record<Group, Decimal> = {
    Income: new Decimal(0),
    COGS: new Decimal(0),
    Expenses: new Decimal(0),
    OtherIncome: new Decimal(0),
    OtherExpenses: new Decimal(0),
  };
  for (const [accountId, amount] of byAccount) {
    const group = GROUP_OF_TYPE[String(accounts.get(accountId)?.['AccountType'])];
    if (group) groups[group] = groups[group].plus(amount);
  }
  const grossProfit = groups.Income.minus(groups.COGS);
  const netOperatingIncome = grossProfit.minus(groups.Expenses);
  return {
    byAccount,
    groups,
    grossProfit,
    netOperatingIncome,
    netIncome: netOperatingIncome.plus(groups.OtherIncome).minus(groups.OtherExpenses),
  };
}

const requestId = () => RequestIdSchema.parse(`t-${randomUUID()}`);

/** An invoice put straight into QBO through the client (the push engine is not involved). */
export async function createInvoice(
  client: QboClient,
  input: { customerId: string; txnDate: string; lines: { itemId: string; qty: string; unitPrice: string }[] },
): Promise<void> {
  await client.create(
    'Invoice',
    {
      CustomerRef: { value: input.customerId },
      TxnDate: input.txnDate,
      Line: input.lines.map((l) => {
        const qty = new Decimal(l.qty);
        const unitPrice = new Decimal(l.unitPrice);
        return {
          Amount: qty.times(unitPrice).toDecimalPlaces(2),
          DetailType: 'SalesItemLineDetail',
          SalesItemLineDetail: { ItemRef: { value: l.itemId }, Qty: qty, UnitPrice: unitPrice, TaxCodeRef: { value: 'NON' } },
        };
      }),
    },
    { requestId: requestId() },
  );
}

/** A service item whose sales post to `incomeAccountId` (e.g. an Other Income account). */
export async function createItem(client: QboClient, name: string, incomeAccountId: string): Promise<string> {
  const item = await client.create('Item', { Name: name, Type: 'Service', IncomeAccountRef: { value: incomeAccountId } }, { requestId: requestId() });
  return item.Id;
}
