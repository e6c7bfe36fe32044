import { Decimal } from 'decimal.js';
import { z } from 'zod';

/**
 * QBO sends amounts as JSON numbers. They become decimal strings right here, at the parse, so no float
 * survives into the domain. `String(n)` is the shortest text that round-trips, i.e. what QBO wrote.
 */
export const QboDecimalSchema = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)])
  .transform((value) => {
    const text = typeof value === 'number' ? String(value) : value;
    // A number without an exponent is already in the form toFixed() gives; only exponents and strings need Decimal.
    return typeof value === 'number' && !text.includes('e') ? text : new Decimal(text).toFixed();
  });
export type QboDecimal = z.output<typeof QboDecimalSchema>;

const RAW = '\u0000qbo-decimal:';

/**
 * JSON for a QBO request body. `Decimal` values are written as bare JSON numbers with exactly their
 * decimal digits (JSON.stringify would otherwise quote them, and converting to a JS number first could
 * change the digits QBO compares against Qty × UnitPrice).
 */
export function toQboJson(body: unknown): string {
  const text = JSON.stringify(body, function replacer(this: unknown, key: string, value: unknown) {
    const original = isRecord(this) ? this[key] : undefined;
    return Decimal.isDecimal(original) ? `${RAW}${original.toFixed()}` : value;
  });
  return text.replace(/"\\u0000qbo-decimal:(-?\d+(?:\.\d+)?)"/g, '$1');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
