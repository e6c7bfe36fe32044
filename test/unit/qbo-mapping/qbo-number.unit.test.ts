import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { qboLineAmount, QBO_UNIT_DECIMALS, toQboNumber } from '../../../src/qbo/mapping/index.js';

describe('toQboNumber', () => {
  it('returns the same digits as a JSON number', () => {
    expect(JSON.stringify({ a: toQboNumber(new Decimal('1234.50')) })).toBe('{"a":1234.5}');
    expect(toQboNumber(new Decimal('-0.07'))).toBe(-0.07);
    expect(toQboNumber(new Decimal('33.3333333'), QBO_UNIT_DECIMALS)).toBe(33.3333333);
  });

  it('refuses more decimals than QBO keeps', () => {
    expect(() => toQboNumber(new Decimal('10.005'))).toThrow(/more than 2 decimals/);
    expect(() => toQboNumber(new Decimal('1.12345678'), QBO_UNIT_DECIMALS)).toThrow(/more than 7 decimals/);
  });

  it('refuses values a JS number cannot carry exactly', () => {
    expect(() => toQboNumber(new Decimal('12345678901234567.89'))).toThrow(/exactly/);
  });
});

describe('qboLineAmount', () => {
  it('rounds the exact product half away from zero', () => {
    expect(qboLineAmount('3', '0.335').toFixed()).toBe('1.01');
    expect(qboLineAmount('3', '-0.335').toFixed()).toBe('-1.01');
    expect(qboLineAmount('0.3333', '3').toFixed()).toBe('1');
  });

  it('keeps every digit of a large product before rounding (decimal.js would keep only 20)', () => {
    expect(qboLineAmount('123456.7891', '81000016.4661').toFixed()).toBe('10000001949951.83');
  });
});
