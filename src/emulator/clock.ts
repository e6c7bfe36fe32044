/** Time source for the emulator; tests advance it to expire tokens without waiting. */
export interface Clock {
  now(): number;
}

export class ControllableClock implements Clock {
  #offsetMs = 0;

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}
