import { formatMoney, lineAmount, money, percentOf, roundMoney, sumMoney, type Money } from './money.js';
import { isTaxableCode, type TaxCode } from './tax.js';

export interface TotalsLineInput {
  quantity: string;
  rate: string;
  /** Used by the sales-tax model. */
  taxable: boolean;
  /** Used by the tax-code model; null means the line carries no tax. */
  taxCodeId: string | null;
}

/**
 * Where QuickBooks rounds sales tax, which depends on the company's country (sources in docs/emulator-api.md, "Tax"):
 * - 'taxable_total': US companies apply the rate once, to the sum of the taxable lines' rounded amounts.
 * - 'each_line': every other country taxes each line on its own, rounds that to the cent, and adds the results.
 */
export type TaxRounding = 'taxable_total' | 'each_line';

export function taxRoundingForCountry(country: string): TaxRounding {
  return country.toUpperCase() === 'US' ? 'taxable_total' : 'each_line';
}

/** Tax codes are Canadian (taxModelForCountry), so they are always rounded per line, as QBO Canada does. */
export type TaxContext =
  | { model: 'sales_tax'; rate: string; rounding: TaxRounding }
  | { model: 'tax_codes'; codes: ReadonlyMap<string, Pick<TaxCode, 'id' | 'name' | 'components'>> };

export interface TaxBreakdownLine {
  /** null for the organisation's single Sales Tax %. */
  taxCodeId: string | null;
  taxName: string;
  component: string;
  rate: string;
  /** The taxable base: the sum of the rounded amounts of the lines this tax applies to. */
  base: string;
  amount: string;
}

export interface DocumentTotals {
  /** Per line: round(qty × rate, 2) half-up, exactly what QBO validates and recomputes. */
  lineAmounts: string[];
  /** Whether each line is taxed (QBO TAX/NON gate). */
  lineTaxable: boolean[];
  /** Sum of the rounded line amounts; the same figure as `subtotal`, kept for API clients that read it. */
  lineAmountsTotal: string;
  /** Sum of the rounded line amounts: the subtotal QBO shows. */
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
 * Document totals computed the way QuickBooks computes them, so a pushed document's QBO total equals Workroom's to
 * the cent: each line rounded to the cent first, the subtotal their sum, and each tax rate rounded where QBO rounds
 * it (see TaxRounding). The browser's live totals call this same function.
 */
export function computeDocumentTotals(lines: readonly TotalsLineInput[], tax: TaxContext): DocumentTotals {
  const amounts = lines.map((l) => lineAmount(l.quantity, l.rate));
  const lineTaxable = lines.map((l, i) => isLineTaxed(l, i, tax));
  const subtotal = sumMoney(amounts);
  const taxes = tax.model === 'sales_tax' ? salesTaxLines(amounts, lineTaxable, tax) : taxCodeLines(lines, amounts, tax.codes);
  const taxTotal = sumMoney(taxes.map((t) => t.amount));
  return {
    lineAmounts: amounts.map((a) => formatMoney(a)),
    lineTaxable,
    lineAmountsTotal: formatMoney(subtotal),
    subtotal: formatMoney(subtotal),
    taxes,
    taxTotal: formatMoney(taxTotal),
    total: formatMoney(subtotal.plus(taxTotal)),
  };
}

/** One rate applied to some lines' rounded amounts, rounded to the cent where QBO rounds it. */
function taxAtRate(amounts: readonly Money[], ratePercent: string, rounding: TaxRounding): Money {
  if (rounding === 'taxable_total') return roundMoney(percentOf(sumMoney(amounts), ratePercent));
  return sumMoney(amounts.map((a) => roundMoney(percentOf(a, ratePercent))));
}

function isLineTaxed(line: TotalsLineInput, index: number, tax: TaxContext): boolean {
  if (tax.model === 'sales_tax') return line.taxable;
  if (line.taxCodeId === null) return false;
  const code = tax.codes.get(line.taxCodeId);
  if (!code) throw new UnknownTaxCodeError(index, line.taxCodeId);
  return isTaxableCode(code);
}

function salesTaxLines(amounts: Money[], taxable: boolean[], tax: Extract<TaxContext, { model: 'sales_tax' }>): TaxBreakdownLine[] {
  if (money(tax.rate).isZero() || !taxable.some(Boolean)) return [];
  const taxed = amounts.filter((_, i) => taxable[i]);
  return [
    {
      taxCodeId: null,
      taxName: 'Sales Tax',
      component: 'Sales Tax',
      rate: tax.rate,
      base: formatMoney(sumMoney(taxed)),
      amount: formatMoney(taxAtRate(taxed, tax.rate, tax.rounding)),
    },
  ];
}

function taxCodeLines(
  lines: readonly TotalsLineInput[],
  amounts: Money[],
  codes: Extract<TaxContext, { model: 'tax_codes' }>['codes'],
): TaxBreakdownLine[] {
  // Lines per code in order of first use, so the breakdown reads in the same order as the lines. Per-line rounding
  // makes the sum independent of this grouping, so QBO's TaxLines (one per rate, across codes) add up the same.
  const byCode = new Map<string, Money[]>();
  lines.forEach((l, i) => {
    const amount = amounts[i];
    if (l.taxCodeId === null || amount === undefined) return;
    const taxed = byCode.get(l.taxCodeId);
    if (taxed) taxed.push(amount);
    else byCode.set(l.taxCodeId, [amount]);
  });
  const out: TaxBreakdownLine[] = [];
  for (const [codeId, taxed] of byCode) {
    const code = codes.get(codeId);
    if (!code) throw new UnknownTaxCodeError(lines.findIndex((l) => l.taxCodeId === codeId), codeId);
    for (const component of code.components) {
      if (money(component.rate).isZero()) continue;
      out.push({
        taxCodeId: code.id,
        taxName: code.name,
        component: component.name,
        rate: component.rate,
        base: formatMoney(sumMoney(taxed)),
        amount: formatMoney(taxAtRate(taxed, component.rate, 'each_line')),
      });
    }
  }
  return out;
}
