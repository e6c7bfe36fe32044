import { Decimal } from 'decimal.js';
import type { DocumentType } from '../../domain/lifecycle.js';
import type { DocumentTotalsView } from '../../domain/model.js';
import type { QboCompany } from './company.js';

export type WorkroomTotals = Pick<DocumentTotalsView, 'lineAmountsTotal' | 'subtotal' | 'taxTotal' | 'total'>;

/** The parts of a parsed QBO Invoice / Estimate / PurchaseOrder response the comparison reads (decimal strings). */
export interface QboTotalsSource {
  readonly Line: readonly { readonly DetailType: string; readonly Amount?: string | undefined }[];
  readonly TxnTaxDetail?: { readonly TotalTax?: string | undefined; readonly TaxLine?: readonly unknown[] | undefined } | undefined;
  readonly TotalAmt?: string | undefined;
}

export type TotalsField = 'subtotal' | 'tax' | 'total';

export interface TotalsDifference {
  readonly field: TotalsField;
  readonly workroom: string;
  readonly qbo: string;
  /** QBO minus Workroom, to the cent. */
  readonly difference: string;
  readonly reason: string;
}

export interface CompareContext {
  readonly documentType?: DocumentType;
  readonly company?: Pick<QboCompany, 'taxModel'>;
}

// Lines that carry money; SubTotalLineDetail is QBO's own echo of the sum and TaxLine lives in TxnTaxDetail.
const AMOUNT_LINES = new Set(['SalesItemLineDetail', 'ItemBasedExpenseLineDetail', 'AccountBasedExpenseLineDetail']);

const cents = (d: Decimal) => d.toFixed(2);

/** QBO's subtotal as it recomputed it: Σ line Amounts, less any discount line added on the QBO side. */
export function qboSubtotal(source: QboTotalsSource): Decimal {
  let total = new Decimal(0);
  for (const line of source.Line) {
    const amount = new Decimal(line.Amount ?? 0);
    if (AMOUNT_LINES.has(line.DetailType)) total = total.plus(amount);
    else if (line.DetailType === 'DiscountLineDetail') total = total.minus(amount);
  }
  return total;
}

/**
 * Workroom's totals against the ones QBO recomputed after a push; one entry per figure that differs, to the cent,
 * with the reason in words. An empty list means the books agree. Workroom rounds lines and tax where QBO does
 * (src/domain/totals.ts), so rounding alone never shows up here: a difference means different lines or rates.
 */
export function compareTotals(workroom: WorkroomTotals, source: QboTotalsSource, context: CompareContext = {}): TotalsDifference[] {
  const wr = {
    lines: new Decimal(workroom.lineAmountsTotal),
    subtotal: new Decimal(workroom.subtotal),
    tax: new Decimal(workroom.taxTotal),
    total: new Decimal(workroom.total),
  };
  const qbo = {
    subtotal: qboSubtotal(source),
    tax: new Decimal(source.TxnTaxDetail?.TotalTax ?? 0),
    total: new Decimal(source.TotalAmt ?? 0),
  };
  const out: TotalsDifference[] = [];
  const add = (field: TotalsField, w: Decimal, q: Decimal, reason: string) =>
    out.push({ field, workroom: cents(w), qbo: cents(q), difference: cents(q.minus(w)), reason });

  const subtotalDiffers = !qbo.subtotal.equals(wr.subtotal);
  if (subtotalDiffers) {
    add(
      'subtotal',
      wr.subtotal,
      qbo.subtotal,
      `line amounts differ: the QuickBooks lines add up to ${cents(qbo.subtotal)}, Workroom's lines to ${cents(wr.lines)}; the QuickBooks copy was changed or a line is missing`,
    );
  }
  if (!qbo.tax.equals(wr.tax)) {
    const qboRates = source.TxnTaxDetail?.TaxLine?.length ?? 0;
    add('tax', wr.tax, qbo.tax, taxReason(wr.tax, qbo.tax, { subtotalDiffers, qboRates }, context));
  }
  if (!qbo.total.equals(wr.total)) {
    const explained = subtotalDiffers || !qbo.tax.equals(wr.tax);
    add(
      'total',
      wr.total,
      qbo.total,
      explained
        ? 'follows from the subtotal and tax differences above'
        : `QuickBooks' total (${cents(qbo.total)}) is not its subtotal plus tax as Workroom computes it; check the document's tax settings in QuickBooks`,
    );
  }
  return out;
}

function taxReason(
  workroom: Decimal,
  qbo: Decimal,
  seen: { readonly subtotalDiffers: boolean; readonly qboRates: number },
  context: CompareContext,
): string {
  const head = `tax computed by QBO differs: QuickBooks ${cents(qbo)}, Workroom ${cents(workroom)}`;
  const us = context.company?.taxModel === 'us';
  if (us && context.documentType === 'purchase_order') return `${head}; QuickBooks does not compute sales tax on US purchase orders`;
  if (seen.subtotalDiffers) return `${head}; QuickBooks taxed its own line amounts (see the subtotal difference)`;
  // A US code may combine several rates (state + city); QBO rounds each one on its own, Workroom its single Sales Tax %.
  if (us && seen.qboRates > 1) {
    return `${head}; the mapped QuickBooks tax code combines ${seen.qboRates} rates and rounds each to the cent on its own, while Workroom rounds its one Sales Tax % once; check that the rates add up to Workroom's, or map a single-rate code`;
  }
  return `${head}; QuickBooks applies the rates of the mapped QuickBooks tax code, so check that they match Workroom's`;
}
