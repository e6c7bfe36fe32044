import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { AccessTokenVerifier, QboEnvironment } from '../contract.js';
import { qboResponseTime, type EmulatorStore } from '../state/index.js';
import type { ControlState } from './control.js';
import { dispatch, type ApiAnswer } from './dispatch.js';
import { faultBody, faults, gatewayFaultBody } from './faults.js';
import type { RealmLimiter } from './limits.js';

/**
 * HTTP edge of the Accounting API: environment prefix, Bearer check, throttles, injected faults, latency,
 * requestid replay, then dispatch. Every answer carries an intuit_tid header like Intuit's
 * ("1-6239ef57-12b393bc6e87cb646d9147e2", seen in intuit/QuickBooks-V3-Java-SDK#181).
 */
export interface HttpDeps {
  clock: Clock;
  verifier: AccessTokenVerifier;
  store: EmulatorStore;
  control: ControlState;
  limiter: RealmLimiter;
}

const PREFIXES: Record<QboEnvironment, string> = {
  production: '/quickbooks/v3/company/:realmId/*',
  sandbox: '/sandbox-quickbooks/v3/company/:realmId/*',
};

const SERVICE_UNAVAILABLE_HTML =
  '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body bgcolor="white">\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n';

function intuitTid(nowMs: number): string {
  return `1-${Math.floor(nowMs / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function endpointKey(method: string, path: string): string {
  const [head = '', second = ''] = path.split('/').filter((s) => s !== '');
  const resource = head.toLowerCase() === 'reports' ? `reports/${second}` : head.toLowerCase();
  return `${method} ${resource}`;
}

function dropConnection(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  request.raw.socket?.destroy();
  reply.raw.destroy();
}

function queryParams(request: FastifyRequest): Record<string, string | undefined> {
  const raw = (request.query ?? {}) as Record<string, unknown>;
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(raw)) {
    const v: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
    out[key.toLowerCase()] = typeof v === 'string' ? v : undefined;
  }
  return out;
}

async function handle(deps: HttpDeps, env: QboEnvironment, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { clock, verifier, store, control, limiter } = deps;
  const params = request.params as { realmId: string; '*': string };
  const realmId = params.realmId;
  const path = params['*'] ?? '';
  const method = request.method === 'POST' ? 'POST' : 'GET';
  reply.header('intuit_tid', intuitTid(clock.now()));

  const access = verifier.verify(request.headers.authorization, realmId);
  const realm = store.realm(realmId);
  if (!access.ok) {
    control.count(realmId).unauthorized += 1;
    if (access.reason === 'wrong_realm') {
      await reply.code(403).send(gatewayFaultBody(403, null, clock.now()));
    } else {
      const detail = access.reason === 'expired' ? 'Token expired' : access.reason === 'missing' ? null : 'Token invalid';
      await reply.code(401).send(gatewayFaultBody(401, detail, clock.now()));
    }
    return;
  }
  // A realm of the other environment answers exactly like a realm the app may not access (minimul/qbo_api#138).
  if (!realm || realm.company.environment !== env) {
    control.count(realmId).unauthorized += 1;
    await reply.code(403).send(gatewayFaultBody(403, null, clock.now()));
    return;
  }

  const counters = control.count(realmId);
  const key = endpointKey(method, path);
  counters.total += 1;
  counters.byEndpoint[key] = (counters.byEndpoint[key] ?? 0) + 1;
  const isBatch = key === 'POST batch';
  const isWrite = method === 'POST' && key !== 'POST query';

  const admission = limiter.admit(realmId, isBatch);
  if (!admission.ok) {
    counters.throttled += 1;
    reply.header('Retry-After', String(admission.retryAfterSeconds));
    await reply.code(429).send(faultBody(faults.throttled(), qboResponseTime(clock.now())));
    return;
  }
  try {
    await sleep(control.latencyFor(realmId));
    const injected = control.takeFault(realmId, isWrite);
    if (injected?.mode === 'http500') {
      await reply.code(500).send(faultBody(faults.systemFailure(), qboResponseTime(clock.now())));
      return;
    }
    if (injected?.mode === 'http503') {
      await reply.code(503).type('text/html').send(SERVICE_UNAVAILABLE_HTML);
      return;
    }
    if (injected?.mode === 'http429') {
      counters.throttled += 1;
      reply.header('Retry-After', '60');
      await reply.code(429).send(faultBody(faults.throttled(), qboResponseTime(clock.now())));
      return;
    }
    if (injected?.mode === 'timeout') {
      await sleep(injected.hangMs);
      dropConnection(request, reply);
      return;
    }

    const query = queryParams(request);
    const requestId = isWrite ? query['requestid'] : undefined;
    const remembered = control.idempotency.get(realmId) ?? new Map<string, { status: number; body: unknown }>();
    control.idempotency.set(realmId, remembered);
    const replay = requestId === undefined ? undefined : remembered.get(requestId);
    let answer: Pick<ApiAnswer, 'status' | 'body'>;
    if (replay && requestId !== undefined) {
      counters.replays += 1;
      counters.replaysByRequestId[requestId] = (counters.replaysByRequestId[requestId] ?? 0) + 1;
      answer = replay as ApiAnswer;
    } else {
      const result = dispatch({
        realm,
        method,
        path,
        query,
        body: request.body,
        nowMs: clock.now(),
        batchMaxItems: control.limits().batchMaxItems,
      });
      if (result.mutated) store.markChanged();
      if (requestId !== undefined) remembered.set(requestId, { status: result.status, body: result.body });
      answer = result;
    }

    if (injected?.mode === 'commit_then_500') {
      await reply.code(500).send(faultBody(faults.systemFailure(), qboResponseTime(clock.now())));
      return;
    }
    if (injected?.mode === 'commit_then_drop') {
      dropConnection(request, reply);
      return;
    }
    await reply.code(answer.status).send(answer.body);
  } finally {
    admission.release();
  }
}

export function registerAccountingRoutes(scope: FastifyInstance, deps: HttpDeps): void {
  // QBO's query endpoint takes the statement as a plain-text body.
  scope.addContentTypeParser('application/text', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  if (!scope.hasContentTypeParser('text/plain')) {
    scope.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  }
  scope.setErrorHandler(async (error, _request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const message = error instanceof Error ? error.message : String(error);
    const fault = status >= 400 && status < 500 ? faults.invalidProperty(message) : faults.systemFailure();
    await reply.code(fault.status).send(faultBody(fault, qboResponseTime(deps.clock.now())));
  });
  for (const env of ['production', 'sandbox'] as const) {
    scope.route({
      method: ['GET', 'POST'],
      url: PREFIXES[env],
      handler: (request, reply) => handle(deps, env, request, reply),
    });
  }
}
