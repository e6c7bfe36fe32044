import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildProduct, type Product } from '../../../src/app.js';
import { parseConfig, type AppConfig } from '../../../src/config.js';
import { seedDemo } from '../../../src/demo/seed.js';
import { startEmulator, type EmulatorOptions, type StartedEmulator } from '../../../src/emulator/index.js';
import type { QboConnectionService } from '../../../src/qbo/connection/connection-service.js';
import { createQboConnectionService } from '../../../src/qbo/connection/setup.js';
import { buildApp } from '../../../src/server/index.js';
import { qboConnectionRoutes } from '../../../src/server/routes/qbo/index.js';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/databases.js';
import { buildUiBundle, type UiBundle } from './ui-bundle.js';

const HOST = '127.0.0.1';

/** Everything one browser test file runs against; close() stops it all and removes the temp folders. */
export interface Stack {
  readonly database: TestDatabase;
  readonly ui: UiBundle;
  readonly browser: TestBrowser;
  /** http://127.0.0.1:<port>, also the app's PUBLIC_URL. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

export interface QboStack extends Stack {
  readonly emulator: StartedEmulator;
}

export interface ProductStack extends QboStack {
  readonly product: Product;
}

export interface StackOptions {
  /** Names the temp DATA_DIR, e.g. 'workroom-e2e-push-'. */
  readonly dataDirPrefix: string;
  /** Fills the database before the app is built; the demo data when absent. */
  readonly seed?: (db: TestDatabase['db']) => Promise<unknown>;
}

/** How the QBO emulator runs; it always listens on a free port of 127.0.0.1. */
export type EmulatorSettings = Omit<EmulatorOptions, 'port' | 'host'>;

export interface QboStackOptions extends StackOptions {
  readonly emulator: EmulatorSettings;
}

export interface QboAppOptions extends QboStackOptions {
  /** Routes to register after the connection routes, which every QuickBooks page needs. */
  readonly moreRoutes?: (app: FastifyInstance, deps: { db: TestDatabase['db']; connections: QboConnectionService }) => Promise<void>;
}

export interface ProductStackOptions extends QboStackOptions {
  /** Polls the push worker in this process, as `npm start` does (src/serve.ts). */
  readonly runWorker?: boolean;
}

/** The core app alone (no QuickBooks), serving the built UI on the demo data. */
export async function startApp(options: StackOptions): Promise<Stack> {
  const { stack } = await startStack(options, undefined, async ({ database, config, staticRoot }) => {
    const app = await buildApp({ db: database.db, dialect: database.dialect, config, logger: false, staticRoot });
    return { app, stop: () => app.close() };
  });
  return stack;
}

/** The core app with the QuickBooks connection routes (and any a test adds), talking to the emulator. */
export async function startQboApp(options: QboAppOptions): Promise<QboStack> {
  const { stack } = await startStack(options, options.emulator, async ({ database, config, staticRoot }) => {
    const connections = await createQboConnectionService({ config, db: database.db, dialect: database.dialect });
    const app = await buildApp({
      db: database.db,
      dialect: database.dialect,
      config,
      logger: false,
      staticRoot,
      extend: async (instance, deps) => {
        await instance.register(qboConnectionRoutes, { service: connections, db: deps.db });
        await options.moreRoutes?.(instance, { db: deps.db, connections });
      },
    });
    return { app, stop: () => app.close() };
  });
  return { ...stack, emulator: emulatorOf(stack) };
}

/** The whole product as `npm start` assembles it (src/app.ts), talking to the emulator. */
export async function startProduct(options: ProductStackOptions): Promise<ProductStack> {
  const { stack, served } = await startStack(options, options.emulator, async ({ database, config, staticRoot }) => {
    const product = await buildProduct({ db: database.db, dialect: database.dialect, config, staticRoot, logger: false });
    if (options.runWorker) product.worker.start();
    return {
      app: product.app,
      product,
      stop: async () => {
        await product.worker.stop();
        await product.app.close();
      },
    };
  });
  return { ...stack, emulator: emulatorOf(stack), product: served.product };
}

interface Served {
  readonly app: FastifyInstance;
  stop(): Promise<void>;
}

interface ServeInput {
  readonly database: TestDatabase;
  readonly config: AppConfig;
  readonly staticRoot: string;
}

type Closer = () => unknown;

async function startStack<S extends Served>(
  options: StackOptions,
  emulatorSettings: EmulatorSettings | undefined,
  serve: (input: ServeInput) => Promise<S>,
): Promise<{ stack: Stack & { emulator: StartedEmulator | undefined }; served: S }> {
  const dataDir = mkdtempSync(join(tmpdir(), options.dataDirPrefix));
  // Run in this order: the browser first, then the app, the things it uses, and the data folder last.
  const closers: Closer[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  const close = async (): Promise<void> => {
    for (const closer of closers.splice(0)) await closer();
  };
  try {
    const [database, ui, browser, emulator] = await Promise.all([
      createTestDatabase('sqlite'),
      buildUiBundle(),
      launchBrowser(),
      emulatorSettings ? startEmulator({ port: 0, host: HOST, ...emulatorSettings }) : undefined,
    ]);
    closers.unshift(() => browser.close(), () => emulator?.close(), () => database.close(), () => ui.remove());
    await (options.seed ?? seedDemo)(database.db);
    // The OAuth redirect URI names the app's port, so it is chosen before the app is built.
    const port = await freePort();
    const baseUrl = `http://${HOST}:${port}`;
    const config = parseConfig({
      PORT: String(port),
      HOST,
      PUBLIC_URL: baseUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'false',
      ...(emulator ? { QBO_EMULATOR_URL: emulator.baseUrl } : {}),
    });
    const served = await serve({ database, config, staticRoot: ui.dir });
    closers.splice(1, 0, () => served.stop());
    await served.app.listen({ port, host: HOST });
    return { stack: { database, ui, browser, emulator, baseUrl, close }, served };
  } catch (err) {
    await close();
    throw err;
  }
}

function emulatorOf(stack: { emulator: StartedEmulator | undefined }): StartedEmulator {
  if (!stack.emulator) throw new Error('the emulator was not started');
  return stack.emulator;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
