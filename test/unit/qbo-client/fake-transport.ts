import type { QboRequest, QboTransport } from '../../../src/qbo/client/index.js';

export type Handler = (req: QboRequest, index: number) => Response | Promise<Response>;

/** A transport that records every request and answers from a handler (or a queue of answers). */
export class FakeTransport implements QboTransport {
  readonly requests: QboRequest[] = [];
  readonly #handler: Handler;

  constructor(handler: Handler | readonly (Response | Error)[]) {
    if (typeof handler === 'function') {
      this.#handler = handler;
    } else {
      const queue = [...handler];
      this.#handler = () => {
        const next = queue.shift();
        if (next === undefined) throw new Error('FakeTransport ran out of answers');
        if (next instanceof Error) throw next;
        return next;
      };
    }
  }

  async send(req: QboRequest): Promise<Response> {
    this.requests.push(req);
    return this.#handler(req, this.requests.length - 1);
  }

  urls(): URL[] {
    return this.requests.map((r) => new URL(r.url));
  }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function fault(code: string, message: string, detail = '', element = ''): unknown {
  return {
    Fault: { Error: [{ Message: message, Detail: detail, code, element }], type: 'ValidationFault' },
    time: '2025-01-01T00:00:00.000-08:00',
  };
}

/** Fake clock for retry: sleeping just advances time, so nothing waits for real. */
export function fakeRetryClock(random = 0.5): { now(): number; sleep(ms: number): Promise<void>; random(): number; sleeps: number[] } {
  let now = 1_700_000_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    random: () => random,
  };
}
