import type { CompanyFile } from '../contract.js';
import { qboDate, qboDateTime } from './time.js';
import { ENTITY_NAMES, asString, type EntityName, type QboRecord, type RealmState } from './types.js';

/**
 * The company files a fresh emulator starts with, shaped like new QBO companies: a default chart of accounts,
 * tax presets per country, a few items and names. The demo companies also get a little posted history
 * (invoices and paid expenses dated in the last weeks) so the P&L is not empty; `withHistory: false`
 * leaves them clean for tests that compute the P&L from their own transactions.
 */
export interface SeedOptions {
  withHistory: boolean;
}

export const SEED_COMPANIES: readonly CompanyFile[] = [
  { realmId: '4620816365290212450', name: 'Sandbox Company_US_1', environment: 'sandbox', country: 'US', homeCurrency: 'USD' },
  { realmId: '4620816365290212468', name: 'Sandbox Company_US_2', environment: 'sandbox', country: 'US', homeCurrency: 'USD' },
  { realmId: '4620816365290212476', name: 'Sandbox Company_CA_1', environment: 'sandbox', country: 'CA', homeCurrency: 'CAD' },
  { realmId: '9130357921644326', name: 'Workroom Demo Studio', environment: 'production', country: 'US', homeCurrency: 'USD' },
];

/** Companies that receive demo history when history is on (US_2 stays empty on purpose). */
const HISTORY_REALMS = new Set(['4620816365290212450', '4620816365290212476', '9130357921644326']);

const CURRENCY_NAMES: Record<string, string> = { USD: 'United States Dollar', CAD: 'Canadian Dollar' };
const DAY_MS = 86_400_000;

interface Builder {
  realm: RealmState;
  nowMs: number;
  put(entity: EntityName, record: QboRecord): QboRecord;
}

function newBuilder(company: CompanyFile, nowMs: number): Builder {
  const entities = Object.fromEntries(ENTITY_NAMES.map((n) => [n, {}])) as RealmState['entities'];
  const realm: RealmState = { company, settings: { duplicateDocNumberCheck: true }, entities, counters: {} };
  const meta = { CreateTime: qboDateTime(nowMs), LastUpdatedTime: qboDateTime(nowMs) };
  return {
    realm,
    nowMs,
    put(entity, record) {
      const full: QboRecord = { ...record, domain: 'QBO', sparse: false, SyncToken: '0', MetaData: meta };
      const id = String(record['Id']);
      realm.entities[entity][id] = full;
      return full;
    },
  };
}

interface AccountSeed {
  id: string;
  name: string;
  type: string;
  subType: string;
  classification: string;
  parent?: string;
}

const US_ACCOUNTS: AccountSeed[] = [
  { id: '1', name: 'Services', type: 'Income', subType: 'ServiceFeeIncome', classification: 'Revenue' },
  { id: '2', name: 'Design Services', type: 'Income', subType: 'ServiceFeeIncome', classification: 'Revenue', parent: '1' },
  { id: '3', name: 'Sales of Product Income', type: 'Income', subType: 'SalesOfProductIncome', classification: 'Revenue' },
  { id: '4', name: 'Other Income', type: 'Other Income', subType: 'OtherMiscellaneousIncome', classification: 'Revenue' },
  { id: '5', name: 'Cost of Goods Sold', type: 'Cost of Goods Sold', subType: 'SuppliesMaterialsCogs', classification: 'Expense' },
  { id: '6', name: 'Purchases', type: 'Expense', subType: 'SuppliesMaterials', classification: 'Expense' },
  { id: '7', name: 'Advertising', type: 'Expense', subType: 'AdvertisingPromotional', classification: 'Expense' },
  { id: '8', name: 'Office Supplies & Software', type: 'Expense', subType: 'OfficeGeneralAdministrativeExpenses', classification: 'Expense' },
  { id: '9', name: 'Rent & Lease', type: 'Expense', subType: 'RentOrLeaseOfBuildings', classification: 'Expense' },
  { id: '10', name: 'Accounts Receivable (A/R)', type: 'Accounts Receivable', subType: 'AccountsReceivable', classification: 'Asset' },
  { id: '11', name: 'Accounts Payable (A/P)', type: 'Accounts Payable', subType: 'AccountsPayable', classification: 'Liability' },
  { id: '12', name: 'Undeposited Funds', type: 'Other Current Asset', subType: 'UndepositedFunds', classification: 'Asset' },
  { id: '13', name: 'Checking', type: 'Bank', subType: 'Checking', classification: 'Asset' },
  { id: '14', name: 'Customer Deposits', type: 'Other Current Liability', subType: 'OtherCurrentLiabilities', classification: 'Liability' },
  { id: '15', name: 'Sales Tax Payable', type: 'Other Current Liability', subType: 'SalesTaxPayable', classification: 'Liability' },
  { id: '16', name: 'Inventory Asset', type: 'Other Current Asset', subType: 'Inventory', classification: 'Asset' },
  { id: '17', name: 'Retained Earnings', type: 'Equity', subType: 'RetainedEarnings', classification: 'Equity' },
  { id: '18', name: 'Interest Earned', type: 'Other Income', subType: 'InterestEarned', classification: 'Revenue' },
  { id: '19', name: 'Miscellaneous', type: 'Other Expense', subType: 'OtherMiscellaneousExpense', classification: 'Expense' },
];

const CA_EXTRA_ACCOUNTS: AccountSeed[] = [
  { id: '15', name: 'GST/HST Payable', type: 'Other Current Liability', subType: 'GlobalTaxPayable', classification: 'Liability' },
  { id: '20', name: 'PST Payable (BC)', type: 'Other Current Liability', subType: 'GlobalTaxPayable', classification: 'Liability' },
];

function seedAccounts(b: Builder, currency: string): void {
  const accounts = b.realm.company.country === 'US' ? US_ACCOUNTS : mergeAccounts(US_ACCOUNTS, CA_EXTRA_ACCOUNTS);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  for (const a of accounts) {
    const parent = a.parent ? byId.get(a.parent) : undefined;
    b.put('Account', {
      Id: a.id,
      Name: a.name,
      SubAccount: parent !== undefined,
      ...(parent ? { ParentRef: { value: parent.id } } : {}),
      FullyQualifiedName: parent ? `${parent.name}:${a.name}` : a.name,
      Active: true,
      Classification: a.classification,
      AccountType: a.type,
      AccountSubType: a.subType,
      CurrentBalance: 0,
      CurrentBalanceWithSubAccounts: 0,
      CurrencyRef: { value: currency, name: CURRENCY_NAMES[currency] ?? currency },
    });
  }
  b.realm.counters['Account'] = Math.max(...accounts.map((a) => Number(a.id))) + 1;
}

function mergeAccounts(base: AccountSeed[], extra: AccountSeed[]): AccountSeed[] {
  const byId = new Map(base.map((a) => [a.id, a]));
  for (const a of extra) byId.set(a.id, a);
  return [...byId.values()];
}

interface RateSeed {
  id: string;
  name: string;
  rate: number;
  agency: string;
}

interface CodeSeed {
  id: string;
  name: string;
  description: string;
  sales: string[];
  purchase: string[];
  taxable: boolean;
}

function seedTaxes(b: Builder, rates: RateSeed[], codes: CodeSeed[]): void {
  const rateById = new Map(rates.map((r) => [r.id, r]));
  for (const r of rates) {
    b.put('TaxRate', {
      Id: r.id,
      Name: r.name,
      Description: r.name,
      Active: true,
      RateValue: r.rate,
      AgencyRef: { value: r.agency },
      SpecialTaxType: r.rate === 0 ? 'ZERO_RATE' : 'NONE',
      DisplayType: 'ReadOnly',
      EffectiveTaxRate: [{ RateValue: r.rate, EffectiveDate: '2014-01-01T00:00:00-08:00' }],
    });
  }
  const details = (ids: string[]) => ({
    TaxRateDetail: ids.map((id, order) => ({
      TaxRateRef: { value: id, name: rateById.get(id)?.name ?? id },
      TaxTypeApplicable: 'TaxOnAmount',
      TaxOrder: order,
    })),
  });
  for (const c of codes) {
    b.put('TaxCode', {
      Id: c.id,
      Name: c.name,
      Description: c.description,
      Active: true,
      Hidden: false,
      Taxable: c.taxable,
      TaxGroup: c.sales.length > 1,
      SalesTaxRateList: details(c.sales),
      PurchaseTaxRateList: details(c.purchase),
    });
  }
  b.realm.counters['TaxCode'] = Math.max(...codes.map((c) => Number(c.id))) + 1;
  b.realm.counters['TaxRate'] = Math.max(...rates.map((r) => Number(r.id))) + 1;
}

function seedUsTaxes(b: Builder): void {
  seedTaxes(
    b,
    [
      { id: '1', name: 'California', rate: 8, agency: '1' },
      { id: '2', name: 'AZ State tax', rate: 5.6, agency: '2' },
      { id: '3', name: 'Tucson City', rate: 2.6, agency: '2' },
    ],
    [
      { id: '2', name: 'California', description: 'California sales tax', sales: ['1'], purchase: [], taxable: true },
      { id: '3', name: 'Tucson', description: 'Tucson combined rate', sales: ['2', '3'], purchase: [], taxable: true },
    ],
  );
}

function seedCaTaxes(b: Builder): void {
  seedTaxes(
    b,
    [
      { id: '1', name: 'GST', rate: 5, agency: '1' },
      { id: '2', name: 'HST ON', rate: 13, agency: '1' },
      { id: '3', name: 'PST BC', rate: 7, agency: '2' },
      { id: '4', name: 'GST/HST ZR', rate: 0, agency: '1' },
      { id: '5', name: 'GST EX', rate: 0, agency: '1' },
    ],
    [
      { id: '3', name: 'Exempt', description: 'Exempt', sales: ['5'], purchase: ['5'], taxable: false },
      { id: '4', name: 'Zero-rated', description: 'Zero-rated', sales: ['4'], purchase: ['4'], taxable: true },
      { id: '5', name: 'GST', description: 'GST', sales: ['1'], purchase: ['1'], taxable: true },
      { id: '6', name: 'HST ON', description: 'HST (ON)', sales: ['2'], purchase: ['2'], taxable: true },
      { id: '7', name: 'GST/PST BC', description: 'GST/PST (BC)', sales: ['1', '3'], purchase: ['1'], taxable: true },
    ],
  );
}

function seedItems(b: Builder): void {
  const acct = (id: string) => {
    const a = b.realm.entities.Account[id];
    return { value: id, name: asString(a?.['Name']) ?? id };
  };
  const us = b.realm.company.country === 'US';
  const items: QboRecord[] = [
    { Id: '1', Name: 'Services', Type: 'Service', IncomeAccountRef: acct('1'), UnitPrice: 0 },
    { Id: '2', Name: 'Design Services', Type: 'Service', IncomeAccountRef: acct('2'), UnitPrice: 125 },
    {
      Id: '3',
      Name: 'Furniture',
      Type: 'NonInventory',
      IncomeAccountRef: acct('3'),
      ExpenseAccountRef: acct('5'),
      UnitPrice: 0,
      PurchaseCost: 0,
    },
    { Id: '4', Name: 'Purchased Materials', Type: 'NonInventory', ExpenseAccountRef: acct('6'), PurchaseCost: 0 },
  ];
  for (const item of items) {
    b.put('Item', {
      ...item,
      FullyQualifiedName: item['Name'],
      Active: true,
      ...(us ? { Taxable: item['Id'] === '3' } : {}),
      SalesTaxIncluded: false,
      PurchaseTaxIncluded: false,
      TrackQtyOnHand: false,
    });
  }
  b.realm.counters['Item'] = items.length + 1;
}

function nameRecord(id: string, displayName: string, extra: QboRecord = {}): QboRecord {
  return { Id: id, DisplayName: displayName, PrintOnCheckName: displayName, Active: true, ...extra };
}

function seedNames(b: Builder, currency: string): void {
  const currencyRef = { value: currency, name: CURRENCY_NAMES[currency] ?? currency };
  b.put('Customer', {
    ...nameRecord('1', 'Cool Cars', { CompanyName: 'Cool Cars', Job: false, Taxable: true }),
    FullyQualifiedName: 'Cool Cars',
    Balance: 0,
    BalanceWithJobs: 0,
    CurrencyRef: currencyRef,
    PreferredDeliveryMethod: 'Print',
  });
  b.put('Customer', {
    ...nameRecord('2', "Sonnenschein Family Store", { CompanyName: 'Sonnenschein Family Store', Job: false, Taxable: true }),
    FullyQualifiedName: 'Sonnenschein Family Store',
    Balance: 0,
    BalanceWithJobs: 0,
    CurrencyRef: currencyRef,
    PreferredDeliveryMethod: 'Print',
  });
  b.put('Vendor', { ...nameRecord('3', 'Fabric Warehouse', { CompanyName: 'Fabric Warehouse' }), Balance: 0, CurrencyRef: currencyRef, Vendor1099: false });
  b.put('Employee', { ...nameRecord('4', 'Emily Platt', { GivenName: 'Emily', FamilyName: 'Platt' }), BillableTime: false });
  b.realm.counters['Name'] = 5;
}

function seedCompanyInfo(b: Builder): void {
  const { company } = b.realm;
  const us = company.country === 'US';
  b.put('CompanyInfo', {
    Id: '1',
    CompanyName: company.name,
    LegalName: company.name,
    CompanyAddr: us
      ? { Id: '1', Line1: '123 Sierra Way', City: 'San Pablo', CountrySubDivisionCode: 'CA', PostalCode: '87999', Country: 'US' }
      : { Id: '1', Line1: '100 King St W', City: 'Toronto', CountrySubDivisionCode: 'ON', PostalCode: 'M5X 1A9', Country: 'CA' },
    CustomerCommunicationAddr: { Id: '1', Line1: '123 Sierra Way', City: 'San Pablo' },
    PrimaryPhone: { FreeFormNumber: '(650) 944-4444' },
    Email: { Address: 'noreply@quickbooks.com' },
    CompanyStartDate: '2024-01-01',
    FiscalYearStartMonth: 'January',
    Country: company.country,
    SupportedLanguages: 'en',
    DefaultTimeZone: 'America/Los_Angeles',
    NameValue: [
      { Name: 'NeoEnabled', Value: 'true' },
      { Name: 'IndustryType', Value: 'Interior Design' },
      { Name: 'SubscriptionStatus', Value: company.environment === 'sandbox' ? 'SUBSCRIBED' : 'PAID' },
      { Name: 'OfferingSku', Value: 'QuickBooks Online Plus' },
    ],
  });
}

function seedPreferences(b: Builder): void {
  const { company } = b.realm;
  b.put('Preferences', {
    Id: '1',
    AccountingInfoPrefs: { TrackDepartments: false, ClassTrackingPerTxn: false, CustomerTerminology: 'Customers' },
    ProductAndServicesPrefs: { ForSales: true, ForPurchase: true, QuantityWithPriceAndRate: true, QuantityOnHand: true },
    SalesFormsPrefs: {
      CustomTxnNumbers: false,
      AllowDeposit: true,
      AllowDiscount: true,
      AllowEstimates: true,
      ETransactionEnabledStatus: 'NotApplicable',
      DefaultTerms: { value: '3' },
    },
    VendorAndPurchasesPrefs: { TrackingByCustomer: false, BillableExpenseTracking: false },
    TaxPrefs: company.country === 'US' ? { UsingSalesTax: true, PartnerTaxEnabled: true } : { UsingSalesTax: true },
    CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: company.homeCurrency } },
    ReportPrefs: { ReportBasis: 'Accrual', CalcAgingReportFromTxnDate: false },
    OtherPrefs: { NameValue: [{ Name: 'SalesFormsPrefs.DefaultCustomerMessage', Value: 'Thank you for your business.' }] },
  });
}

interface HistoryLine {
  item: string;
  qty: number;
  price: number;
}

/** The P&L opens on "This month": the most recent history stays inside it, even in a month's first days. */
function withinThisMonth(nowMs: number, daysAgo: number): number {
  const dayOfMonth = Number(qboDate(nowMs).slice(8, 10));
  return Math.min(daysAgo, dayOfMonth - 1);
}

function seedHistory(b: Builder): void {
  const us = b.realm.company.country === 'US';
  const taxCode = us ? 'NON' : '3';
  const invoices: Array<{ customer: string; daysAgo: number; lines: HistoryLine[] }> = [
    { customer: '1', daysAgo: 40, lines: [{ item: '2', qty: 10, price: 125 }] },
    { customer: '2', daysAgo: 25, lines: [{ item: '3', qty: 2, price: 850 }, { item: '2', qty: 4, price: 125 }] },
    { customer: '1', daysAgo: withinThisMonth(b.nowMs, 10), lines: [{ item: '1', qty: 3, price: 95.5 }] },
  ];
  let txnId = 1;
  let docNumber = 1001;
  for (const inv of invoices) {
    const txnDate = qboDate(b.nowMs - inv.daysAgo * DAY_MS);
    const line = inv.lines.map((l, i) => {
      const item = b.realm.entities.Item[l.item];
      return {
        Id: String(i + 1),
        LineNum: i + 1,
        Amount: Math.round(l.qty * l.price * 100) / 100,
        DetailType: 'SalesItemLineDetail',
        SalesItemLineDetail: {
          ItemRef: { value: l.item, name: asString(item?.['Name']) ?? '' },
          UnitPrice: l.price,
          Qty: l.qty,
          TaxCodeRef: { value: taxCode },
        },
      };
    });
    const subtotal = line.reduce((sum, l) => sum + l.Amount * 100, 0) / 100;
    const customer = b.realm.entities.Customer[inv.customer];
    b.put('Invoice', {
      Id: String(txnId),
      DocNumber: String(docNumber),
      TxnDate: txnDate,
      DueDate: qboDate(b.nowMs - (inv.daysAgo - 30) * DAY_MS),
      CurrencyRef: { value: b.realm.company.homeCurrency },
      CustomerRef: { value: inv.customer, name: asString(customer?.['DisplayName']) ?? '' },
      Line: [...line, { Amount: subtotal, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} }],
      TxnTaxDetail: { TotalTax: 0 },
      ...(us ? {} : { GlobalTaxCalculation: 'TaxExcluded' }),
      TotalAmt: subtotal,
      Balance: subtotal,
      ARAccountRef: { value: '10', name: 'Accounts Receivable (A/R)' },
      PrintStatus: 'NeedToPrint',
      EmailStatus: 'NotSet',
    });
    txnId += 1;
    docNumber += 1;
  }
  const expenses: Array<{ account: string; daysAgo: number; amount: number; memo: string }> = [
    { account: '9', daysAgo: 30, amount: 1200, memo: 'Studio rent' },
    { account: '7', daysAgo: withinThisMonth(b.nowMs, 12), amount: 245.8, memo: 'Showroom flyers' },
  ];
  for (const exp of expenses) {
    const account = b.realm.entities.Account[exp.account];
    b.put('Purchase', {
      Id: String(txnId),
      PaymentType: 'Check',
      AccountRef: { value: '13', name: 'Checking' },
      EntityRef: { value: '3', name: 'Fabric Warehouse', type: 'Vendor' },
      TxnDate: qboDate(b.nowMs - exp.daysAgo * DAY_MS),
      CurrencyRef: { value: b.realm.company.homeCurrency },
      PrivateNote: exp.memo,
      Line: [
        {
          Id: '1',
          Amount: exp.amount,
          DetailType: 'AccountBasedExpenseLineDetail',
          AccountBasedExpenseLineDetail: {
            AccountRef: { value: exp.account, name: asString(account?.['Name']) ?? '' },
            BillableStatus: 'NotBillable',
            TaxCodeRef: { value: taxCode },
          },
        },
      ],
      TotalAmt: exp.amount,
      Credit: false,
    });
    txnId += 1;
  }
  b.realm.counters['Txn'] = txnId;
  b.realm.counters['DocNumber'] = docNumber;
}

export function seedRealm(company: CompanyFile, nowMs: number, options: SeedOptions): RealmState {
  const b = newBuilder(company, nowMs);
  const currency = company.homeCurrency;
  seedAccounts(b, currency);
  if (company.country === 'US') seedUsTaxes(b);
  else seedCaTaxes(b);
  seedItems(b);
  seedNames(b, currency);
  seedCompanyInfo(b);
  seedPreferences(b);
  b.realm.counters['Txn'] = 1;
  b.realm.counters['DocNumber'] = 1001;
  if (options.withHistory && HISTORY_REALMS.has(company.realmId)) seedHistory(b);
  return b.realm;
}
