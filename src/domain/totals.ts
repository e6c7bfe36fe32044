import { exactLineAmount, formatMoney, lineAmount, money, percentOf, roundMoney, sumMoney, type Money } from './money.js';
import { isTaxableCode, type TaxCode } from './tax.js';

export interface TotalsLineInput {
  quantity: string;
  rate: string;
  /** Used by the sales-tax model. */
  taxable: boolean;
  /** Used by the tax-code model; null means the line carries no tax. */
  taxCodeId: string | null;
}

export type TaxContext =
  | { model: 'sales_tax'; rate: string }
  | { model: 'tax_codes'; codes: ReadonlyMap<string, Pick<TaxCode, 'id' | 'name' | 'components'>> };

export interface TaxBreakdownLine {
  /** null for the organisation's single Sales Tax %. */
  taxCodeId: string | null;
  taxName: string;
  component: string;
  rate: string;
  /** The taxable base, rounded for display; the tax itself is computed from the exact base. */
  base: string;
  amount: string;
}

export interface DocumentTotals {
  /** Per line: round(qty × rate, 2) half-up, exactly what QBO validates and recomputes. */
  lineAmounts: string[];
  /** Whether each line is taxed (QBO TAX/NON gate). */
  lineTaxable: boolean[];
  /** Sum of the rounded line amounts: the subtotal QBO will show. */
  lineAmountsTotal: string;
  /** Workroom rounds once, at the subtotal: round(Σ qty × rate, 2). */
  subtotal: string;
  taxes: TaxBreakdownLine[];
  taxTotal: string;
  total: string;
}

export class UnknownTaxCodeError extends Error {
  constructor(
    readonly lineIndex: number,
    readonly taxCodeId: string,
  ) {
    super(`line ${lineIndex} references unknown tax code ${taxCodeId}`);
  }
}

/**
 * Document totals as Workroom computes them. Line amounts are exposed rounded per line (QBO's way),
 * but the subtotal and each tax are rounded once from exact sums (Workroom's way); the difference is
 * the "totals off by a few cents" drift the help page describes.
 */
export function computeDocumentTotals(lines: readonly TotalsLineInput[], tax: TaxContext): DocumentTotals {
  const exact = lines.map((l) => exactLineAmount(l.quantity, l.rate));
  const lineTaxable = lines.map((l, i) => isLineTaxed(l, i, tax));
  const subtotal = roundMoney(sumMoney(exact));
  const taxes = tax.model === 'sales_tax' ? salesTaxLines(exact, lineTaxable, tax.rate) : taxCodeLines(lines, exact, tax.codes);
  const taxTotal = sumMoney(taxes.map((t) => t.amount));
  return {
    lineAmounts: lines.map((l) => formatMoney(lineAmount(l.quantity, l.rate))),
    lineTaxable,
    lineAmountsTotal: formatMoney(sumMoney(lines.map((l) => lineAmount(l.quantity, l.rate)))),
    subtotal: formatMoney(subtotal),
    taxes,
    taxTotal: formatMoney(taxTotal),
    total: formatMoney(subtotal.plus(taxTotal)),
  };
}

function isLineTaxed(line: TotalsLineInput, index: number, tax: TaxContext): boolean {
  if (tax.model === 'sales_tax') return line.taxable;
  if (line.taxCodeId === null) return false;
  const code = tax.codes.get(line.taxCodeId);
  if (!code) throw new UnknownTaxCodeError(index, line.taxCodeId);
  return isTaxableCode(code);
}

function salesTaxLines(exact: Money[], taxable: boolean[], rate: string): TaxBreakdownLine[] {
  if (money(rate).isZero() || !taxable.some(Boolean)) return [];
  const base = sumMoney(exact.filter((_, i) => taxable[i]));
  return [
    {
      taxCodeId: null,
      taxName: 'Sales Tax',
      component: 'Sales Tax',
      rate,
      base: formatMoney(roundMoney(base)),
      amount: formatMoney(roundMoney(percentOf(base, rate))),
    },
  ];
}

function taxCodeLines(
  lines: readonly TotalsLineInput[],
  exact: Money[],
  codes: Extract<TaxContext, { model: 'tax_codes' }>['codes'],
): TaxBreakdownLine[] {
  // Bases per code in order of first use, so the breakdown reads in the same order as the lines.
  const bases = new Map<string, Money>();
  lines.forEach((l, i) => {
    if (l.taxCodeId === null) return;
    bases.set(l.taxCodeId, sumMoney([bases.get(l.taxCodeId) ?? '0', exact[i] ?? '0']));
  });
  const out: TaxBreakdownLine[] = [];
  for (const [codeId, base] of bases) {
    const code = codes.get(codeId);
    if (!code) throw new UnknownTaxCodeError(lines.findIndex((l) => l.taxCodeId === codeId), codeId);
    for (const component of code.components) {
      if (money(component.rate).isZero()) continue;
      out.push({
        taxCodeId: code.id,
        taxName: code.name,
        component: component.name,
        rate: component.rate,
        base: formatMoney(roundMoney(base)),
        amount: formatMoney(roundMoney(percentOf(base, component.rate))),
      });
    }
  }
  return out;
}
