/**
 * A process started while `rotate-key` has not run yet (docs/operations.md, Key rotation): with the new
 * key current and the old one in WORKROOM_SECRET_KEY_PREVIOUS it must still open every stored token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import type { StartedEmulator } from '../../../src/emulator/index.js';
import type { QboConnectionService } from '../../../src/qbo/connection/connection-service.js';
import { createQboConnectionService, type QboConnectionConfig } from '../../../src/qbo/connection/setup.js';
import { parseSecretKey } from '../../../src/qbo/connection/token-crypto.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { connect, SANDBOX_US, seedSession, startCountingEmulator, testKeyHex, type TokenEndpointCounter } from './harness.js';

const HOUR_MS = 3600_000;

let emulator: StartedEmulator;
let tokenRequests: TokenEndpointCounter;
const dataDir = mkdtempSync(join(tmpdir(), 'workroom-key-previous-'));
beforeAll(async () => {
  ({ emulator, tokenRequests } = await startCountingEmulator());
});
afterAll(async () => {
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => emulator.clock.reset());

describeEachDatabase('qbo tokens during a key rotation', (getDb, dialect) => {
  const oldKey = testKeyHex();
  const newKey = testKeyHex();

  /** One process's connection service, started with the given WORKROOM_SECRET_KEY (and …_PREVIOUS). */
  async function processWith(key: string, previous?: string): Promise<QboConnectionService> {
    const config: QboConnectionConfig = {
      ...parseConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'http://127.0.0.1:9', QBO_EMULATOR_URL: emulator.baseUrl, WORKROOM_SECRET_KEY: key }),
      ...(previous === undefined ? {} : { secretKeyPrevious: previous }),
    };
    return createQboConnectionService({ config, db: getDb().db, dialect });
  }

  async function connectedWithOldKey(): Promise<string> {
    const session = await seedSession(getDb().db);
    const outcome = await connect(await processWith(oldKey), session, SANDBOX_US);
    if (!outcome.ok) throw new Error(outcome.error);
    tokenRequests.reset();
    return session.orgId;
  }

  async function companyName(service: QboConnectionService, orgId: string): Promise<string> {
    const client = await service.getClientFor(orgId);
    if (!client.ok) throw client.error;
    return (await client.value.companyInfo()).CompanyName;
  }

  async function sealingKeyIds(orgId: string): Promise<string[]> {
    const row = await getDb().db.selectFrom('qbo_connections').selectAll().where('org_id', '=', orgId).executeTakeFirstOrThrow();
    return [row.access_token_enc, row.refresh_token_enc].map((envelope) => envelope?.split('.')[1] ?? '');
  }

  it('opens tokens sealed with the previous key, re-seals them under the new one on refresh, after which the old key is not needed', async () => {
    const orgId = await connectedWithOldKey();
    expect(await sealingKeyIds(orgId)).toEqual([parseSecretKey(oldKey).id, parseSecretKey(oldKey).id]);

    const during = await processWith(newKey, oldKey);
    expect((await during.status(orgId)).status).toBe('connected');
    expect(await companyName(during, orgId)).toBe('Sandbox Company_US_1');

    emulator.clock.advance(HOUR_MS + 1000);
    expect(await companyName(during, orgId)).toBe('Sandbox Company_US_1');
    expect(tokenRequests.count()).toBe(1);
    expect(await sealingKeyIds(orgId)).toEqual([parseSecretKey(newKey).id, parseSecretKey(newKey).id]);

    const after = await processWith(newKey);
    expect(await companyName(after, orgId)).toBe('Sandbox Company_US_1');
    expect((await after.status(orgId)).status).toBe('connected');
  });

  it('without the previous key says "needs reconnect"; given the key back, the connection works again without reconnecting', async () => {
    const orgId = await connectedWithOldKey();
    const newOnly = await processWith(newKey);
    emulator.clock.advance(HOUR_MS + 1000);
    await expect(companyName(newOnly, orgId)).rejects.toMatchObject({ code: 'qbo_needs_reconnect' });
    const stuck = await newOnly.status(orgId);
    expect(stuck.status).toBe('needs_reconnect');
    expect(stuck.message).toMatch(/secret key/);
    expect(tokenRequests.count()).toBe(0);

    const fixed = await processWith(newKey, oldKey);
    expect(await fixed.status(orgId)).toMatchObject({ status: 'connected', message: null });
    expect(await companyName(fixed, orgId)).toBe('Sandbox Company_US_1');
    expect(tokenRequests.count()).toBe(1);
  });
});
