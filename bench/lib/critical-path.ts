import type { AnsweredCall } from './emulator-stats.js';

/**
 * Where a push's wall time went, from the click to the last settled job: the one wait on QBO that the push
 * could not finish before (the request answered last), and everything else, which is our own work on the
 * critical path — queueing and preparing before that request left, recording after its answer came back.
 * Waits on earlier requests overlap our work and cost nothing here.
 */
export interface CriticalPath {
  /** Milliseconds after the click. */
  readonly firstSentMs: number;
  readonly lastSentMs: number;
  readonly lastAnsweredMs: number;
  readonly wallMs: number;
  /** How long QBO took to answer the request answered last. */
  readonly lastWaitMs: number;
  /** Click → that request sent. */
  readonly beforeLastWaitMs: number;
  /** Its answer → the last job settled. */
  readonly afterLastWaitMs: number;
}

export function criticalPath(clickedAt: number, finishedAt: number, calls: readonly AnsweredCall[]): CriticalPath | undefined {
  const last = calls.reduce<AnsweredCall | undefined>((a, b) => (a === undefined || b.answeredAt > a.answeredAt ? b : a), undefined);
  if (last === undefined) return undefined;
  const since = (at: number): number => at - clickedAt;
  return {
    firstSentMs: since(Math.min(...calls.map((call) => call.arrivedAt))),
    lastSentMs: since(Math.max(...calls.map((call) => call.arrivedAt))),
    lastAnsweredMs: since(last.answeredAt),
    wallMs: since(finishedAt),
    lastWaitMs: last.answeredAt - last.arrivedAt,
    beforeLastWaitMs: since(last.arrivedAt),
    afterLastWaitMs: finishedAt - last.answeredAt,
  };
}
