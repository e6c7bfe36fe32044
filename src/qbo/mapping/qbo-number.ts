import { Decimal } from 'decimal.js';

/** Line amounts, totals and tax: cents. */
export const QBO_AMOUNT_DECIMALS = 2;
/** QBO keeps up to seven decimals in Qty and UnitPrice (amounts are always two). */
export const QBO_UNIT_DECIMALS = 7;

/**
 * The one place a decimal becomes a JSON number for QBO. It refuses a value with more decimals than QBO keeps
 * (silently rounding there would break Amount = round(Qty × UnitPrice, 2)), and any value a JS number cannot
 * carry exactly, so the digits QBO reads are the digits Workroom computed.
 */
export function toQboNumber(value: Decimal, maxDecimals: number = QBO_AMOUNT_DECIMALS): number {
  if (!value.isFinite()) throw new RangeError(`not a finite amount: ${value.toString()}`);
  if (value.decimalPlaces() > maxDecimals) {
    throw new RangeError(`${value.toFixed()} has more than ${maxDecimals} decimals, which QuickBooks does not keep`);
  }
  const n = Number(value.toFixed());
  if (!new Decimal(n).equals(value)) throw new RangeError(`${value.toFixed()} cannot be sent exactly as a JSON number`);
  return n;
}

/** round(value, 2) half-up (away from zero at .5), the rounding QBO applies to Qty × UnitPrice. */
export function roundHalfUpToCents(value: Decimal): Decimal {
  return value.toDecimalPlaces(QBO_AMOUNT_DECIMALS, Decimal.ROUND_HALF_UP);
}

// decimal.js keeps 20 significant digits by default; Qty (7 decimals) × UnitPrice (7 decimals) of a large line needs more.
const Exact = Decimal.clone({ precision: 64 });

/** The line amount QBO validates and recomputes: round(Qty × UnitPrice, 2) half-up, from the exact product. */
export function qboLineAmount(quantity: Decimal.Value, unitPrice: Decimal.Value): Decimal {
  return roundHalfUpToCents(new Decimal(new Exact(quantity).times(unitPrice)));
}
