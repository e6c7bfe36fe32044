import { err, ok, type Result } from '../client/index.js';
import type { AccountMapping, TaxMapping } from './account-mapping.js';
import { headerProblems, type QboCompany } from './company.js';
import type { FinalDocument } from './final-document.js';
import { agreeWithLines, describeLines, type MappingProblem } from './problems.js';
import { qboLineAmount, toQboNumber } from './qbo-number.js';
import { updateFields, type MappingNames } from './sales-lines.js';
import { resolveTax } from './tax-mapping.js';
import type { QboAccountExpenseLineOut, QboPurchaseOrderPayload, QboRefOut, QboUpdateTarget } from './wire-out.js';

export interface PurchaseContext extends Pick<MappingNames, 'workroomTaxCodeNames'> {
  readonly company: QboCompany;
  readonly accounts: AccountMapping;
  readonly tax: TaxMapping;
  readonly vendorRef: QboRefOut;
  readonly vendorNames?: ReadonlyMap<string, string>;
}

/** The vendor's override, else the Default Expense Account. */
export function purchaseExpenseAccount(doc: FinalDocument<'purchase_order'>, accounts: AccountMapping): string | null {
  const override = doc.vendorId === null ? undefined : accounts.expenseByVendor[doc.vendorId];
  return override ?? accounts.defaultExpenseAccountId;
}

/**
 * Workroom purchase order → QBO PurchaseOrder body (full update when `existing` is given).
 *
 * Lines are AccountBasedExpenseLineDetail, not ItemBasedExpenseLineDetail: an item-based line posts to whatever
 * expense account the item has in QBO, so honouring per-vendor overrides would need one purchase item per
 * expense account, kept in step with the mapping and open to edits on the QBO side. An account-based line names
 * the mapped account itself, so what Settings says is exactly what QBO records. Such lines have no Qty/UnitPrice,
 * so the amount is round(quantity × rate, 2), the same figure Workroom shows for the line.
 * Workroom's expected date becomes the PO's DueDate.
 * https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/purchaseorder
 */
export function buildPurchaseOrder(doc: FinalDocument<'purchase_order'>, ctx: PurchaseContext): Result<QboPurchaseOrderPayload, MappingProblem[]>;
export function buildPurchaseOrder(
  doc: FinalDocument<'purchase_order'>,
  ctx: PurchaseContext,
  existing: QboUpdateTarget,
): Result<QboPurchaseOrderPayload & QboUpdateTarget, MappingProblem[]>;
export function buildPurchaseOrder(
  doc: FinalDocument<'purchase_order'>,
  ctx: PurchaseContext,
  existing?: QboUpdateTarget,
): Result<QboPurchaseOrderPayload, MappingProblem[]> {
  const problems = headerProblems(doc, ctx.company);
  const accountId = purchaseExpenseAccount(doc, ctx.accounts);
  if (accountId === null) {
    const lineIndexes = doc.lines.map((_, i) => i);
    const vendor = doc.vendorId === null ? doc.partyName : (ctx.vendorNames?.get(doc.vendorId) ?? doc.partyName);
    problems.push({
      kind: 'account_not_specified',
      role: 'expense',
      lineIndexes,
      categoryId: null,
      vendorId: doc.vendorId,
      message: `Account not specified for line item: ${describeLines(lineIndexes)} of ${doc.number} (vendor "${vendor}") ${agreeWithLines(lineIndexes, 'has', 'have')} no expense account; set the Default Expense Account or a vendor override in Settings → Finances → QuickBooks`,
    });
  }
  const tax = resolveTax(doc.lines, ctx.company, ctx.tax, 'purchase', ctx);
  if (!tax.ok) problems.push(...tax.error);
  if (accountId === null || !tax.ok || problems.length > 0) return err(problems);
  const lines = doc.lines.flatMap((line, index): QboAccountExpenseLineOut[] => {
    const taxCode = tax.value.lineCodes[index];
    if (taxCode === undefined) return [];
    return [
      {
        DetailType: 'AccountBasedExpenseLineDetail',
        Amount: toQboNumber(qboLineAmount(line.quantity, line.rate)),
        ...(line.description === '' ? {} : { Description: line.description }),
        AccountBasedExpenseLineDetail: { AccountRef: { value: accountId }, TaxCodeRef: taxCode },
      },
    ];
  });
  return ok({
    ...updateFields(existing),
    DocNumber: doc.number,
    TxnDate: doc.issueDate,
    ...(doc.expectedDate === null ? {} : { DueDate: doc.expectedDate }),
    CurrencyRef: { value: doc.currency.toUpperCase() },
    VendorRef: ctx.vendorRef,
    Line: lines,
    ...tax.value.header,
  });
}
