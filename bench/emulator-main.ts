/**
 * The bench's QuickBooks Online: the product's emulator with QBO's limits on and a per-call latency, run in
 * its own process so its work never delays the bench's clocks or the product's event loop. It adds one
 * read-only route, GET /_bench/stats, with what the emulator's own counters do not hold: operations inside
 * batch requests and the time each answer took; and GET /_bench/calls/:realmId?since=<epoch ms>, when each answered
 * request of a realm arrived and was answered, so the bench can tell our waiting on QBO from our own work.
 * Started by bench/lib/emulator-process.ts.
 */
import { parseArgs } from 'node:util';
import type { FastifyRequest } from 'fastify';
import { createEmulator } from '../src/emulator/index.js';
import { benchCompanies, type AnsweredCall, type RealmStats } from './lib/emulator-stats.js';

const { values } = parseArgs({
  options: { latency: { type: 'string', default: '150' }, realms: { type: 'string', default: '8' } },
});
const latencyMs = Number(values.latency);
const realmCount = Number(values.realms);

const REALM_PATH = /^\/(?:sandbox-)?quickbooks\/v3\/company\/(\d+)\/([^?]*)/;

const emulator = await createEmulator({
  companies: benchCompanies(realmCount),
  latencyMs,
  withHistory: false,
});

const stats = new Map<string, RealmStats>();
const calls = new Map<string, AnsweredCall[]>();
const started = new WeakMap<FastifyRequest, { at: bigint; arrivedAt: number; realmId: string; batch: boolean; ops: number }>();

/** Epoch milliseconds with the fraction: the bench's clocks and this process's read the same system clock. */
function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

function realmStats(realmId: string): RealmStats {
  let s = stats.get(realmId);
  if (!s) {
    s = { requests: 0, batchRequests: 0, batchOps: 0, singleRequests: 0, throttled: 0, batchMsTotal: 0, singleMsTotal: 0 };
    stats.set(realmId, s);
  }
  return s;
}

emulator.app.addHook('preHandler', async (request) => {
  const match = REALM_PATH.exec(request.url);
  if (!match) return;
  const realmId = match[1] as string;
  const resource = (match[2] ?? '').split('/')[0]?.toLowerCase() ?? '';
  const batch = request.method === 'POST' && resource === 'batch';
  const items = batch ? (request.body as { BatchItemRequest?: unknown[] } | undefined)?.BatchItemRequest : undefined;
  started.set(request, { at: process.hrtime.bigint(), arrivedAt: epochMs(), realmId, batch, ops: Array.isArray(items) ? items.length : 1 });
  return Promise.resolve();
});

emulator.app.addHook('onResponse', async (request, reply) => {
  const call = started.get(request);
  if (!call) return;
  const s = realmStats(call.realmId);
  if (reply.statusCode === 429) {
    s.throttled += 1;
    return;
  }
  if (reply.statusCode === 401 || reply.statusCode === 403) return;
  const ms = Number(process.hrtime.bigint() - call.at) / 1e6;
  s.requests += 1;
  const answered = calls.get(call.realmId) ?? [];
  answered.push({ arrivedAt: call.arrivedAt, answeredAt: epochMs(), batch: call.batch });
  calls.set(call.realmId, answered);
  if (call.batch) {
    s.batchRequests += 1;
    s.batchOps += call.ops;
    s.batchMsTotal += ms;
  } else {
    s.singleRequests += 1;
    s.singleMsTotal += ms;
  }
  return Promise.resolve();
});

emulator.app.get('/_bench/stats', () =>
  Promise.resolve({
    realms: Object.fromEntries(stats),
    counters: emulator.control.api.counters(),
  }),
);

emulator.app.get<{ Params: { realmId: string }; Querystring: { since?: string } }>('/_bench/calls/:realmId', (request) => {
  const since = Number(request.query.since ?? 0);
  return Promise.resolve((calls.get(request.params.realmId) ?? []).filter((call) => call.arrivedAt >= since));
});

const address = await emulator.app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ baseUrl: address, realms: benchCompanies(realmCount).map((c) => c.realmId) })}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.app.close().then(() => process.exit(0));
  });
}
