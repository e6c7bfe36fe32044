import { Decimal } from 'decimal.js';
import { z } from 'zod';

declare const moneyBrand: unique symbol;

/**
 * An exact decimal amount. Built only from strings or Decimals, never from JS numbers, so a float
 * can never sneak into a total (`money(0.1)` does not compile).
 */
export type Money = Decimal & { readonly [moneyBrand]: true };

export type DecimalInput = string | Decimal;

export function money(value: DecimalInput): Money {
  const d = new Decimal(value);
  if (!d.isFinite()) throw new RangeError(`not a finite amount: ${String(value)}`);
  return d as Money;
}

export const ZERO: Money = money('0');

/** Half-up (away from zero on .5) to cents: how QBO checks Amount = UnitPrice × Qty. */
export function roundMoney(value: DecimalInput): Money {
  return money(new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP));
}

/** Exact, unrounded quantity × rate; rounding happens where the caller decides (line or subtotal). */
export function exactLineAmount(quantity: DecimalInput, rate: DecimalInput): Money {
  return money(new Decimal(quantity).times(rate));
}

/** The per-line amount QBO validates: round(Qty × UnitPrice, 2) half-up. */
export function lineAmount(quantity: DecimalInput, rate: DecimalInput): Money {
  return roundMoney(exactLineAmount(quantity, rate));
}

export function sumMoney(values: Iterable<DecimalInput>): Money {
  let total = new Decimal(0);
  for (const v of values) total = total.plus(v);
  return money(total);
}

/** `base × percent / 100`, unrounded. */
export function percentOf(base: DecimalInput, percent: DecimalInput): Money {
  return money(new Decimal(base).times(percent).dividedBy(100));
}

/** The wire form of an amount: fixed two decimals, no exponent ("1234.50"). */
export function formatMoney(value: DecimalInput): string {
  return new Decimal(value).toFixed(2);
}

/** Quantities and rates keep their own precision on the wire, trimmed of trailing zeros. */
export function formatDecimal(value: DecimalInput): string {
  return new Decimal(value).toFixed();
}

/**
 * A decimal string as accepted at the API edge: plain notation, optional sign, bounded digits.
 * Exponents and floats are rejected so "1e3" or 0.1+0.2 artefacts never enter the books.
 */
export function decimalString(opts: { maxScale: number; allowNegative?: boolean; maxIntegerDigits?: number }) {
  const sign = opts.allowNegative ? '-?' : '';
  const intDigits = opts.maxIntegerDigits ?? 12;
  const frac = opts.maxScale > 0 ? `(\\.\\d{1,${opts.maxScale}})?` : '';
  const pattern = new RegExp(`^${sign}\\d{1,${intDigits}}${frac}$`);
  const what = `${opts.allowNegative ? 'a' : 'a non-negative'} decimal string with at most ${opts.maxScale} decimals`;
  return z.string().trim().regex(pattern, `must be ${what}, e.g. "12.5"`);
}
