import { err, ok, type Result } from '../client/index.js';
import { headerProblems } from './company.js';
import type { FinalDocument } from './final-document.js';
import type { MappingProblem } from './problems.js';
import { buildSalesLines, updateFields, type SalesContext } from './sales-lines.js';
import type { QboInvoicePayload, QboUpdateTarget } from './wire-out.js';

/**
 * Workroom invoice → QBO Invoice body. Pass `existing` (Id + current SyncToken) to get a full-update body for a
 * re-push instead of a create. Only the header, the customer, the lines and tax fields are sent: markup %,
 * vendor discount, internal notes and attachments have no field here, so they cannot leak.
 * https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice
 */
export function buildInvoice(doc: FinalDocument<'invoice'>, ctx: SalesContext): Result<QboInvoicePayload, MappingProblem[]>;
export function buildInvoice(
  doc: FinalDocument<'invoice'>,
  ctx: SalesContext,
  existing: QboUpdateTarget,
): Result<QboInvoicePayload & QboUpdateTarget, MappingProblem[]>;
export function buildInvoice(
  doc: FinalDocument<'invoice'>,
  ctx: SalesContext,
  existing?: QboUpdateTarget,
): Result<QboInvoicePayload, MappingProblem[]> {
  const problems = headerProblems(doc, ctx.company);
  const built = buildSalesLines(doc, ctx);
  if (!built.ok) problems.push(...built.error);
  if (!built.ok || problems.length > 0) return err(problems);
  return ok({
    ...updateFields(existing),
    DocNumber: doc.number,
    TxnDate: doc.issueDate,
    ...(doc.dueDate === null ? {} : { DueDate: doc.dueDate }),
    CurrencyRef: { value: doc.currency.toUpperCase() },
    CustomerRef: ctx.customerRef,
    Line: built.value.lines,
    ...built.value.tax,
  });
}
