import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../../../bench/lib/options.js';

describe('parseBenchOptions', () => {
  it('defaults to the sizes the issue asks for', () => {
    const options = parseBenchOptions([], {});
    expect(options).toMatchObject({
      latencyMs: 150,
      sizes: [200, 2000],
      warmDocs: 400,
      realms: 50,
      perRealm: 100,
      workers: [1, 2, 4],
      queueJobs: 10_000,
      historyRows: 100_000,
      users: 200,
      thinkMs: [500, 1500],
      only: ['cost', 'bulk', 'scale', 'load'],
      pgUrl: 'postgres://postgres@127.0.0.1:5432/test',
    });
  });

  it('scales with flags, and --quick only changes what was not given', () => {
    const options = parseBenchOptions(['--quick', '--sizes', '50,500', '--latency', '300', '--only', 'bulk,load', '--think-ms', '100-200'], {
      TEST_DATABASE_URL: 'postgres://x@h/db',
    });
    if (options === 'help') throw new Error('unexpected help');
    expect(options.sizes).toEqual([50, 500]);
    expect(options.latencyMs).toBe(300);
    expect(options.realms).toBe(6);
    expect(options.only).toEqual(['bulk', 'load']);
    expect(options.thinkMs).toEqual([100, 200]);
    expect(options.pgUrl).toBe('postgres://x@h/db');
    expect(options.warmDocs).toBe(60);
    const cold = parseBenchOptions(['--warm-docs', '0'], {});
    expect(cold !== 'help' && cold.warmDocs).toBe(0);
  });

  it('refuses what it does not understand instead of guessing', () => {
    expect(() => parseBenchOptions(['--sizes', '200,abc'], {})).toThrow(/--sizes/);
    expect(() => parseBenchOptions(['--only', 'bulk,nope'], {})).toThrow(/nope/);
    expect(() => parseBenchOptions(['--think-ms', '900-100'], {})).toThrow(/--think-ms/);
    expect(() => parseBenchOptions(['--latency', '-5'], {})).toThrow(/--latency/);
    expect(() => parseBenchOptions(['--bogus'], {})).toThrow();
    expect(parseBenchOptions(['--help'], {})).toBe('help');
  });
});
