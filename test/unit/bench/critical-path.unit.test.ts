import { describe, expect, it } from 'vitest';
import { criticalPath } from '../../../bench/lib/critical-path.js';

describe('criticalPath', () => {
  const click = 1_000_000;

  it('splits the wall time at the request answered last, not the one sent last', () => {
    const path = criticalPath(click, click + 300, [
      { arrivedAt: click + 40, answeredAt: click + 200, batch: true },
      // Sent last but answered sooner: its wait overlaps the slower request's.
      { arrivedAt: click + 90, answeredAt: click + 240, batch: true },
      { arrivedAt: click + 60, answeredAt: click + 260, batch: true },
    ]);
    expect(path).toEqual({
      firstSentMs: 40,
      lastSentMs: 90,
      lastAnsweredMs: 260,
      wallMs: 300,
      lastWaitMs: 200,
      beforeLastWaitMs: 60,
      afterLastWaitMs: 40,
    });
    if (path === undefined) return;
    expect(path.beforeLastWaitMs + path.lastWaitMs + path.afterLastWaitMs).toBe(path.wallMs);
  });

  it('has nothing to say about a push that sent no request', () => {
    expect(criticalPath(click, click + 10, [])).toBeUndefined();
  });
});
