import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';

import { ControllableClock } from '../../../src/emulator/clock.js';
import type { AccessTokenVerifier } from '../../../src/emulator/contract.js';
import { createAccountingApi, registerControlRoutes, type AccountingApi, type AccountingApiOptions } from '../../../src/emulator/api/index.js';
import { EmulatorStore } from '../../../src/emulator/state/index.js';

export const US = '4620816365290212468';
export const US_HISTORY = '4620816365290212450';
export const CA = '4620816365290212476';
export const PROD = '9130357921644326';

/** Accepts "Bearer test-token:<realmId>" for that realm only; "Bearer expired" is an expired token. */
export const testVerifier: AccessTokenVerifier = {
  verify(header, realmId) {
    if (!header) return { ok: false, reason: 'missing' };
    const token = header.replace(/^Bearer /, '');
    if (token === 'expired') return { ok: false, reason: 'expired' };
    const match = /^test-token:(\d+)$/.exec(token);
    if (!match) return { ok: false, reason: 'invalid' };
    return match[1] === realmId ? { ok: true, clientId: 'test-client' } : { ok: false, reason: 'wrong_realm' };
  },
};

export interface Harness {
  app: FastifyInstance;
  api: AccountingApi;
  clock: ControllableClock;
  store: EmulatorStore;
  call(method: 'GET' | 'POST', realmId: string, path: string, body?: unknown, env?: 'sandbox' | 'production'): Promise<LightMyRequestResponse>;
}

export function envOf(realmId: string): 'sandbox' | 'production' {
  return realmId === PROD ? 'production' : 'sandbox';
}

export function prefix(env: 'sandbox' | 'production'): string {
  return env === 'sandbox' ? '/sandbox-quickbooks/v3/company' : '/quickbooks/v3/company';
}

export async function startHarness(options: AccountingApiOptions = { limits: { enabled: false } }, withHistory = false): Promise<Harness> {
  const clock = new ControllableClock();
  const store = EmulatorStore.inMemory({ clock, withHistory });
  const api = createAccountingApi({ clock, verifier: testVerifier, store, options });
  const app = Fastify();
  await api.register(app);
  await app.register((scope) => registerControlRoutes(scope, api.control), { prefix: '/_emulator/accounting' });
  await app.ready();
  const call: Harness['call'] = (method, realmId, path, body, env) => {
    const contentType = typeof body === 'string' ? 'application/text' : 'application/json';
    return app.inject({
      method,
      url: `${prefix(env ?? envOf(realmId))}/${realmId}/${path}`,
      headers: { authorization: `Bearer test-token:${realmId}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  };
  return { app, api, clock, store, call };
}
