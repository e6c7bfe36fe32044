import { ControllableClock } from '../../../src/emulator/index.js';

/**
 * Emulator time that runs `rate` times faster than the wall clock, so QBO's minute passes in a few seconds. Every
 * process on the machine computes it from the same wall clock, so they all agree on it to the millisecond (a
 * clock that jumps would leave each process a moment behind, and a moment a minute behind is no clock at all).
 */
export interface FastClockSpec {
  readonly originMs: number;
  readonly rate: number;
  readonly offsetMs: number;
}

export function fastClockNow(spec: FastClockSpec): number {
  const real = Date.now();
  return spec.originMs + (real - spec.originMs) * spec.rate + spec.offsetMs;
}

/** The emulator's side of FastClockSpec; advance it only before handing spec() to worker processes. */
export class FastClock extends ControllableClock {
  readonly #originMs = Date.now();
  #offsetMs = 0;

  constructor(private readonly rate: number) {
    super();
  }

  override now(): number {
    return fastClockNow(this.spec());
  }

  override advance(ms: number): void {
    this.#offsetMs += ms;
  }

  override reset(): void {
    this.#offsetMs = 0;
  }

  spec(): FastClockSpec {
    return { originMs: this.#originMs, rate: this.rate, offsetMs: this.#offsetMs };
  }
}
