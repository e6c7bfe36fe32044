/**
 * Accounting API v3 half of the local QuickBooks Online emulator.
 *
 *   const store = EmulatorStore.inMemory({ clock })            // or: await EmulatorStore.open({ clock, filePath })
 *   const api = createAccountingApi({ clock, verifier, store, options: { latencyMs: 0, limits: { enabled: true } } })
 *   await api.register(app)                                     // mounts both environments on one Fastify app
 *   app.register((s) => registerControlRoutes(s, api.control), { prefix: '/_emulator/accounting' })
 *   api.directory                                               // CompanyDirectory for the OAuth company chooser
 *
 * URL layout (node-quickbooks derives production by stripping "sandbox-" from the sandbox base URL):
 *   production  /quickbooks/v3/company/:realmId/<entity>[/:id] | query | batch | reports/ProfitAndLoss
 *   sandbox     /sandbox-quickbooks/v3/company/:realmId/…
 * A realm answers only under its own environment's prefix; under the other it answers 403 like Intuit does for a
 * realm the app cannot access. Every call checks `Authorization: Bearer …` through deps.verifier.
 * Behaviour reproduced and known differences from real QBO: docs/emulator-api.md.
 */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { AccessTokenVerifier, CompanyDirectory, CompanyFile } from '../contract.js';
import type { EmulatorStore } from '../state/index.js';
import { ControlState, type ApiControl } from './control.js';
import { registerAccountingRoutes } from './http.js';
import { RealmLimiter, type LimitOptions } from './limits.js';

export interface AccountingApiOptions {
  /** Delay added to every call, in ms (default 0). */
  latencyMs?: number;
  /** Throttle settings; defaults are Intuit's (500/min, 10 in flight, 40 batches/min, 30 items per batch). */
  limits?: Partial<LimitOptions>;
}

export interface AccountingApiDeps {
  clock: Clock;
  verifier: AccessTokenVerifier;
  store: EmulatorStore;
  options?: AccountingApiOptions;
}

export interface AccountingApi {
  /** Registers the API routes in an encapsulated child context of `app`. */
  register(app: FastifyInstance): Promise<void>;
  directory: CompanyDirectory;
  control: ApiControl;
}

export function createAccountingApi(deps: AccountingApiDeps): AccountingApi {
  const { clock, verifier, store } = deps;
  // The limiter reads the limits live, so control.setLimits takes effect on the next call.
  const limiter: RealmLimiter = new RealmLimiter(clock, () => control.limits());
  const control = new ControlState(store, limiter, {
    latencyMs: deps.options?.latencyMs ?? 0,
    limits: deps.options?.limits ?? {},
  });
  const directory: CompanyDirectory = {
    listCompanies: (): CompanyFile[] => store.realms().map((r) => ({ ...r.company })),
    getCompany: (realmId: string): CompanyFile | undefined => {
      const realm = store.realm(realmId);
      return realm ? { ...realm.company } : undefined;
    },
  };
  return {
    directory,
    control,
    async register(app: FastifyInstance): Promise<void> {
      await app.register((scope) => {
        registerAccountingRoutes(scope, { clock, verifier, store, control, limiter });
        return Promise.resolve();
      });
    },
  };
}

export { registerControlRoutes } from './control-routes.js';
export type { ApiControl, FaultPlan, InjectedFaultMode, RealmCounters } from './control.js';
export type { LimitOptions } from './limits.js';
export { DEFAULT_LIMITS } from './limits.js';
export { parseQuery, type ParsedQuery } from './query-parser.js';
