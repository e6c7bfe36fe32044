import type { Kysely } from 'kysely';
import type { AppConfig } from '../../config.js';
import type { Database, DialectName } from '../../db/index.js';
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET } from '../../emulator/index.js';
import {
  emulatorPlatform,
  fetchTransport,
  InProcessRealmLimiter,
  INTUIT_PLATFORM,
  type QboLogger,
  type QboPlatform,
  type QboTransport,
  type RealmLimiter,
  type RetryPolicy,
} from '../client/index.js';
import { QboConnectionService, type OAuthAppCredentials } from './connection-service.js';
import { loadOrCreateKey, TokenCipher } from './token-crypto.js';

export const QBO_CALLBACK_PATH = '/api/qbo/callback';

/** secretKeyPrevious keeps connections usable for a process started while `rotate-key` is still re-encrypting. */
export type QboConnectionConfig = Pick<AppConfig, 'intuit' | 'emulator' | 'publicUrl' | 'dataDir' | 'secretKey'> &
  Partial<Pick<AppConfig, 'secretKeyPrevious'>>;

/** Real Intuit when its three credentials are configured; otherwise the local emulator and its dev app. */
export function qboPlatformFor(config: QboConnectionConfig): { platform: QboPlatform; credentials: OAuthAppCredentials } {
  if (config.intuit) return { platform: INTUIT_PLATFORM, credentials: config.intuit };
  const base = config.emulator.externalUrl ?? `http://127.0.0.1:${config.emulator.port}`;
  return {
    platform: emulatorPlatform(base),
    credentials: {
      clientId: EMULATOR_CLIENT_ID,
      clientSecret: EMULATOR_CLIENT_SECRET,
      redirectUri: `${config.publicUrl.replace(/\/+$/, '')}${QBO_CALLBACK_PATH}`,
    },
  };
}

export interface QboConnectionSetup {
  readonly config: QboConnectionConfig;
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly logger?: QboLogger;
  readonly transport?: QboTransport;
  /** Default: this process's own limiter; the product passes one shared by every process (sync/realm-gate.ts). */
  readonly limiter?: RealmLimiter;
  readonly clientRetryPolicy?: Partial<RetryPolicy>;
}

/** One per process: it holds the in-process half of single-flight refresh and the realm rate limiter. */
export async function createQboConnectionService(setup: QboConnectionSetup): Promise<QboConnectionService> {
  const keyring = await loadOrCreateKey(setup.config.dataDir, {
    WORKROOM_SECRET_KEY: setup.config.secretKey,
    WORKROOM_SECRET_KEY_PREVIOUS: setup.config.secretKeyPrevious,
  });
  const { platform, credentials } = qboPlatformFor(setup.config);
  return new QboConnectionService({
    db: setup.db,
    dialect: setup.dialect,
    cipher: new TokenCipher(keyring),
    platform,
    credentials,
    transport: setup.transport ?? fetchTransport(),
    limiter: setup.limiter ?? new InProcessRealmLimiter(),
    ...(setup.clientRetryPolicy ? { clientRetryPolicy: setup.clientRetryPolicy } : {}),
    ...(setup.logger ? { logger: setup.logger } : {}),
  });
}
