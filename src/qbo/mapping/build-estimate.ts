import { ok, type Result } from '../client/index.js';
import type { FinalDocument } from './final-document.js';
import type { MappingProblem } from './problems.js';
import { buildSalesBody, type SalesContext } from './sales-lines.js';
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
  const body = buildSalesBody(doc, ctx, existing);
  if (!body.ok) return body;
  return ok({ ...body.value, ...(doc.expirationDate === null ? {} : { ExpirationDate: doc.expirationDate }) });
}
