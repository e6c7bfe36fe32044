import Fastify, { type FastifyInstance } from 'fastify';
import { createAccountingApi, type LimitOptions } from './api/index.js';
import { ControllableClock } from './clock.js';
import type { CompanyDirectory, CompanyFile, QboEnvironment } from './contract.js';
import { CONTROL_PREFIX, controlRoutes, createEmulatorControl, type EmulatorControl } from './control.js';
import {
  DebouncedSaver,
  DEFAULT_OAUTH_CLIENT,
  IdTokenSigner,
  OAUTH_PATHS,
  OAuthClientRegistry,
  oauthRoutes,
  OAuthTokenService,
  PendingAuthorizations,
  readOAuthState,
  writeOAuthState,
  type OAuthClientRegistration,
  type TokenPolicy,
} from './oauth/index.js';
import { EmulatorStore } from './state/index.js';

export interface EmulatorOptions {
  /** Shared by both halves; tests advance it to expire codes and tokens. */
  clock?: ControllableClock;
  /** Delay before every Accounting API answer (0 in tests; a few hundred ms for the demo and benchmarks). */
  latencyMs?: number;
  limits?: Partial<LimitOptions>;
  /** JSON file for the company data; OAuth grants go next to it as `<name>.oauth.json`. In memory when absent. */
  persistFile?: string;
  /** Company files to seed instead of the built-in sandbox and production companies. */
  companies?: readonly CompanyFile[];
  /** Seed demo history (invoices, expenses) into the demo companies; default true. */
  withHistory?: boolean;
  /** Registered apps; default one app with EMULATOR_CLIENT_ID / EMULATOR_CLIENT_SECRET. */
  clients?: readonly OAuthClientRegistration[];
  tokenPolicy?: Partial<TokenPolicy>;
  logger?: boolean;
}

/** Where a client library should point instead of Intuit's hosts. */
export interface EmulatorUrls {
  baseUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  userInfoUrl: string;
  jwksUrl: string;
  discoveryUrl(environment: QboEnvironment): string;
  /** Replaces https://quickbooks.api.intuit.com or https://sandbox-quickbooks.api.intuit.com. */
  apiBaseUrl(environment: QboEnvironment): string;
  controlUrl: string;
}

export interface Emulator {
  app: FastifyInstance;
  clock: ControllableClock;
  /** The OAuth token lifecycle, also the AccessTokenVerifier the Accounting API uses. */
  tokens: OAuthTokenService;
  directory: CompanyDirectory;
  control: EmulatorControl;
  urlsFor(baseUrl: string): EmulatorUrls;
  /** Writes pending state to the persist file now. */
  flush(): Promise<void>;
}

export interface StartedEmulator extends Emulator {
  baseUrl: string;
  urls: EmulatorUrls;
  close(): Promise<void>;
}

export function emulatorUrls(baseUrl: string): EmulatorUrls {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    baseUrl: base,
    authorizeUrl: `${base}${OAUTH_PATHS.authorize}`,
    tokenUrl: `${base}${OAUTH_PATHS.token}`,
    revokeUrl: `${base}${OAUTH_PATHS.revoke}`,
    userInfoUrl: `${base}${OAUTH_PATHS.userInfo}`,
    jwksUrl: `${base}${OAUTH_PATHS.jwks}`,
    discoveryUrl: (environment) =>
      `${base}${environment === 'sandbox' ? OAUTH_PATHS.discoverySandbox : OAUTH_PATHS.discoveryProduction}`,
    apiBaseUrl: (environment) => `${base}/${environment === 'sandbox' ? 'sandbox-quickbooks' : 'quickbooks'}`,
    controlUrl: `${base}${CONTROL_PREFIX}`,
  };
}

function oauthStateFile(persistFile: string): string {
  return persistFile.endsWith('.json') ? `${persistFile.slice(0, -'.json'.length)}.oauth.json` : `${persistFile}.oauth.json`;
}

/** Both halves on one Fastify app, not listening (use `app.inject`, or `startEmulator`). */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const clock = options.clock ?? new ControllableClock();
  const storeOptions = {
    clock,
    ...(options.companies ? { companies: options.companies } : {}),
    withHistory: options.withHistory ?? true,
  };
  const store = options.persistFile
    ? await EmulatorStore.open({ ...storeOptions, filePath: options.persistFile })
    : EmulatorStore.inMemory(storeOptions);

  const oauthFile = options.persistFile ? oauthStateFile(options.persistFile) : undefined;
  let saver: DebouncedSaver | undefined;
  const tokens = new OAuthTokenService(clock, {
    ...(options.tokenPolicy ? { policy: options.tokenPolicy } : {}),
    onChange: () => saver?.markChanged(),
  });
  if (oauthFile) {
    const saved = await readOAuthState(oauthFile);
    if (saved) tokens.restore(saved);
    saver = new DebouncedSaver(() => writeOAuthState(oauthFile, tokens.snapshot()));
  }

  const api = createAccountingApi({
    clock,
    verifier: tokens,
    store,
    options: { latencyMs: options.latencyMs ?? 0, ...(options.limits ? { limits: options.limits } : {}) },
  });
  const control = createEmulatorControl(api.control, tokens, clock);

  const app = Fastify({ logger: options.logger ?? false });
  await app.register(oauthRoutes, {
    clock,
    clients: new OAuthClientRegistry(options.clients ?? [DEFAULT_OAUTH_CLIENT]),
    tokens,
    directory: api.directory,
    signer: new IdTokenSigner(),
    pending: new PendingAuthorizations(clock),
  });
  await api.register(app);
  await app.register(controlRoutes, { prefix: CONTROL_PREFIX, clock, directory: api.directory, control });

  return {
    app,
    clock,
    tokens,
    directory: api.directory,
    control,
    urlsFor: emulatorUrls,
    flush: async () => {
      await Promise.all([store.flush(), saver?.flush()]);
    },
  };
}

/** Listens on host:port (port 0 picks a free one) and returns the URLs to give client libraries. */
export async function startEmulator(
  options: EmulatorOptions & { port?: number; host?: string } = {},
): Promise<StartedEmulator> {
  const { port = 4010, host = '127.0.0.1', ...rest } = options;
  const emulator = await createEmulator(rest);
  const address = await emulator.app.listen({ port, host });
  const urls = emulator.urlsFor(address);
  return {
    ...emulator,
    baseUrl: urls.baseUrl,
    urls,
    close: async () => {
      await emulator.app.close();
      await emulator.flush();
    },
  };
}
