import { describe, expect, it } from 'vitest';
import { idealRun, oneRoundBatches, QBO_PUSH_LIMITS, steadyCeiling } from '../../../bench/lib/ceiling.js';

const AT_150MS = { batchMs: 150, singleMs: 150 };

describe('steadyCeiling', () => {
  it('at 150 ms the batch cap binds: 40 × 30 = 1,200 docs/min by batch, plus 460 single creates', () => {
    const c = steadyCeiling(QBO_PUSH_LIMITS, AT_150MS);
    expect(c.batchesPerMinute).toBe(40);
    expect(c.batchOnlyDocsPerMinute).toBe(1200);
    expect(c.singlesPerMinute).toBe(460);
    expect(c.docsPerMinute).toBe(1660);
    expect(c.maths).toContain('1,660 docs/min');
  });

  it('with very slow answers the in-flight cap binds instead', () => {
    // 10 in flight × 60 s / 30 s = 20 batches a minute, and no in-flight room left for singles.
    const c = steadyCeiling(QBO_PUSH_LIMITS, { batchMs: 30_000, singleMs: 30_000 });
    expect(c.batchesPerMinute).toBe(20);
    expect(c.singlesPerMinute).toBe(0);
    expect(c.docsPerMinute).toBe(600);
  });
});

describe('idealRun', () => {
  it('200 docs fit in one round of 7 batches: the per-minute budgets never bind', () => {
    const run = idealRun(200, QBO_PUSH_LIMITS, AT_150MS);
    expect(run).toMatchObject({ wallMs: 150, batches: 7, singles: 0 });
  });

  it('2,000 docs batch-only: 40 batches, then wait for the batch window to slide at 60 s', () => {
    const run = idealRun(2000, QBO_PUSH_LIMITS, AT_150MS, false);
    expect(run.batches).toBe(67);
    expect(run.singles).toBe(0);
    // 27 batches after the window: 10 at 60.00 s, 10 at 60.15 s, 7 at 60.30 s, each 150 ms.
    expect(run.wallMs).toBe(60_450);
  });

  it('2,000 docs mixed: 40 batches and 460 singles in the first window, the rest when it slides', () => {
    const run = idealRun(2000, QBO_PUSH_LIMITS, AT_150MS);
    expect(run.batches).toBe(52);
    expect(run.singles).toBe(460);
    expect(run.wallMs).toBe(60_300);
    expect(run.docsPerMinute).toBeCloseTo((2000 * 60_000) / 60_300, 6);
  });

  it('terminates with fractional service times once the windows fill', () => {
    const times = { batchMs: 170.26388179999998, singleMs: 150.7 };
    const run = idealRun(2000, QBO_PUSH_LIMITS, times);
    expect(run.wallMs).toBeGreaterThan(60_000);
    expect(run.wallMs).toBeLessThan(61_000);
    expect(idealRun(2000, QBO_PUSH_LIMITS, times, false).batches).toBe(67);
  });

  it('a single document is one request', () => {
    expect(idealRun(1, QBO_PUSH_LIMITS, AT_150MS)).toMatchObject({ wallMs: 150, batches: 0, singles: 1 });
    expect(idealRun(0, QBO_PUSH_LIMITS, AT_150MS).wallMs).toBe(0);
  });

  it('refuses a fractional or negative count', () => {
    expect(() => idealRun(1.5, QBO_PUSH_LIMITS, AT_150MS)).toThrow(RangeError);
    expect(() => idealRun(-1, QBO_PUSH_LIMITS, AT_150MS)).toThrow(RangeError);
  });
});

describe('oneRoundBatches', () => {
  it('counts the batches of a push that fits in one round of 10 in flight', () => {
    expect(oneRoundBatches(1, QBO_PUSH_LIMITS)).toBe(1);
    expect(oneRoundBatches(200, QBO_PUSH_LIMITS)).toBe(7);
    expect(oneRoundBatches(300, QBO_PUSH_LIMITS)).toBe(10);
  });

  it('has no answer when the push needs more than one round or is empty', () => {
    expect(oneRoundBatches(301, QBO_PUSH_LIMITS)).toBeUndefined();
    expect(oneRoundBatches(2000, QBO_PUSH_LIMITS)).toBeUndefined();
    expect(oneRoundBatches(0, QBO_PUSH_LIMITS)).toBeUndefined();
  });

  it('is bound by the batch budget when that is below the in-flight cap', () => {
    expect(oneRoundBatches(120, { ...QBO_PUSH_LIMITS, batchesPerWindow: 3 })).toBeUndefined();
    expect(oneRoundBatches(90, { ...QBO_PUSH_LIMITS, batchesPerWindow: 3 })).toBe(3);
  });
});
