import { Decimal } from 'decimal.js';
import { err, ok, type Result } from '../client/index.js';
import type { AccountMapping, TaxMapping } from './account-mapping.js';
import type { QboCompany } from './company.js';
import type { FinalDocument } from './final-document.js';
import { headerProblems } from './company.js';
import { agreeWithLines, describeLines, type MappingProblem } from './problems.js';
import { QBO_UNIT_DECIMALS, qboLineAmount, toQboNumber } from './qbo-number.js';
import { resolveTax, type TaxHeaderOut } from './tax-mapping.js';
import type { QboRefOut, QboSalesItemLineOut, QboSalesPayload, QboUpdateTarget } from './wire-out.js';

const SETTINGS = 'Settings → Finances → QuickBooks';

export interface MappingNames {
  readonly categoryNames?: ReadonlyMap<string, string>;
  readonly workroomTaxCodeNames?: ReadonlyMap<string, string>;
}

export interface SalesContext extends MappingNames {
  readonly company: QboCompany;
  readonly accounts: AccountMapping;
  readonly tax: TaxMapping;
  readonly customerRef: QboRefOut;
  /** QBO Item id of the Workroom service item for each account listed by `requiredItemAccounts`. */
  readonly itemByAccountId: ReadonlyMap<string, string>;
}

export type SalesDocument = FinalDocument<'invoice' | 'estimate'>;

/**
 * The account each sales line posts to. A retainer invoice is a deposit, so every line goes to the Retainer
 * liability account; otherwise the line's category override wins over the Default Income Account.
 */
export function lineIncomeAccounts(
  doc: SalesDocument,
  accounts: AccountMapping,
  names: MappingNames = {},
): Result<string[], MappingProblem[]> {
  if (doc.type === 'invoice' && doc.isRetainer) {
    const id = accounts.retainerLiabilityAccountId;
    if (id !== null) return ok(doc.lines.map(() => id));
    const lineIndexes = doc.lines.map((_, i) => i);
    return err([
      {
        kind: 'account_not_specified',
        role: 'retainer',
        lineIndexes,
        categoryId: null,
        vendorId: null,
        message: `Account not specified for line item: retainer invoice ${doc.number} posts to the Retainer / Deposit Liability account, which is not set (${describeLines(lineIndexes)}); set it in ${SETTINGS}`,
      },
    ]);
  }
  const missing = new Map<string | null, number[]>();
  const ids: string[] = [];
  doc.lines.forEach((line, index) => {
    const override = line.categoryId === null ? undefined : accounts.incomeByCategory[line.categoryId];
    const id = override ?? accounts.defaultIncomeAccountId;
    if (id === null) missing.set(line.categoryId, [...(missing.get(line.categoryId) ?? []), index]);
    else ids.push(id);
  });
  if (missing.size === 0) return ok(ids);
  return err(
    [...missing].map(([categoryId, lineIndexes]) => {
      const category = categoryId === null ? 'no category' : `category "${names.categoryNames?.get(categoryId) ?? categoryId}"`;
      const fix = categoryId === null ? 'set the Default Income Account' : 'map the category or set the Default Income Account';
      return {
        kind: 'account_not_specified' as const,
        role: 'income' as const,
        lineIndexes,
        categoryId,
        vendorId: null,
        message: `Account not specified for line item: ${describeLines(lineIndexes)} (${category}) ${agreeWithLines(lineIndexes, 'has', 'have')} no income account; ${fix} in ${SETTINGS}`,
      };
    }),
  );
}

/** The accounts whose Workroom service item must exist in QBO before this document can be built. */
export function requiredItemAccounts(doc: SalesDocument, accounts: AccountMapping, names: MappingNames = {}): Result<string[], MappingProblem[]> {
  const result = lineIncomeAccounts(doc, accounts, names);
  return result.ok ? ok([...new Set(result.value)]) : result;
}

export type UpdateFields = { readonly Id?: string; readonly SyncToken?: string; readonly sparse?: false };

/** A full update resends the whole record, so lines removed in Workroom disappear in QBO too. */
export function updateFields(existing: QboUpdateTarget | undefined): UpdateFields {
  return existing === undefined ? {} : { Id: existing.Id, SyncToken: existing.SyncToken, sparse: false };
}

export interface BuiltSalesLines {
  readonly lines: QboSalesItemLineOut[];
  readonly tax: TaxHeaderOut;
}

/** Lines and tax fields shared by invoices and estimates; every problem on every line is reported at once. */
export function buildSalesLines(doc: SalesDocument, ctx: SalesContext): Result<BuiltSalesLines, MappingProblem[]> {
  const accounts = lineIncomeAccounts(doc, ctx.accounts, ctx);
  const tax = resolveTax(doc.lines, ctx.company, ctx.tax, 'sales', ctx);
  if (!accounts.ok || !tax.ok) return err([...(accounts.ok ? [] : accounts.error), ...(tax.ok ? [] : tax.error)]);
  // UnitPrice is the line's rate exactly as the client sees it: markup % and vendor discount only record how
  // the rate was derived (src/domain/documents.ts) and never change it, so QBO's Qty × UnitPrice check holds.
  const lines: QboSalesItemLineOut[] = [];
  const missingItems = new Set<string>();
  doc.lines.forEach((line, index) => {
    const accountId = accounts.value[index];
    const taxCode = tax.value.lineCodes[index];
    const itemId = accountId === undefined ? undefined : ctx.itemByAccountId.get(accountId);
    if (accountId !== undefined && itemId === undefined) missingItems.add(accountId);
    if (itemId === undefined || taxCode === undefined) return;
    lines.push({
      DetailType: 'SalesItemLineDetail',
      Amount: toQboNumber(qboLineAmount(line.quantity, line.rate)),
      ...(line.description === '' ? {} : { Description: line.description }),
      SalesItemLineDetail: {
        ItemRef: { value: itemId },
        Qty: toQboNumber(new Decimal(line.quantity), QBO_UNIT_DECIMALS),
        UnitPrice: toQboNumber(new Decimal(line.rate), QBO_UNIT_DECIMALS),
        TaxCodeRef: taxCode,
      },
    });
  });
  if (missingItems.size > 0) {
    return err(
      [...missingItems].map((accountId) => ({
        kind: 'item_missing' as const,
        accountId,
        message: `the Workroom service item for QuickBooks account ${accountId} has not been created yet`,
      })),
    );
  }
  return ok({ lines, tax: tax.value.header });
}

/** The invoice/estimate body without its type's own date; header and line problems are reported together. */
export function buildSalesBody(doc: SalesDocument, ctx: SalesContext, existing?: QboUpdateTarget): Result<QboSalesPayload, MappingProblem[]> {
  const problems = headerProblems(doc, ctx.company);
  const built = buildSalesLines(doc, ctx);
  if (!built.ok) problems.push(...built.error);
  if (!built.ok || problems.length > 0) return err(problems);
  return ok({
    ...updateFields(existing),
    DocNumber: doc.number,
    TxnDate: doc.issueDate,
    CurrencyRef: { value: doc.currency.toUpperCase() },
    CustomerRef: ctx.customerRef,
    Line: built.value.lines,
    ...built.value.tax,
  });
}
