/**
 * Closed-loop virtual users against the product's HTTP API: each user sends one request, waits for the whole
 * answer, thinks for a random pause, and goes again, until the window closes. Latency is measured at the client
 * (request sent → body read), so it includes the server's queueing under load, which is what a user feels.
 */
export interface LoadUser {
  /** The session cookie header of a logged-in user. */
  readonly cookie: string;
  readonly index: number;
}

export interface LoadRoute<U extends LoadUser> {
  /** Label in the table, e.g. "GET /api/documents". */
  readonly name: string;
  /** Relative frequency in the mix. */
  readonly weight: number;
  /** Sends one request; resolves with the status once the body has been read. */
  readonly send: (user: U, api: ApiCaller) => Promise<number>;
}

export type ApiCaller = (method: string, path: string, cookie: string, body?: unknown) => Promise<number>;

export interface LoadOptions<U extends LoadUser> {
  readonly baseUrl: string;
  readonly users: readonly U[];
  readonly routes: readonly LoadRoute<U>[];
  /** The measured window. */
  readonly durationMs: number;
  /** Load before the window (connections, JIT, caches), not recorded. */
  readonly warmupMs?: number;
  readonly thinkMs: readonly [number, number];
  /** Deterministic mix for a given seed. */
  readonly seed?: number;
}

export interface RouteSamples {
  readonly latenciesMs: number[];
  /** Answers other than 2xx, by status (0: the request itself failed). */
  readonly errors: Map<number, number>;
}

/** One second of the measured window: how many requests started in it and the slowest of them. */
export interface LoadSecond {
  readonly second: number;
  readonly requests: number;
  readonly maxMs: number;
}

export interface LoadResult {
  readonly byRoute: Map<string, RouteSamples>;
  /** Per second of the window, so a stall shows when it happened (e.g. right after a click). */
  readonly timeline: LoadSecond[];
  /** performance.now() at the start of the measured window. */
  readonly windowStart: number;
  /** The measured window's length and the requests answered in it. */
  readonly wallMs: number;
  readonly requests: number;
}

/** Mulberry32: a tiny seeded PRNG so two runs send the same mix. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks an entry in proportion to its weight; `r` is uniform in [0, 1). */
export function pickWeighted<T extends { readonly weight: number }>(entries: readonly T[], r: number): T {
  const total = entries.reduce((sum, e) => sum + e.weight, 0);
  if (!(total > 0)) throw new RangeError('weights must add up to more than 0');
  let point = r * total;
  for (const entry of entries) {
    point -= entry.weight;
    if (point < 0) return entry;
  }
  return entries[entries.length - 1] as T;
}

export function apiCaller(baseUrl: string): ApiCaller {
  const origin = new URL(baseUrl).origin;
  return async (method, path, cookie, body) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      // A browser on the product's own page sends its Origin on writes; the CSRF check accepts it.
      headers: { cookie, origin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await res.arrayBuffer();
    return res.status;
  };
}

export async function runLoad<U extends LoadUser>(options: LoadOptions<U>): Promise<LoadResult> {
  const byRoute = new Map<string, RouteSamples>(options.routes.map((r) => [r.name, { latenciesMs: [], errors: new Map() }]));
  const api = apiCaller(options.baseUrl);
  const [thinkMin, thinkMax] = options.thinkMs;
  const started = performance.now();
  const windowStart = started + (options.warmupMs ?? 0);
  const deadline = windowStart + options.durationMs;
  let requests = 0;
  const seconds = Array.from({ length: Math.ceil(options.durationMs / 1000) }, (_, second) => ({ second, requests: 0, maxMs: 0 }));

  const loop = async (user: U): Promise<void> => {
    const random = seededRandom((options.seed ?? 1) * 7919 + user.index);
    // Users arrive spread over one think time instead of all in the first millisecond.
    await sleep(random() * thinkMax);
    while (performance.now() < deadline) {
      const route = pickWeighted(options.routes, random());
      const samples = byRoute.get(route.name) as RouteSamples;
      const t0 = performance.now();
      let status: number;
      try {
        status = await route.send(user, api);
      } catch {
        status = 0;
      }
      const t1 = performance.now();
      if (t0 >= windowStart && t0 < deadline) {
        requests += 1;
        const bucket = seconds[Math.floor((t0 - windowStart) / 1000)];
        if (bucket) {
          bucket.requests += 1;
          bucket.maxMs = Math.max(bucket.maxMs, t1 - t0);
        }
        if (status >= 200 && status < 300) samples.latenciesMs.push(t1 - t0);
        else samples.errors.set(status, (samples.errors.get(status) ?? 0) + 1);
      }
      await sleep(thinkMin + random() * (thinkMax - thinkMin));
    }
  };
  await Promise.all(options.users.map(loop));
  return { byRoute, timeline: seconds, windowStart, wallMs: options.durationMs, requests };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
