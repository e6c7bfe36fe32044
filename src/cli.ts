import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from './config.js';
import { migrateToLatest, openDatabase } from './db/index.js';
import { seedDemo } from './demo/seed.js';
import { startEmulator } from './emulator/index.js';
import { rotateSecretKey } from './qbo/connection/key-rotation.js';
import { PRODUCT_WORKER_CONCURRENCY, startStandaloneWorker } from './qbo/sync/run-worker.js';
import { startServer } from './serve.js';

const USAGE = `usage: workroom-qbo <command> [options]

commands:
  serve                 run the product (web UI + API; the built-in QBO emulator unless Intuit credentials are set)
  migrate               apply database migrations and exit
  demo                  seed the demo studios into an empty database and print their logins
  emulator [--port N]   run the local QuickBooks Online emulator on its own (default port 4010)
  worker [--concurrency N]
                        push queued documents to QuickBooks without serving the UI; run several against one
                        PostgreSQL database to share the queue (QBO's per-company limits hold across all of them)
  rotate-key            re-encrypt stored QuickBooks tokens under a new key (stop servers first; docs/operations.md)

configuration comes from environment variables: see README.md`;

const WORKER_USAGE = `usage: workroom-qbo worker [--concurrency N]

Pushes queued documents to QuickBooks without serving the UI, until SIGTERM or SIGINT (it then finishes the
pushes in hand). \`npm start\` already runs one worker; add more against the same PostgreSQL database
(DATABASE_URL) to share the queue. Together they keep each QuickBooks company within its limits.

options:
  --concurrency N   pushes this process works on at once (default ${PRODUCT_WORKER_CONCURRENCY}: QBO's 10 in flight)
  -h, --help        show this help

environment: the same as serve. DATABASE_URL (or DATA_DIR for the SQLite file), and the key that opens stored
QuickBooks tokens (WORKROOM_SECRET_KEY, or DATA_DIR/secret.key) must match the server's.`;

/** Options of \`worker\`; undefined after printing the usage (asked for, or a bad option). */
function workerOptions(args: string[]): { concurrency: number } | undefined {
  let values: { concurrency: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { concurrency: { type: 'string', default: String(PRODUCT_WORKER_CONCURRENCY) }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${WORKER_USAGE}`);
    process.exitCode = 2;
    return undefined;
  }
  if (values.help === true) {
    console.log(WORKER_USAGE);
    return undefined;
  }
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError(['--concurrency must be a positive whole number']);
  return { concurrency };
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await startServer(parseConfig());
      return;
    case 'migrate': {
      const config = parseConfig();
      const handle = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
      const result = await migrateToLatest(handle.db);
      console.log(`migrations applied: ${result.results?.length ?? 0} (${handle.dialect})`);
      await handle.close();
      return;
    }
    case 'demo': {
      const config = parseConfig();
      const handle = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
      await migrateToLatest(handle.db);
      const { logins } = await seedDemo(handle.db);
      for (const login of logins) console.log(`${login.org}: ${login.email} / ${login.password}`);
      await handle.close();
      return;
    }
    case 'emulator': {
      const { values } = parseArgs({ args: rest, options: { port: { type: 'string', default: '4010' }, host: { type: 'string', default: '127.0.0.1' } } });
      const config = parseConfig();
      const emulator = await startEmulator({
        port: Number(values.port),
        host: values.host,
        latencyMs: config.emulator.latencyMs,
        persistFile: `${config.dataDir}/emulator.json`,
      });
      console.log(`QuickBooks Online emulator listening on ${emulator.baseUrl}`);
      // close() writes the state saved since the last flush; exiting without it would lose the newest records.
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => void emulator.close().then(() => process.exit(0)));
      }
      return;
    }
    case 'rotate-key': {
      const config = parseConfig();
      const handle = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
      try {
        await migrateToLatest(handle.db);
        const rotated = await rotateSecretKey({ db: handle.db, dialect: handle.dialect, dataDir: config.dataDir, env: process.env });
        if (!rotated.ok) {
          console.error(
            `no key opens the tokens of connection(s) ${rotated.error.connectionIds.join(', ')}; nothing was changed. ` +
              'Add the old key to WORKROOM_SECRET_KEY_PREVIOUS, or reconnect those organisations after rotating.',
          );
          process.exitCode = 1;
          return;
        }
        const { mode, keyId, connections, reencrypted, resumed } = rotated.value;
        const where = mode === 'file' ? `new key in ${config.dataDir}/secret.key` : 'key from WORKROOM_SECRET_KEY';
        console.log(`${resumed ? 'finished an interrupted rotation; ' : ''}${where} (id ${keyId}); re-encrypted ${reencrypted} of ${connections} connection(s)`);
        if (mode === 'env') console.log('the old key is no longer needed: remove WORKROOM_SECRET_KEY_PREVIOUS and restart');
      } finally {
        await handle.close();
      }
      return;
    }
    case 'worker': {
      const options = workerOptions(rest);
      if (options === undefined) return;
      const running = await startStandaloneWorker(parseConfig(), options);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => void running.stop().then(() => process.exit(0)));
      }
      return;
    }
    default:
      console.error(USAGE);
      process.exitCode = command ? 2 : 0;
  }
}

/** Node says which port is taken; the user also needs to hear which setting moves it. */
function portInUse(err: unknown): string | undefined {
  const failure = err as NodeJS.ErrnoException & { port?: number; address?: string };
  if (!(err instanceof Error) || failure.code !== 'EADDRINUSE') return undefined;
  return (
    `port ${String(failure.port)} on ${failure.address ?? 'this machine'} is already in use (another Workroom, or another program). ` +
    'Stop it, or choose a free port: PORT for the web server, EMULATOR_PORT for the built-in QuickBooks emulator, --port for `workroom-qbo emulator`.'
  );
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : (portInUse(err) ?? err));
  process.exitCode = 1;
});
