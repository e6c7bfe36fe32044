import { resolve } from 'node:path';
import { z } from 'zod';

const boolFromEnv = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/** Every environment variable the product reads; README's configuration table mirrors this. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  WORKROOM_SECRET_KEY: z.string().min(1).optional(),
  WORKROOM_SECRET_KEY_PREVIOUS: z.string().min(1).optional(),
  DEMO_DATA: boolFromEnv.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  QBO_CLIENT_ID: z.string().min(1).optional(),
  QBO_CLIENT_SECRET: z.string().min(1).optional(),
  QBO_REDIRECT_URI: z.url().optional(),
  QBO_EMULATOR_URL: z.url().optional(),
  EMULATOR_PORT: z.coerce.number().int().min(1).max(65535).default(4010),
  EMULATOR_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
});

export type Env = z.infer<typeof EnvSchema>;

export interface AppConfig {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  sqlitePath: string;
  secretKey: string | undefined;
  secretKeyPrevious: string | undefined;
  demoData: boolean;
  logLevel: Env['LOG_LEVEL'];
  /** Real Intuit when all three credentials are set; otherwise the local emulator. */
  intuit: { clientId: string; clientSecret: string; redirectUri: string } | undefined;
  emulator: { externalUrl: string | undefined; port: number; latencyMs: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Lists every bad variable at once, so a misconfigured start fails with the whole picture. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const intuitVars = [e.QBO_CLIENT_ID, e.QBO_CLIENT_SECRET, e.QBO_REDIRECT_URI];
  const setCount = intuitVars.filter(Boolean).length;
  if (setCount !== 0 && setCount !== 3) {
    throw new ConfigError(['QBO_CLIENT_ID, QBO_CLIENT_SECRET and QBO_REDIRECT_URI must be set together']);
  }
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    sqlitePath: resolve(dataDir, 'workroom.sqlite'),
    secretKey: e.WORKROOM_SECRET_KEY,
    secretKeyPrevious: e.WORKROOM_SECRET_KEY_PREVIOUS,
    demoData: e.DEMO_DATA,
    logLevel: e.LOG_LEVEL,
    intuit:
      e.QBO_CLIENT_ID && e.QBO_CLIENT_SECRET && e.QBO_REDIRECT_URI
        ? { clientId: e.QBO_CLIENT_ID, clientSecret: e.QBO_CLIENT_SECRET, redirectUri: e.QBO_REDIRECT_URI }
        : undefined,
    emulator: { externalUrl: e.QBO_EMULATOR_URL, port: e.EMULATOR_PORT, latencyMs: e.EMULATOR_LATENCY_MS },
  };
}
