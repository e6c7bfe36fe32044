import { randomBytes } from 'node:crypto';
import { parseConfig } from '../../src/config.js';
import type { QboConnectionService } from '../../src/qbo/connection/connection-service.js';
import { createQboConnectionService } from '../../src/qbo/connection/setup.js';
import type { BenchDatabase } from './database.js';
import type { BenchEmulator } from './emulator-process.js';

/** One key for the run: every product process must decrypt the tokens the bench's connect stored. */
export function newSecretKey(): string {
  return randomBytes(32).toString('hex');
}

/** The environment a product process (serve, worker) gets: the bench's database, emulator and key. */
export function productEnv(db: BenchDatabase, emulator: BenchEmulator, secretKey: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...db.env,
    WORKROOM_SECRET_KEY: secretKey,
    QBO_EMULATOR_URL: emulator.baseUrl,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** The bench's own connection service, configured exactly as a product process with `env` would be. */
export function connectionServiceFor(db: BenchDatabase, env: Record<string, string>): Promise<QboConnectionService> {
  return createQboConnectionService({ config: parseConfig(env), db: db.db, dialect: db.dialect });
}
