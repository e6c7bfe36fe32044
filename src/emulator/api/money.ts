import { Decimal } from 'decimal.js';

/** QBO rounds line amounts and each tax amount half-up to cents. */
export function round2(value: Decimal): Decimal {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Parses a wire number (JSON number or numeric string); undefined when absent or not numeric. */
export function toDecimal(value: unknown): Decimal | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Decimal(String(value));
  if (typeof value === 'string' && value.trim() !== '' && /^-?\d+(\.\d+)?$/.test(value.trim())) return new Decimal(value.trim());
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
  let total = new Decimal(0);
  for (const v of values) total = total.plus(v);
  return total;
}
