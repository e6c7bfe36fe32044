/**
 * What QBO's per-realm limits allow, as a number to hold a push against. Two views:
 * - the steady rate: documents per minute a client could sustain forever under the limits;
 * - the ideal wall time for exactly N documents: a greedy ideal client that starts, at every moment, the
 *   biggest request the limits admit (a full batch while the batch budget lasts, then single creates), with
 *   every request taking the observed service time. Short runs never fill a 60 s window, so for them the
 *   in-flight cap and latency bind, not the per-minute budgets; that is why the ratio uses the ideal time.
 */
export interface PushLimits {
  /** Requests per sliding window, batches included (Intuit: 500/min). */
  readonly perWindow: number;
  /** Batch requests per sliding window (Intuit: 40/min). */
  readonly batchesPerWindow: number;
  /** Requests in flight at once (Intuit: 10). */
  readonly maxInFlight: number;
  /** Operations per batch request (Intuit: 30). */
  readonly batchMaxItems: number;
  readonly windowMs: number;
}

export const QBO_PUSH_LIMITS: PushLimits = Object.freeze({
  perWindow: 500,
  batchesPerWindow: 40,
  maxInFlight: 10,
  batchMaxItems: 30,
  windowMs: 60_000,
});

export interface ServiceTimes {
  /** Wall time of one batch request as QBO answers it (latency + its own work). */
  readonly batchMs: number;
  readonly singleMs: number;
}

export interface SteadyCeiling {
  /** Requests per minute the in-flight cap allows at the single-request service time. */
  readonly inFlightRequestsPerMinute: number;
  readonly batchesPerMinute: number;
  readonly singlesPerMinute: number;
  readonly docsPerMinute: number;
  /** The same without single creates: what a batch-only client can reach. */
  readonly batchOnlyDocsPerMinute: number;
  /** The arithmetic, for the table and the JSON. */
  readonly maths: string;
}

export function steadyCeiling(limits: PushLimits, times: ServiceTimes): SteadyCeiling {
  const minutes = limits.windowMs / 60_000;
  const perMinute = limits.perWindow / minutes;
  const batchCap = limits.batchesPerWindow / minutes;
  const inFlightBatches = (limits.maxInFlight * 60_000) / times.batchMs;
  const inFlightRequestsPerMinute = (limits.maxInFlight * 60_000) / times.singleMs;
  const batchesPerMinute = Math.min(batchCap, perMinute, inFlightBatches);
  // In-flight time left after the batches, spent on single creates, within the request budget.
  const slotMinutesLeft = Math.max(0, 1 - (batchesPerMinute * times.batchMs) / (limits.maxInFlight * 60_000));
  const singlesPerMinute = Math.max(0, Math.min(perMinute - batchesPerMinute, inFlightRequestsPerMinute * slotMinutesLeft));
  const batchOnlyDocsPerMinute = batchesPerMinute * limits.batchMaxItems;
  const docsPerMinute = batchOnlyDocsPerMinute + singlesPerMinute;
  const maths =
    `min(${fmt(batchCap)} batch, ${fmt(perMinute)} req, ${limits.maxInFlight}×60/${fmt(times.batchMs / 1000, 3)}s) = ${fmt(batchesPerMinute)} batches/min × ${limits.batchMaxItems} ` +
    `= ${fmt(batchOnlyDocsPerMinute)} docs/min, + ${fmt(singlesPerMinute)} singles (${fmt(perMinute)} − ${fmt(batchesPerMinute)}) = ${fmt(docsPerMinute)} docs/min`;
  return { inFlightRequestsPerMinute, batchesPerMinute, singlesPerMinute, docsPerMinute, batchOnlyDocsPerMinute, maths };
}

export interface IdealRun {
  readonly wallMs: number;
  readonly batches: number;
  readonly singles: number;
  readonly docsPerMinute: number;
}

/**
 * The greedy ideal client for `docs` documents, starting with empty windows. `allowSingles: false` gives the
 * batch-only variant. Event-driven: time only moves to the next completion or the next window expiry.
 */
export function idealRun(docs: number, limits: PushLimits, times: ServiceTimes, allowSingles = true): IdealRun {
  if (!Number.isInteger(docs) || docs < 0) throw new RangeError(`docs must be a non-negative integer, got ${docs}`);
  let remaining = docs;
  let now = 0;
  let batches = 0;
  let singles = 0;
  let wallMs = 0;
  const inFlight: number[] = [];
  let starts: number[] = [];
  let batchStarts: number[] = [];
  while (remaining > 0) {
    // Same expression as nextEvent's expiry time, so fractional service times cannot leave a start unpruned.
    starts = starts.filter((t) => t + limits.windowMs > now);
    batchStarts = batchStarts.filter((t) => t + limits.windowMs > now);
    for (let i = inFlight.length - 1; i >= 0; i -= 1) if ((inFlight[i] as number) <= now) inFlight.splice(i, 1);
    let started = false;
    while (remaining > 0 && inFlight.length < limits.maxInFlight && starts.length < limits.perWindow) {
      const batchOpen = batchStarts.length < limits.batchesPerWindow;
      if (batchOpen && (remaining > 1 || !allowSingles)) {
        const ops = Math.min(limits.batchMaxItems, remaining);
        remaining -= ops;
        batches += 1;
        batchStarts.push(now);
        starts.push(now);
        inFlight.push(now + times.batchMs);
        wallMs = Math.max(wallMs, now + times.batchMs);
      } else if (allowSingles) {
        remaining -= 1;
        singles += 1;
        starts.push(now);
        inFlight.push(now + times.singleMs);
        wallMs = Math.max(wallMs, now + times.singleMs);
      } else {
        break;
      }
      started = true;
    }
    if (remaining === 0) break;
    const next = nextEvent(now, inFlight, starts, batchStarts, limits, allowSingles);
    if (!started && next <= now) throw new Error('ideal schedule made no progress');
    now = next;
  }
  return { wallMs, batches, singles, docsPerMinute: docs === 0 ? 0 : (docs * 60_000) / wallMs };
}

/**
 * Batches of `docs` documents that a client can start all at once with empty windows: the whole push is one
 * round, so its wall time is the slowest answer. Beyond that the per-minute budgets bind, not any client's speed.
 */
export function oneRoundBatches(docs: number, limits: PushLimits): number | undefined {
  const batches = Math.ceil(docs / limits.batchMaxItems);
  return docs > 0 && batches <= Math.min(limits.maxInFlight, limits.batchesPerWindow, limits.perWindow) ? batches : undefined;
}

function nextEvent(
  now: number,
  inFlight: readonly number[],
  starts: readonly number[],
  batchStarts: readonly number[],
  limits: PushLimits,
  allowSingles: boolean,
): number {
  const candidates: number[] = [];
  if (inFlight.length > 0) candidates.push(Math.min(...inFlight));
  // A window slot frees when its oldest start leaves the window.
  if (starts.length >= limits.perWindow) candidates.push((starts[0] as number) + limits.windowMs);
  if (!allowSingles && batchStarts.length >= limits.batchesPerWindow) candidates.push((batchStarts[0] as number) + limits.windowMs);
  const future = candidates.filter((t) => t > now);
  return future.length === 0 ? now : Math.min(...future);
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}
