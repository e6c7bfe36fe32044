import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ENTITY_NAMES } from '../state/index.js';
import type { ApiControl } from './control.js';

/**
 * JSON routes over ApiControl, for tests in other processes, the demo and benchmarks. Mount them with a
 * prefix, e.g. `app.register((s) => registerControlRoutes(s, control), { prefix: '/_emulator/accounting' })`.
 * No authentication: the emulator is a local test double.
 */
const FaultSchema = z
  .object({
    realmId: z.string().regex(/^\d{10,19}$/),
    mode: z.enum(['http500', 'http503', 'http429', 'timeout', 'commit_then_500', 'commit_then_drop']),
    count: z.number().int().positive().optional(),
    hangMs: z.number().int().nonnegative().optional(),
  })
  .strict();

const LatencySchema = z.object({ ms: z.number().int().nonnegative(), realmId: z.string().optional() }).strict();

const LimitsSchema = z
  .object({
    enabled: z.boolean(),
    perMinute: z.number().int().positive(),
    concurrent: z.number().int().positive(),
    batchPerMinute: z.number().int().positive(),
    batchMaxItems: z.number().int().positive(),
  })
  .partial()
  .strict();

const SettingsSchema = z.object({ duplicateDocNumberCheck: z.boolean() }).partial().strict();

const EntityParams = z.object({ realmId: z.string(), entity: z.enum(ENTITY_NAMES) }).strict();

export function registerControlRoutes(scope: FastifyInstance, control: ApiControl): Promise<void> {
  scope.setErrorHandler(async (error, _request, reply) => {
    const status = error instanceof z.ZodError ? 400 : ((error as { statusCode?: number }).statusCode ?? 500);
    const message = error instanceof Error ? error.message : String(error);
    await reply.code(status).send({ error: { code: status === 400 ? 'invalid_body' : 'internal', message } });
  });
  scope.get('/counters', (request) => {
    const { realmId } = z.object({ realmId: z.string().optional() }).parse(request.query);
    return control.counters(realmId);
  });
  scope.post('/reset', () => {
    control.reset();
    return { ok: true };
  });
  scope.post('/latency', (request) => {
    const { ms, realmId } = LatencySchema.parse(request.body);
    control.setLatency(ms, realmId);
    return { ok: true };
  });
  scope.post('/faults', (request) => {
    const { realmId, ...plan } = FaultSchema.parse(request.body);
    control.injectFault(realmId, plan);
    return { ok: true };
  });
  scope.delete('/faults', (request) => {
    const { realmId } = z.object({ realmId: z.string().optional() }).parse(request.query);
    control.clearFaults(realmId);
    return { ok: true };
  });
  scope.get('/limits', () => control.limits());
  scope.post('/limits', (request) => control.setLimits(LimitsSchema.parse(request.body)));
  scope.post('/realms/:realmId/settings', (request) => {
    const { realmId } = z.object({ realmId: z.string() }).parse(request.params);
    return control.setCompanySettings(realmId, SettingsSchema.parse(request.body));
  });
  scope.get('/realms/:realmId/:entity', (request) => {
    const { realmId, entity } = EntityParams.parse(request.params);
    return control.listEntities(realmId, entity);
  });
  return Promise.resolve();
}
