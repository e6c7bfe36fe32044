import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalString, exactLineAmount, formatDecimal, formatMoney, lineAmount, money, roundMoney, sumMoney } from '../../../src/domain/money.js';

describe('money', () => {
  it('refuses JS numbers at compile time and non-finite values at run time', () => {
    // @ts-expect-error Money is built from strings or Decimals only
    expect(() => money(0.1)).not.toThrow();
    expect(() => money('NaN')).toThrow(RangeError);
    expect(() => money('Infinity')).toThrow(RangeError);
  });

  it.each([
    ['2.675', '2.68'], // 2.675 as a float is 2.67499999…; decimal keeps the half
    ['1.005', '1.01'],
    ['0.125', '0.13'],
    ['0.124999', '0.12'],
    ['-1.005', '-1.01'], // half-up rounds away from zero, as QBO does
    ['-0.004', '0.00'],
    ['100', '100.00'],
  ])('rounds %s half-up to %s', (input, expected) => {
    expect(formatMoney(roundMoney(input))).toBe(expected);
  });

  it('computes the QBO line amount as round(qty × rate, 2)', () => {
    expect(formatMoney(lineAmount('3', '19.995'))).toBe('59.99'); // 59.985 → up
    expect(formatMoney(lineAmount('0.333', '3'))).toBe('1.00'); // 0.999
    expect(formatMoney(lineAmount('1.5', '33.333'))).toBe('50.00'); // 49.9995
    expect(formatMoney(lineAmount('6', '328.333'))).toBe('1970.00'); // 1969.998
    expect(formatMoney(lineAmount('7', '85.333'))).toBe('597.33'); // 597.331
    expect(exactLineAmount('7', '85.333').toFixed()).toBe('597.331');
  });

  it('sums many amounts exactly where floats drift', () => {
    const tenCents = Array.from({ length: 1000 }, () => '0.1');
    expect(formatMoney(sumMoney(tenCents))).toBe('100.00');
    expect(tenCents.reduce((a, b) => a + Number(b), 0)).not.toBe(100);
  });

  it('matches integer arithmetic for any 4-decimal quantity and rate', () => {
    // Half-up rounding of qty × rate, done in BigInt cents: an independent oracle.
    const oracle = (q: bigint, r: bigint): bigint => {
      const product = q * r; // scale 10^8
      const sign = product < 0n ? -1n : 1n;
      return (sign * (sign * product + 500_000n)) / 1_000_000n; // scale 10^2
    };
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }), (q, r) => {
        const qty = new Decimal(q.toString()).dividedBy(10_000).toFixed();
        const rate = new Decimal(r.toString()).dividedBy(10_000).toFixed();
        const expected = new Decimal(oracle(q, r).toString()).dividedBy(100);
        expect(lineAmount(qty, rate).eq(expected)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('formats decimals without exponents or trailing zeros', () => {
    expect(formatDecimal('12.5000')).toBe('12.5');
    expect(formatDecimal(new Decimal('1e21'))).toBe('1000000000000000000000');
    expect(formatMoney('1e3')).toBe('1000.00');
  });
});

describe('decimalString at the API edge', () => {
  const quantity = decimalString({ maxScale: 4 });
  const rate = decimalString({ maxScale: 4, allowNegative: true });

  it.each(['0', '12', '12.5', '0.0001', ' 3.25 '])('accepts %j', (v) => {
    expect(quantity.safeParse(v).success).toBe(true);
  });

  it.each(['1e3', '0.12345', '-1', '.5', '5.', '1,000', '', 'abc', '0x10'])('rejects %j', (v) => {
    expect(quantity.safeParse(v).success).toBe(false);
  });

  it('accepts negative rates only where allowed', () => {
    expect(rate.safeParse('-25.50').success).toBe(true);
    expect(quantity.safeParse('-25.50').success).toBe(false);
  });

  it('rejects numbers: money on the wire is a string', () => {
    expect(quantity.safeParse(12.5).success).toBe(false);
  });
});
