import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocumentInputSchema, LINE_LIMITS, LineInputSchema } from '../../../src/domain/documents.js';
import { decimalString, exactLineAmount, formatDecimal, formatMoney, lineAmount, money, percentOf, roundMoney, sumMoney } from '../../../src/domain/money.js';
import { TaxRatePercent } from '../../../src/domain/tax.js';
import { computeDocumentTotals } from '../../../src/domain/totals.js';

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

/** Integer arithmetic oracle: values as BigInt at a fixed scale, rounded half-up (away from zero) like QBO. */
function halfUp(value: bigint, divisor: bigint): bigint {
  const sign = value < 0n ? -1n : 1n;
  return sign * ((sign * value * 2n + divisor) / (divisor * 2n));
}
const scaled = (text: string, decimals: number): bigint => {
  const [whole = '0', frac = ''] = text.replace('-', '').split('.');
  const n = BigInt(whole + frac.padEnd(decimals, '0'));
  return text.startsWith('-') ? -n : n;
};
const atScale = (value: bigint, decimals: number): string => {
  const abs = value < 0n ? -value : value;
  const unit = 10n ** BigInt(decimals);
  return `${value < 0n ? '-' : ''}${abs / unit}.${(abs % unit).toString().padStart(decimals, '0')}`;
};
const cents = (value: bigint): string => atScale(value, 2);

describe('precision at the largest inputs the API accepts', () => {
  const maxValue = `${'9'.repeat(LINE_LIMITS.integerDigits)}.${'9'.repeat(LINE_LIMITS.decimals)}`;

  it('the caps are the ones the precision was sized for', () => {
    expect(LineInputSchema.shape.quantity.safeParse(maxValue).success).toBe(true);
    expect(LineInputSchema.shape.rate.safeParse(`-${maxValue}`).success).toBe(true);
    expect(LineInputSchema.shape.quantity.safeParse(`1${'0'.repeat(LINE_LIMITS.integerDigits)}`).success).toBe(false);
    expect(LineInputSchema.shape.rate.safeParse('0.00001').success).toBe(false);
    expect(TaxRatePercent.safeParse('100').success).toBe(true);
    expect(TaxRatePercent.safeParse('100.0001').success).toBe(false);
    const tooMany = Array.from({ length: LINE_LIMITS.linesPerDocument + 1 }, () => ({ quantity: '1', rate: '1' }));
    expect(DocumentInputSchema.safeParse({ type: 'invoice', clientId: 'c', issueDate: '2025-01-01', lines: tooMany }).success).toBe(false);
  });

  it('multiplies the largest quantity by the largest rate without losing a digit', () => {
    const q = '999999999999.9999';
    const r = '-987654321098.7654';
    const exact = scaled(q, 4) * scaled(r, 4); // scale 10^8
    expect(exactLineAmount(q, r).toFixed()).toBe(atScale(exact, 8));
    expect(formatMoney(lineAmount(q, r))).toBe(cents(halfUp(exact, 10n ** 6n)));
    // decimal.js's default 20 significant digits cannot hold this product: the test would catch a regression.
    expect(new Decimal(q).times(r).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)).not.toBe(formatMoney(lineAmount(q, r)));
  });

  it('totals a full document of maximal lines at a 100% and a 99.9999% tax rate exactly, rounded where QBO rounds', () => {
    const q = '999999999999.9999';
    const rates = ['999999999999.9999', '876543210987.6543'];
    const lines = Array.from({ length: LINE_LIMITS.linesPerDocument }, (_, i) => ({ quantity: q, rate: rates[i % 2] ?? '0', taxable: true, taxCodeId: null }));
    const perLine = lines.map((l) => halfUp(scaled(l.quantity, 4) * scaled(l.rate, 4), 10n ** 6n)); // cents
    const subtotal = perLine.reduce((a, b) => a + b, 0n);
    for (const taxRate of ['100', '99.9999']) {
      const rate = scaled(taxRate, 4); // cents × rate / 10^4 / 100 = cents of tax at scale 10^6
      const once = computeDocumentTotals(lines, { model: 'sales_tax', rate: taxRate, rounding: 'taxable_total' });
      expect(once.lineAmounts[1]).toBe(cents(perLine[1] ?? 0n));
      expect(once.subtotal).toBe(cents(subtotal));
      expect(once.lineAmountsTotal).toBe(cents(subtotal));
      expect(once.taxTotal).toBe(cents(halfUp(subtotal * rate, 10n ** 6n)));
      expect(once.total).toBe(cents(subtotal + halfUp(subtotal * rate, 10n ** 6n)));
      const perLineTax = perLine.reduce((acc, c) => acc + halfUp(c * rate, 10n ** 6n), 0n);
      const eachLine = computeDocumentTotals(lines, { model: 'sales_tax', rate: taxRate, rounding: 'each_line' });
      expect(eachLine.taxTotal).toBe(cents(perLineTax));
      expect(eachLine.total).toBe(cents(subtotal + perLineTax));
      // The unrounded tax on the exact products is exact too: about 41 significant digits, the most the caps allow.
      const exactSum = lines.reduce((acc, l) => acc + scaled(l.quantity, 4) * scaled(l.rate, 4), 0n); // scale 10^8
      const exactBase = sumMoney(lines.map((l) => exactLineAmount(l.quantity, l.rate)));
      expect(percentOf(exactBase, taxRate).toFixed()).toBe(atScale(exactSum * rate, 14).replace(/\.?0+$/, ''));
    }
  });

  it('keeps a cent that a 20-digit sum would drop', () => {
    // 10^18 + 0.005 needs 21 significant digits; rounded to 20 it loses the half cent that rounds up.
    expect(formatMoney(roundMoney(sumMoney(['1000000000000000000', '0.005'])))).toBe('1000000000000000000.01');
    expect(new Decimal('1000000000000000000').plus('0.005').toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)).toBe('1000000000000000000.00');
  });
});

describe('bounded decimal strings', () => {
  const percent = decimalString({ maxScale: 4, maxIntegerDigits: 3, max: '100' });

  it.each(['abc', '1e3', '-5', '12.34567', '1,5'])('answers %j with one format issue instead of throwing in the bound', (v) => {
    const parsed = percent.safeParse(v);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(['must be a number of 0 or more, with at most 4 decimals, e.g. 12.5']);
  });

  it.each(['', ' '])('answers %j with "is required" alone', (v) => {
    expect(percent.safeParse(v).error?.issues.map((i) => i.message)).toEqual(['is required']);
  });

  it('says what a signed or a whole number must look like', () => {
    expect(decimalString({ maxScale: 2, allowNegative: true }).safeParse('1.234').error?.issues.map((i) => i.message)).toEqual(['must be a number, with at most 2 decimals, e.g. 12.5']);
    expect(decimalString({ maxScale: 0 }).safeParse('1.5').error?.issues.map((i) => i.message)).toEqual(['must be a number of 0 or more, without decimals, e.g. 12']);
  });

  it('applies the bound to well-formed values only', () => {
    expect(percent.safeParse('100').success).toBe(true);
    expect(percent.safeParse(' 7.25 ').data).toBe('7.25');
    expect(percent.safeParse('100.5').error?.issues.map((i) => i.message)).toEqual(['must be at most 100']);
  });

  it('names the line field for a malformed vendor discount or tax rate', () => {
    const doc = DocumentInputSchema.safeParse({
      type: 'invoice',
      clientId: 'c',
      issueDate: '2025-01-01',
      salesTaxRate: 'eight',
      lines: [{ quantity: '1', rate: '1', vendorDiscountPercent: 'ten' }],
    });
    expect(doc.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['lines.0.vendorDiscountPercent', 'salesTaxRate']);
  });
});
