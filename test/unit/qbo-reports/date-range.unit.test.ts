import { describe, expect, it } from 'vitest';
import { isIsoDate, localToday, resolvePnlRange } from '../../../src/qbo/reports/index.js';

describe('resolvePnlRange', () => {
  it.each([
    ['this_month', '2026-02-14', '2026-02-01', '2026-02-28'],
    ['this_month', '2024-02-29', '2024-02-01', '2024-02-29'],
    ['last_month', '2026-03-31', '2026-02-01', '2026-02-28'],
    ['last_month', '2026-01-05', '2025-12-01', '2025-12-31'],
    ['this_quarter', '2026-01-01', '2026-01-01', '2026-03-31'],
    ['this_quarter', '2026-05-17', '2026-04-01', '2026-06-30'],
    ['this_quarter', '2026-12-31', '2026-10-01', '2026-12-31'],
    ['year_to_date', '2026-11-25', '2026-01-01', '2026-11-25'],
    ['last_year', '2026-01-01', '2025-01-01', '2025-12-31'],
  ] as const)('%s on %s is %s to %s', (preset, today, start, end) => {
    expect(resolvePnlRange(preset, today)).toEqual({ start, end });
  });

  it('takes a custom range as given, and refuses one that is missing, unreal or backwards', () => {
    expect(resolvePnlRange('custom', '2026-11-25', { start: '2024-03-01', end: '2024-03-01' })).toEqual({ start: '2024-03-01', end: '2024-03-01' });
    expect(() => resolvePnlRange('custom', '2026-11-25', { start: '2024-03-01' })).toThrow(RangeError);
    expect(() => resolvePnlRange('custom', '2026-11-25', { start: '2024-02-30', end: '2024-03-01' })).toThrow(RangeError);
    expect(() => resolvePnlRange('custom', '2026-11-25', { start: '2024-03-02', end: '2024-03-01' })).toThrow(RangeError);
  });

  it('refuses a "today" that is not a date', () => {
    expect(() => resolvePnlRange('this_month', '25/11/2026')).toThrow(RangeError);
  });
});

describe('isIsoDate and localToday', () => {
  it('accepts only real calendar dates', () => {
    expect(['2024-02-29', '2026-12-31'].map(isIsoDate)).toEqual([true, true]);
    expect(['2026-02-29', '2026-13-01', '2026-1-01', '20260101'].map(isIsoDate)).toEqual([false, false, false, false]);
  });

  it('is the local calendar day of the given instant', () => {
    expect(localToday(new Date(2026, 0, 9, 23, 59))).toBe('2026-01-09');
  });
});
