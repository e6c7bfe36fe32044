import { describe, expect, it } from 'vitest';
import { formatAmount, formatDate, withoutHeading } from '../../../src/web/format.js';

describe('formatAmount', () => {
  it.each([
    ['0', '0.00'],
    ['5', '5.00'],
    ['1234.5', '1,234.50'],
    ['1234567.891', '1,234,567.89'],
    ['-1234.5', '-1,234.50'],
    ['999.995', '1,000.00'],
    ['123456789012.34', '123,456,789,012.34'],
  ])('%s → %s', (input, expected) => {
    expect(formatAmount(input)).toBe(expected);
  });
});

describe('formatDate', () => {
  it('shows the ISO date and a dash for none', () => {
    expect(formatDate('2025-11-25T10:00:00.000Z')).toBe('2025-11-25');
    expect(formatDate(null)).toBe('—');
  });
});

describe('withoutHeading', () => {
  it('drops the heading the message repeats, and only that', () => {
    expect(withoutHeading('Tax code mismatch', 'Tax code mismatch: the Sales Tax % is not paired')).toBe('the Sales Tax % is not paired');
    expect(withoutHeading('Possible duplicate', 'Possible duplicate: QuickBooks already has “Smith LLC”\nLink it')).toBe('QuickBooks already has “Smith LLC”\nLink it');
  });

  it('drops it from every line of a refusal filed under it, and keeps the other problems’ own headings', () => {
    const refusal = [
      'Account not specified for line item: line 1 (category "Textiles") has no income account',
      'Account not specified for line item: line 2 (category "Design Services") has no income account',
      'Tax code mismatch: Workroom tax code "GST only" has no QuickBooks counterpart (lines 1 and 2)',
    ].join('\n');
    expect(withoutHeading('Account not specified for line item', refusal).split('\n')).toEqual([
      'line 1 (category "Textiles") has no income account',
      'line 2 (category "Design Services") has no income account',
      'Tax code mismatch: Workroom tax code "GST only" has no QuickBooks counterpart (lines 1 and 2)',
    ]);
  });

  it('keeps a message that does not start with its heading followed by a colon', () => {
    expect(withoutHeading('Customer not found', 'Duplicate Name Exists Error')).toBe('Duplicate Name Exists Error');
    expect(withoutHeading('Tax code mismatch', 'Tax code mismatches on lines 1 and 2')).toBe('Tax code mismatches on lines 1 and 2');
    expect(withoutHeading('Tax code mismatch', 'Tax code mismatch:')).toBe('Tax code mismatch:');
  });
});
