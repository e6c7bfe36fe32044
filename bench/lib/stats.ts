/**
 * Latency summaries for the bench table. Percentiles use the nearest-rank method (the value below which p%
 * of the samples fall, always an observed sample), so a p99 over 100 samples is the 99th smallest, not an
 * interpolation that no request ever took.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError('percentile of no samples');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: Number.NaN, p99: Number.NaN, mean: Number.NaN, max: Number.NaN };
  let total = 0;
  let max = -Infinity;
  for (const s of samples) {
    total += s;
    if (s > max) max = s;
  }
  return { count: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), mean: total / samples.length, max };
}

/** Documents per minute from a count and a wall time in milliseconds. */
export function perMinute(count: number, wallMs: number): number {
  if (wallMs <= 0) return Number.NaN;
  return (count * 60_000) / wallMs;
}
