import { Decimal } from 'decimal.js';
import { z } from 'zod';

declare const moneyBrand: unique symbol;

/**
 * An exact decimal amount. Built only from strings or Decimals, never from JS numbers, so a float
 * can never sneak into a total (`money(0.1)` does not compile).
 */
export type Money = Decimal & { readonly [moneyBrand]: true };

export type DecimalInput = string | Decimal;

/**
 * The API edge caps quantities and rates at 12 integer and 4 decimal digits (16 significant digits each), a
 * document at 200 lines and a tax rate at 100.0000%. The largest exact value Workroom ever computes is then a
 * tax on a subtotal: 16 + 16 digits for quantity × rate, 3 more for a sum of 200 lines, 7 more for the rate,
 * 42 in all. decimal.js rounds every operation to 20 significant digits by default, which would lose cents long
 * before that; this private constructor keeps 64, so every money operation here is exact within the caps
 * (test/unit/domain/money.unit.test.ts proves it at the boundary).
 */
export const MONEY_PRECISION = 64;
const Exact = Decimal.clone({ precision: MONEY_PRECISION, rounding: Decimal.ROUND_HALF_UP });

export function money(value: DecimalInput): Money {
  const d = new Exact(value);
  if (!d.isFinite()) throw new RangeError(`not a finite amount: ${String(value)}`);
  return d as Money;
}

export const ZERO: Money = money('0');

/** Half-up (away from zero on .5) to cents: how QBO checks Amount = UnitPrice × Qty. */
export function roundMoney(value: DecimalInput): Money {
  return money(money(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP));
}

/** Exact, unrounded quantity × rate; `lineAmount` rounds it to the cent. */
export function exactLineAmount(quantity: DecimalInput, rate: DecimalInput): Money {
  return money(money(quantity).times(rate));
}

/** The per-line amount QBO validates: round(Qty × UnitPrice, 2) half-up. */
export function lineAmount(quantity: DecimalInput, rate: DecimalInput): Money {
  return roundMoney(exactLineAmount(quantity, rate));
}

export function sumMoney(values: Iterable<DecimalInput>): Money {
  let total: Decimal = ZERO;
  for (const v of values) total = total.plus(v);
  return money(total);
}

/** `base × percent / 100`, unrounded. */
export function percentOf(base: DecimalInput, percent: DecimalInput): Money {
  return money(money(base).times(percent).dividedBy(100));
}

/** The wire form of an amount: fixed two decimals, no exponent ("1234.50"). */
export function formatMoney(value: DecimalInput): string {
  return money(value).toFixed(2);
}

/** Quantities and rates keep their own precision on the wire, trimmed of trailing zeros. */
export function formatDecimal(value: DecimalInput): string {
  return money(value).toFixed();
}

export interface DecimalStringOptions {
  maxScale: number;
  allowNegative?: boolean;
  maxIntegerDigits?: number;
  /** Inclusive upper bound, e.g. '100' for a percentage. */
  max?: string;
}

/**
 * A decimal string as accepted at the API edge: plain notation, optional sign, bounded digits.
 * Exponents and floats are rejected so "1e3" or 0.1+0.2 artefacts never enter the books.
 */
export function decimalString(opts: DecimalStringOptions) {
  const sign = opts.allowNegative ? '-?' : '';
  const intDigits = opts.maxIntegerDigits ?? 12;
  const frac = opts.maxScale > 0 ? `(\\.\\d{1,${opts.maxScale}})?` : '';
  const pattern = new RegExp(`^${sign}\\d{1,${intDigits}}${frac}$`);
  // Said to a studio under the field it typed in, so in its words rather than the format's.
  const what = `${opts.allowNegative ? 'a number' : 'a number of 0 or more'}${opts.maxScale > 0 ? `, with at most ${opts.maxScale} decimals` : ', without decimals'}`;
  // abort: a malformed string must stop here, so the bound below only ever parses a well-formed decimal.
  const shaped = z
    .string()
    .trim()
    .min(1, { message: 'is required', abort: true })
    .regex(pattern, { message: `must be ${what}, e.g. ${opts.maxScale > 0 ? '12.5' : '12'}`, abort: true });
  const { max } = opts;
  return max === undefined ? shaped : shaped.refine((v) => money(v).lte(max), `must be at most ${max}`);
}
