import { describe, expect, it } from 'vitest';
import { withSearchPath } from '../../../bench/lib/database.js';

describe('withSearchPath', () => {
  it('adds the schema as a percent-encoded options parameter (never "+" for the space)', () => {
    expect(withSearchPath('postgres://postgres@127.0.0.1:5432/test', 'bench_1')).toBe(
      'postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dbench_1',
    );
  });

  it('keeps other parameters and replaces an earlier options', () => {
    expect(withSearchPath('postgres://u@h/db?sslmode=disable&options=-c%20x%3D1', 's')).toBe(
      'postgres://u@h/db?sslmode=disable&options=-c%20search_path%3Ds',
    );
  });
});
