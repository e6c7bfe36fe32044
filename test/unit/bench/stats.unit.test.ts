import { describe, expect, it } from 'vitest';
import { percentile, perMinute, summarize } from '../../../bench/lib/stats.js';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);

  it('returns an observed sample: p50 and p99 of 1..100', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
  });

  it('p99 of fewer than 100 samples is the maximum', () => {
    expect(percentile([5, 1, 9, 3], 99)).toBe(9);
    expect(percentile([7], 50)).toBe(7);
  });

  it('does not reorder the caller’s array', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses no samples and out-of-range p', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('gives count, p50, p99, mean and max', () => {
    expect(summarize([10, 20, 30, 40])).toEqual({ count: 4, p50: 20, p99: 40, mean: 25, max: 40 });
  });

  it('is NaN-filled for no samples rather than throwing', () => {
    const s = summarize([]);
    expect(s.count).toBe(0);
    expect(Number.isNaN(s.p99)).toBe(true);
  });
});

describe('perMinute', () => {
  it('scales a count over milliseconds to a per-minute rate', () => {
    expect(perMinute(2000, 60_000)).toBe(2000);
    expect(perMinute(200, 6_000)).toBe(2000);
    expect(Number.isNaN(perMinute(5, 0))).toBe(true);
  });
});
