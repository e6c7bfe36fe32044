import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from './config.js';
import { migrateToLatest, openDatabase } from './db/index.js';
import { seedDemo } from './demo/seed.js';
import { startEmulator } from './emulator/index.js';
import { startServer } from './serve.js';

const USAGE = `usage: workroom-qbo <command> [options]

commands:
  serve                 run the product (web UI + API; the built-in QBO emulator unless Intuit credentials are set)
  migrate               apply database migrations and exit
  demo                  seed the demo studios into an empty database and print their logins
  emulator [--port N]   run the local QuickBooks Online emulator on its own (default port 4010)

configuration comes from environment variables: see README.md`;

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
      return;
    }
    default:
      console.error(USAGE);
      process.exitCode = command ? 2 : 0;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exitCode = 1;
});
