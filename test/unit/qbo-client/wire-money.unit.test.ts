import { describe, expect, it } from 'vitest';
import { QboDecimalSchema } from '../../../src/qbo/client/wire/money.js';

const parse = (value: unknown): string => QboDecimalSchema.parse(value);

describe('QboDecimalSchema: QBO amounts become plain decimal strings', () => {
  it('keeps the digits QBO wrote for ordinary numbers', () => {
    expect([250, 12.5, 0.1, -42.07, 0, 1234567.89].map(parse)).toEqual(['250', '12.5', '0.1', '-42.07', '0', '1234567.89']);
  });

  it('writes numbers JavaScript would print with an exponent out in full', () => {
    expect(parse(1e-7)).toBe('0.0000001');
    expect(parse(-2.5e-8)).toBe('-0.000000025');
    expect(parse(1e21)).toBe('1000000000000000000000');
  });

  it('normalises decimal strings', () => {
    expect(['007.50', '-0.10', '3'].map(parse)).toEqual(['7.5', '-0.1', '3']);
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['12,50', '1e5', 'abc', '', Number.NaN, Number.POSITIVE_INFINITY, null, true]) {
      expect(QboDecimalSchema.safeParse(bad).success, String(bad)).toBe(false);
    }
  });
});
