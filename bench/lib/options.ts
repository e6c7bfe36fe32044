import { parseArgs } from 'node:util';

export const SECTIONS = ['cost', 'bulk', 'scale', 'load'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  /** Emulator latency added to every Accounting API call. */
  readonly latencyMs: number;
  /** Bulk push sizes to one realm (section 1). */
  readonly sizes: readonly number[];
  /** Clients per bulk studio: the parties that exist before the measured pushes. */
  readonly clients: number;
  /** Documents pushed by the naive one-at-a-time baseline (section 2). */
  readonly baselineDocs: number;
  /** Invoices the server pushes for a studio of its own before section 1 measures anything (0: none). */
  readonly warmDocs: number;
  /** Scale-out (section 3): realms, invoices per realm, worker process counts. */
  readonly realms: number;
  readonly perRealm: number;
  readonly workers: readonly number[];
  /** Cost (section 4). */
  readonly payloadIterations: number;
  readonly queueJobs: number;
  readonly historyRows: number;
  /** Load (section 5). */
  readonly users: number;
  readonly loadOrgs: number;
  readonly loadSeconds: number;
  readonly warmupSeconds: number;
  readonly thinkMs: readonly [number, number];
  readonly loadPush: number;
  readonly only: readonly Section[];
  readonly pgUrl: string;
  readonly out: string;
}

const HELP = `npm run bench -- [options]

  --latency MS          emulator latency per Accounting API call (150)
  --sizes A,B           bulk push sizes to one realm (200,2000)
  --clients N           clients (QBO customers) per bulk studio (20)
  --baseline-docs N     documents for the naive one-at-a-time baseline (200)
  --warm-docs N         invoices the server pushes, unmeasured, before section 1 (400; 0 measures a cold server)
  --realms N            scale-out realms (50)
  --per-realm N         scale-out invoices per realm (100)
  --workers A,B,C       scale-out worker process counts (1,2,4)
  --payload-iterations N  buildInvoice calls per timed round (20000)
  --queue-jobs N        queued jobs for the memory figure (10000)
  --history-rows N      Sync Center history rows (100000)
  --users N             concurrent API users in the load test (200)
  --load-orgs N         studios those users belong to (10)
  --load-seconds S      measured load window (30)
  --warmup-seconds S    load before the window, not measured (5)
  --think-ms A-B        pause between one user's requests (500-1500)
  --load-push N         invoices the bulk push during the load test sends (2000)
  --only a,b            sections to run: ${SECTIONS.join(', ')} (all)
  --quick               small sizes everywhere: a smoke run of a minute or two
  --pg-url URL          PostgreSQL server (TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
  --out FILE            results JSON (bench/results/latest.json)`;

function list(text: string, name: string): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v <= 0)) throw new Error(`--${name} wants positive integers, got "${text}"`);
  return values;
}

function int(text: string, name: string, min = 1): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} wants an integer ≥ ${min}, got "${text}"`);
  return n;
}

function range(text: string, name: string): [number, number] {
  const m = /^(\d+)-(\d+)$/.exec(text.trim());
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2]);
  if (!m || lo > hi) throw new Error(`--${name} wants MIN-MAX in ms, got "${text}"`);
  return [lo, hi];
}

const QUICK = {
  sizes: '60,300',
  clients: '5',
  'baseline-docs': '30',
  'warm-docs': '60',
  realms: '6',
  'per-realm': '20',
  workers: '1,2',
  'payload-iterations': '5000',
  'queue-jobs': '1000',
  'history-rows': '10000',
  users: '40',
  'load-orgs': '4',
  'load-seconds': '10',
  'warmup-seconds': '2',
  'load-push': '300',
} as const;

/** `argv` as npm passes it after `--`; throws with the usage text on anything it does not understand. */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      quick: { type: 'boolean' },
      latency: { type: 'string' },
      sizes: { type: 'string' },
      clients: { type: 'string' },
      'baseline-docs': { type: 'string' },
      'warm-docs': { type: 'string' },
      realms: { type: 'string' },
      'per-realm': { type: 'string' },
      workers: { type: 'string' },
      'payload-iterations': { type: 'string' },
      'queue-jobs': { type: 'string' },
      'history-rows': { type: 'string' },
      users: { type: 'string' },
      'load-orgs': { type: 'string' },
      'load-seconds': { type: 'string' },
      'warmup-seconds': { type: 'string' },
      'think-ms': { type: 'string' },
      'load-push': { type: 'string' },
      only: { type: 'string' },
      'pg-url': { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (values.help) return 'help';
  const v = (name: keyof typeof QUICK, fallback: string): string => values[name] ?? (values.quick ? QUICK[name] : fallback);
  const only = (values.only ?? SECTIONS.join(',')).split(',').map((s) => s.trim());
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`--only: unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
  return {
    latencyMs: int(values.latency ?? '150', 'latency', 0),
    sizes: list(v('sizes', '200,2000'), 'sizes'),
    clients: int(v('clients', '20'), 'clients'),
    baselineDocs: int(v('baseline-docs', '200'), 'baseline-docs'),
    warmDocs: int(v('warm-docs', '400'), 'warm-docs', 0),
    realms: int(v('realms', '50'), 'realms'),
    perRealm: int(v('per-realm', '100'), 'per-realm'),
    workers: list(v('workers', '1,2,4'), 'workers'),
    payloadIterations: int(v('payload-iterations', '20000'), 'payload-iterations'),
    queueJobs: int(v('queue-jobs', '10000'), 'queue-jobs'),
    historyRows: int(v('history-rows', '100000'), 'history-rows'),
    users: int(v('users', '200'), 'users'),
    loadOrgs: int(v('load-orgs', '10'), 'load-orgs'),
    loadSeconds: int(v('load-seconds', '30'), 'load-seconds'),
    warmupSeconds: int(v('warmup-seconds', '5'), 'warmup-seconds', 0),
    thinkMs: range(values['think-ms'] ?? '500-1500', 'think-ms'),
    loadPush: int(v('load-push', '2000'), 'load-push'),
    only: only as Section[],
    pgUrl: values['pg-url'] ?? env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    out: values.out ?? 'bench/results/latest.json',
  };
}

export { HELP as BENCH_HELP };
