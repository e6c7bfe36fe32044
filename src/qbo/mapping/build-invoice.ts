import { ok, type Result } from '../client/index.js';
import type { FinalDocument } from './final-document.js';
import type { MappingProblem } from './problems.js';
import { buildSalesBody, type SalesContext } from './sales-lines.js';
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
  const body = buildSalesBody(doc, ctx, existing);
  if (!body.ok) return body;
  return ok({ ...body.value, ...(doc.dueDate === null ? {} : { DueDate: doc.dueDate }) });
}
