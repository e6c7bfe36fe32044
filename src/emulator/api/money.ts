import { Decimal } from 'decimal.js';

/**
 * QBO checks Amount against the exact Qty × UnitPrice (7 decimals each, up to 17 significant digits as JSON
 * numbers), so a product can need 34 digits. decimal.js rounds to 20 significant digits by default, which turns
 * 3.0000007 × 358163.5714285 = 1074490.96499999999995 into …965 and the wrong cent; every amount here is built
 * with this private constructor instead.
 */
const Exact = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_UP });

export const ZERO: Decimal = new Exact(0);

/** QBO rounds line amounts and each tax amount half-up to cents. */
export function round2(value: Decimal): Decimal {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Parses a wire number (JSON number or numeric string); undefined when absent or not numeric. */
export function toDecimal(value: unknown): Decimal | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Exact(String(value));
  if (typeof value === 'string' && value.trim() !== '' && /^-?\d+(\.\d+)?$/.test(value.trim())) return new Exact(value.trim());
  return undefined;
}

/** QBO answers amounts as JSON numbers. */
export function toWire(value: Decimal): number {
  return value.toNumber();
}

/** Report cells are strings with exactly two decimals. */
export function toReportString(value: Decimal): string {
  return round2(value).toFixed(2);
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
