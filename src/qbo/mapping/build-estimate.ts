import { err, ok, type Result } from '../client/index.js';
import { headerProblems } from './company.js';
import type { FinalDocument } from './final-document.js';
import type { MappingProblem } from './problems.js';
import { buildSalesLines, updateFields, type SalesContext } from './sales-lines.js';
import type { QboEstimatePayload, QboUpdateTarget } from './wire-out.js';

/**
 * Workroom estimate → QBO Estimate body (full update when `existing` is given). Lines post like an invoice's:
 * per-category income account, else the default; estimates are never retainers.
 * https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/estimate
 */
export function buildEstimate(doc: FinalDocument<'estimate'>, ctx: SalesContext): Result<QboEstimatePayload, MappingProblem[]>;
export function buildEstimate(
  doc: FinalDocument<'estimate'>,
  ctx: SalesContext,
  existing: QboUpdateTarget,
): Result<QboEstimatePayload & QboUpdateTarget, MappingProblem[]>;
export function buildEstimate(
  doc: FinalDocument<'estimate'>,
  ctx: SalesContext,
  existing?: QboUpdateTarget,
): Result<QboEstimatePayload, MappingProblem[]> {
  const problems = headerProblems(doc, ctx.company);
  const built = buildSalesLines(doc, ctx);
  if (!built.ok) problems.push(...built.error);
  if (!built.ok || problems.length > 0) return err(problems);
  return ok({
    ...updateFields(existing),
    DocNumber: doc.number,
    TxnDate: doc.issueDate,
    ...(doc.expirationDate === null ? {} : { ExpirationDate: doc.expirationDate }),
    CurrencyRef: { value: doc.currency.toUpperCase() },
    CustomerRef: ctx.customerRef,
    Line: built.value.lines,
    ...built.value.tax,
  });
}
