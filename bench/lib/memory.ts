import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFn: (() => void) | undefined;

/** A full garbage collection, so heap figures are what is retained rather than what happens to be unswept. */
export function collectGarbage(): void {
  if (gcFn === undefined) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
}

export interface HeapWatch {
  /** Highest heapUsed seen since start, in bytes. */
  stop(): number;
}

/** Samples heapUsed every `everyMs` while something runs (the sampler only sees moments the event loop is free). */
export function watchHeap(everyMs = 2): HeapWatch {
  let peak = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().heapUsed);
    },
  };
}

export const MB = 1024 * 1024;
