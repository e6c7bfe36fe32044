import { z } from 'zod';
import { err, ok, type ProviderAccount, type Result } from '../client/index.js';

const WorkroomId = z.string().trim().min(1).max(64);
const QboId = z.string().trim().min(1).max(64);

/**
 * Which QBO account each part of a document posts to, chosen from the company's chart of accounts.
 * Ids are QBO Account ids of one realm. The Sales Tax Payable account is checked but never referenced by a
 * payload: QBO posts collected tax to its own agency liability; mapping it lets the UI confirm it exists.
 */
export const AccountMappingSchema = z
  .object({
    defaultIncomeAccountId: QboId.nullable().default(null),
    /** Workroom category id → income account; overrides the default for that category's lines. */
    incomeByCategory: z.record(WorkroomId, QboId).default({}),
    defaultExpenseAccountId: QboId.nullable().default(null),
    /** Workroom vendor id → expense account; overrides the default for that vendor's purchase orders. */
    expenseByVendor: z.record(WorkroomId, QboId).default({}),
    retainerLiabilityAccountId: QboId.nullable().default(null),
    salesTaxPayableAccountId: QboId.nullable().default(null),
  })
  .strict();
export type AccountMapping = z.output<typeof AccountMappingSchema>;

export const EMPTY_ACCOUNT_MAPPING: AccountMapping = AccountMappingSchema.parse({});

/**
 * How Workroom's tax maps onto QBO tax codes, by Workroom's tax model.
 * - `sales_tax` (every non-Canadian organisation): the single Sales Tax % pairs with one QBO tax code. A US
 *   company gets it as the document's TxnTaxCodeRef; a non-US company on each taxed line, with
 *   `exemptTaxCodeId` on untaxed lines (such companies need a real code on every line).
 * - `tax_codes` (Canada): one row per Workroom tax code; `noTaxCodeId` is the QBO code (Exempt, Out of scope…)
 *   for lines that carry no Workroom tax code.
 */
export const TaxMappingSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('sales_tax'),
      salesTaxCodeId: QboId.nullable().default(null),
      exemptTaxCodeId: QboId.nullable().default(null),
    })
    .strict(),
  z
    .object({
      kind: z.literal('tax_codes'),
      codes: z.record(WorkroomId, QboId).default({}),
      noTaxCodeId: QboId.nullable().default(null),
    })
    .strict(),
]);
export type TaxMapping = z.output<typeof TaxMappingSchema>;

export type AccountPurpose = 'income' | 'expense' | 'retainer' | 'sales_tax_payable';

/** QBO AccountType values each mapping slot accepts. */
export const ACCOUNT_TYPES_FOR: Readonly<Record<AccountPurpose, readonly string[]>> = {
  income: ['Income', 'Other Income'],
  expense: ['Cost of Goods Sold', 'Expense', 'Other Expense'],
  // Accounts Payable and Credit Card are liabilities too, but QBO will not post a sales line to either.
  retainer: ['Other Current Liability', 'Long Term Liability'],
  sales_tax_payable: ['Other Current Liability'],
};

const PURPOSE_LABEL: Readonly<Record<AccountPurpose, string>> = {
  income: 'an income account',
  expense: 'an expense account',
  retainer: 'a liability account',
  sales_tax_payable: 'a liability account',
};

export type ChartAccount = Pick<ProviderAccount, 'Id' | 'Name' | 'AccountType'> &
  Partial<Pick<ProviderAccount, 'Classification' | 'Active'>>;

/** The accounts a picker should offer for one slot: active and of an accepted type. */
export function accountsFor<A extends ChartAccount>(purpose: AccountPurpose, chart: readonly A[]): A[] {
  const types = ACCOUNT_TYPES_FOR[purpose];
  return chart.filter((a) => a.Active !== false && types.includes(a.AccountType));
}

export type AccountMappingProblem = {
  readonly kind: 'unknown_account' | 'inactive_account' | 'wrong_account_type';
  /** The mapping field, e.g. "retainerLiabilityAccountId" or "incomeByCategory.cat_7". */
  readonly field: string;
  readonly accountId: string;
  readonly expectedTypes: readonly string[];
  readonly message: string;
};

export interface MappingLabels {
  readonly categoryNames?: ReadonlyMap<string, string>;
  readonly vendorNames?: ReadonlyMap<string, string>;
}

interface Slot {
  readonly field: string;
  readonly label: string;
  readonly purpose: AccountPurpose;
  readonly accountId: string;
}

function slotsOf(mapping: AccountMapping, labels: MappingLabels): Slot[] {
  const slots: Slot[] = [];
  const add = (field: string, label: string, purpose: AccountPurpose, accountId: string | null) => {
    if (accountId !== null) slots.push({ field, label, purpose, accountId });
  };
  add('defaultIncomeAccountId', 'Default Income Account', 'income', mapping.defaultIncomeAccountId);
  for (const [categoryId, accountId] of Object.entries(mapping.incomeByCategory)) {
    const name = labels.categoryNames?.get(categoryId) ?? categoryId;
    add(`incomeByCategory.${categoryId}`, `Income account for category "${name}"`, 'income', accountId);
  }
  add('defaultExpenseAccountId', 'Default Expense Account', 'expense', mapping.defaultExpenseAccountId);
  for (const [vendorId, accountId] of Object.entries(mapping.expenseByVendor)) {
    const name = labels.vendorNames?.get(vendorId) ?? vendorId;
    add(`expenseByVendor.${vendorId}`, `Expense account for vendor "${name}"`, 'expense', accountId);
  }
  add('retainerLiabilityAccountId', 'Retainer / Deposit Liability', 'retainer', mapping.retainerLiabilityAccountId);
  add('salesTaxPayableAccountId', 'Sales Tax Payable', 'sales_tax_payable', mapping.salesTaxPayableAccountId);
  return slots;
}

function listTypes(types: readonly string[]): string {
  return types.length <= 1 ? (types[0] ?? '') : `${types.slice(0, -1).join(', ')} or ${types[types.length - 1] ?? ''}`;
}

/**
 * Checks a proposed mapping against the company's live chart of accounts. Every problem is reported at once,
 * each naming the slot, the account and the account type the slot needs.
 */
export function validateAccountMapping(
  mapping: AccountMapping,
  chart: readonly ChartAccount[],
  labels: MappingLabels = {},
): Result<AccountMapping, AccountMappingProblem[]> {
  const byId = new Map(chart.map((a) => [a.Id, a]));
  const problems: AccountMappingProblem[] = [];
  for (const slot of slotsOf(mapping, labels)) {
    const expectedTypes = ACCOUNT_TYPES_FOR[slot.purpose];
    const account = byId.get(slot.accountId);
    const base = { field: slot.field, accountId: slot.accountId, expectedTypes };
    if (!account) {
      problems.push({
        ...base,
        kind: 'unknown_account',
        message: `${slot.label}: account ${slot.accountId} is not in the QuickBooks chart of accounts`,
      });
    } else if (account.Active === false) {
      problems.push({ ...base, kind: 'inactive_account', message: `${slot.label}: "${account.Name}" is inactive in QuickBooks` });
    } else if (!expectedTypes.includes(account.AccountType)) {
      problems.push({
        ...base,
        kind: 'wrong_account_type',
        message:
          `${slot.label}: "${account.Name}" is ${/^[AEIOU]/i.test(account.AccountType) ? 'an' : 'a'} ${account.AccountType} account; ` +
          `choose ${PURPOSE_LABEL[slot.purpose]} (${listTypes(expectedTypes)})`,
      });
    }
  }
  return problems.length > 0 ? err(problems) : ok(mapping);
}
