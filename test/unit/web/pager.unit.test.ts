import { describe, expect, it } from 'vitest';
import { describePage } from '../../../src/web/components/Pager.js';

describe('describePage', () => {
  it('counts the rows of a full, a last and a single page', () => {
    expect(describePage({ page: 1, pageSize: 20, total: 43 })).toBe('1–20 of 43');
    expect(describePage({ page: 3, pageSize: 20, total: 43 })).toBe('41–43 of 43');
    expect(describePage({ page: 1, pageSize: 20, total: 1 })).toBe('1–1 of 1');
  });

  it('says a page past the end is past the end, and an empty later page has none', () => {
    expect(describePage({ page: 9, pageSize: 20, total: 43 })).toBe('Past the last page: 43 in all');
    expect(describePage({ page: 2, pageSize: 20, total: 0 })).toBe('None');
  });
});
