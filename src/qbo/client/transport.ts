export type HttpMethod = 'GET' | 'POST';

/** One HTTP exchange with Intuit or anything that speaks its contract. */
export interface QboRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/**
 * The only thing the client needs from the network. Kept structural and tiny so the same client runs
 * against Intuit, the in-process emulator, or a test wrapper that injects faults.
 */
export interface QboTransport {
  send(req: QboRequest): Promise<Response>;
}

export interface FetchTransportOptions {
  /** Intuit gives up on a request after 120 s; we give up a little earlier so retries still fit. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof globalThis.fetch;
}

export function fetchTransport(options: FetchTransportOptions = {}): QboTransport {
  const config = Object.freeze({ timeoutMs: options.timeoutMs ?? 100_000, fetch: options.fetch ?? globalThis.fetch });
  return {
    send(req) {
      return config.fetch(req.url, {
        method: req.method,
        headers: req.headers,
        ...(req.body === undefined ? {} : { body: req.body }),
        signal: AbortSignal.timeout(config.timeoutMs),
        redirect: 'error',
      });
    },
  };
}
