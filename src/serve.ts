import { join } from 'node:path';
import { buildProduct } from './app.js';
import type { AppConfig } from './config.js';
import { migrateToLatest, openDatabase } from './db/index.js';
import { seedDemo } from './demo/seed.js';
import { startEmulator } from './emulator/index.js';
import { ensureUiBuilt } from './ui-build.js';

/** `workroom-qbo serve`: database, demo data, UI bundle, the in-process emulator and the HTTP server. */
export async function startServer(config: AppConfig): Promise<void> {
  const log = (msg: string): void => console.log(`[workroom] ${msg}`);
  const handle = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  await migrateToLatest(handle.db);
  log(`database: ${handle.dialect === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : config.sqlitePath}`);

  const demo = config.demoData ? await seedDemo(handle.db) : { logins: [] };
  const staticRoot = await ensureUiBuilt(log);

  // The emulator stands in for Intuit unless real credentials or an external emulator are configured.
  const emulator =
    config.intuit || config.emulator.externalUrl
      ? undefined
      : await startEmulator({
          port: config.emulator.port,
          host: '127.0.0.1',
          latencyMs: config.emulator.latencyMs,
          persistFile: join(config.dataDir, 'emulator.json'),
        });
  if (emulator) log(`QuickBooks Online emulator: ${emulator.baseUrl}`);

  const { app, worker } = await buildProduct({ db: handle.db, dialect: handle.dialect, config, staticRoot });
  // One push worker runs in this process; `workroom-qbo worker` adds more (PostgreSQL shares the queue among them).
  worker.start();
  await app.listen({ port: config.port, host: config.host });
  log(`open ${config.publicUrl}`);
  for (const login of demo.logins) log(`demo login (${login.org}): ${login.email} / ${login.password}`);

  const shutdown = async (): Promise<void> => {
    await worker.stop();
    await app.close();
    await emulator?.close();
    await handle.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void shutdown().then(() => process.exit(0)));
  }
}
