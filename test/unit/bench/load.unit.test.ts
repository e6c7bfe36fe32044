import { describe, expect, it } from 'vitest';
import { pickWeighted, seededRandom } from '../../../bench/lib/load.js';

describe('seededRandom', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(43)()).not.toBe(first[0]);
  });
});

describe('pickWeighted', () => {
  const mix = [
    { name: 'list', weight: 3 },
    { name: 'read', weight: 1 },
  ];

  it('splits [0, 1) in proportion to the weights', () => {
    expect(pickWeighted(mix, 0).name).toBe('list');
    expect(pickWeighted(mix, 0.7499).name).toBe('list');
    expect(pickWeighted(mix, 0.75).name).toBe('read');
    expect(pickWeighted(mix, 0.9999).name).toBe('read');
  });

  it('approaches the weights over many draws', () => {
    const random = seededRandom(7);
    let list = 0;
    for (let i = 0; i < 20_000; i += 1) if (pickWeighted(mix, random()).name === 'list') list += 1;
    expect(list / 20_000).toBeGreaterThan(0.73);
    expect(list / 20_000).toBeLessThan(0.77);
  });

  it('refuses a mix whose weights add up to nothing', () => {
    expect(() => pickWeighted([{ weight: 0 }], 0.5)).toThrow(RangeError);
  });
});
