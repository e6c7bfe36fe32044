import { describe, expect, it } from 'vitest';
import { InProcessRealmLimiter, type LimiterClock, type Release } from '../../../src/qbo/client/index.js';

function manualClock(): LimiterClock & { advance(ms: number): void } {
  let now = 0;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimer(fn, ms) {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('InProcessRealmLimiter', () => {
  it('never lets more than 10 requests per realm run at once, and queues the rest', async () => {
    const limiter = new InProcessRealmLimiter({}, manualClock());
    let running = 0;
    let peak = 0;
    const work = Array.from({ length: 35 }, async () => {
      const release = await limiter.acquire('1234567890', 'request');
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      running -= 1;
      release();
    });
    await Promise.all(work);
    expect(peak).toBe(10);
  });

  it('keeps realms independent', async () => {
    const limiter = new InProcessRealmLimiter({ maxInFlight: 1 }, manualClock());
    await limiter.acquire('1111111111', 'request');
    const other = await Promise.race([limiter.acquire('2222222222', 'request'), tick().then(() => 'blocked')]);
    expect(other).not.toBe('blocked');
  });

  it('admits at most 500 per rolling minute and releases the queue as the window moves', async () => {
    const clock = manualClock();
    const limiter = new InProcessRealmLimiter({}, clock);
    let granted = 0;
    const all: Promise<void>[] = [];
    const burst = (count: number) => {
      for (let i = 0; i < count; i += 1) {
        all.push(
          limiter.acquire('1234567890', 'request').then((release) => {
            granted += 1;
            release();
          }),
        );
      }
    };
    burst(300);
    await tick();
    expect(granted).toBe(300);
    clock.advance(30_000);
    burst(220);
    await tick();
    expect(granted).toBe(500);
    expect(limiter.snapshot('1234567890')).toMatchObject({ inWindow: 500, queued: 20 });
    clock.advance(29_999);
    await tick();
    expect(granted).toBe(500);
    clock.advance(2);
    await tick();
    expect(granted).toBe(520);
    expect(limiter.snapshot('1234567890').inWindow).toBe(220);
    await Promise.all(all);
  });

  it('caps batch requests per window separately', async () => {
    const clock = manualClock();
    const limiter = new InProcessRealmLimiter({ maxBatchesPerWindow: 2 }, clock);
    const releases: Release[] = [];
    for (let i = 0; i < 2; i += 1) releases.push(await limiter.acquire('1234567890', 'batch'));
    let third = false;
    const pending = limiter.acquire('1234567890', 'batch').then((r) => {
      third = true;
      return r;
    });
    await tick();
    expect(third).toBe(false);
    clock.advance(60_001);
    (await pending)();
    expect(third).toBe(true);
  });

  it('ignores a double release', async () => {
    const limiter = new InProcessRealmLimiter({ maxInFlight: 1 }, manualClock());
    const first = await limiter.acquire('1234567890', 'request');
    first();
    first();
    const second = await limiter.acquire('1234567890', 'request');
    let thirdGranted = false;
    void limiter.acquire('1234567890', 'request').then(() => {
      thirdGranted = true;
    });
    await tick();
    expect(thirdGranted).toBe(false);
    second();
    await tick();
    expect(thirdGranted).toBe(true);
  });
});
