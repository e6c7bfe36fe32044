import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { registerControlRoutes, type ApiControl } from './api/index.js';
import type { ControllableClock } from './clock.js';
import type { CompanyDirectory } from './contract.js';
import type { GrantSummary, OAuthTokenService } from './oauth/index.js';

export const CONTROL_PREFIX = '/_emulator';

/** In-process handle on both halves' levers (the /_emulator routes expose the same over HTTP). */
export interface EmulatorControl {
  /** The Accounting API's own levers: latency, faults, limits, counters, inspection. */
  api: ApiControl;
  grants(): GrantSummary[];
  revokeRefreshToken(refreshToken: string): boolean;
  revokeRealm(realmId: string): number;
  /** Accounting data back to the seed, faults/counters/latency cleared, clock back to real time; tokens too on request. */
  reset(options?: { includeOAuth?: boolean }): void;
}

export function createEmulatorControl(api: ApiControl, tokens: OAuthTokenService, clock: ControllableClock): EmulatorControl {
  return {
    api,
    grants: () => tokens.listGrants(),
    revokeRefreshToken: (refreshToken) => tokens.revokeRefreshToken(refreshToken),
    revokeRealm: (realmId) => tokens.revokeRealm(realmId),
    reset: (options = {}) => {
      api.reset();
      clock.reset();
      if (options.includeOAuth === true) tokens.reset();
    },
  };
}

export interface ControlRoutesOptions {
  clock: ControllableClock;
  directory: CompanyDirectory;
  control: EmulatorControl;
}

const realmId = z.string().regex(/^\d{1,19}$/);
const AdvanceSchema = z
  .object({ seconds: z.number().nonnegative().optional(), ms: z.number().nonnegative().optional() })
  .strict()
  .refine((body) => body.seconds !== undefined || body.ms !== undefined, { message: 'give seconds or ms' });
const RevokeSchema = z.union([
  z.object({ refreshToken: z.string().min(1) }).strict(),
  z.object({ realmId }).strict(),
]);
const ResetSchema = z.object({ includeOAuth: z.boolean().optional() }).strict();

function invalidBody(reply: FastifyReply, error: z.ZodError): FastifyReply {
  return reply.code(400).send({
    error: { code: 'invalid_body', errors: error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code, message: issue.message })) },
  });
}

/**
 * Test and demo levers under /_emulator, which Intuit does not have: the clock, OAuth revocation and a
 * whole-emulator reset here; the Accounting API's own levers (latency, faults, limits, counters, inspection)
 * under /_emulator/accounting.
 */
export const controlRoutes: FastifyPluginAsync<ControlRoutesOptions> = async (app, options) => {
  const { clock, directory, control } = options;
  const now = (): { now: string } => ({ now: new Date(clock.now()).toISOString() });

  app.get('/companies', (_request, reply) => reply.send({ companies: directory.listCompanies() }));

  app.get('/clock', (_request, reply) => reply.send(now()));

  app.post('/clock/advance', async (request, reply) => {
    const parsed = AdvanceSchema.safeParse(request.body ?? {});
    if (!parsed.success) return invalidBody(reply, parsed.error);
    clock.advance((parsed.data.seconds ?? 0) * 1000 + (parsed.data.ms ?? 0));
    return now();
  });

  app.post('/clock/reset', (_request, reply) => {
    clock.reset();
    return reply.send(now());
  });

  app.get('/oauth/grants', (_request, reply) => reply.send({ grants: control.grants() }));

  app.post('/oauth/revoke', async (request, reply) => {
    const parsed = RevokeSchema.safeParse(request.body ?? {});
    if (!parsed.success) return invalidBody(reply, parsed.error);
    const revoked =
      'refreshToken' in parsed.data
        ? Number(control.revokeRefreshToken(parsed.data.refreshToken))
        : control.revokeRealm(parsed.data.realmId);
    return { revoked };
  });

  app.post('/reset', async (request, reply) => {
    const parsed = ResetSchema.safeParse(request.body ?? {});
    if (!parsed.success) return invalidBody(reply, parsed.error);
    control.reset(parsed.data);
    return { reset: true, includeOAuth: parsed.data.includeOAuth === true };
  });

  await app.register((scope) => registerControlRoutes(scope, control.api), { prefix: '/accounting' });
};
