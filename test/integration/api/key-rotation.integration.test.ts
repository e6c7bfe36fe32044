/**
 * The documented key-rotation procedure (docs/operations.md), end to end: stop the server, run
 * `workroom-qbo rotate-key`, start it again with only the new key. Existing QuickBooks connections keep
 * working (tokens re-encrypted, then refreshed and used), and the old key opens nothing any more.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StartedEmulator } from '../../../src/emulator/index.js';
import { rotateSecretKey } from '../../../src/qbo/connection/key-rotation.js';
import {
  beginKeyFileRotation,
  decryptTokens,
  parseSecretKey,
  PREVIOUS_SECRET_KEY_FILE,
  SECRET_KEY_FILE,
  secretKey,
  TokenCipher,
} from '../../../src/qbo/connection/token-crypto.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../helpers/databases.js';
import { SANDBOX_US } from '../qbo-connection/harness.js';
import { connectQbo, startApi, startTestEmulator, type Caller } from './harness.js';

let emulator: StartedEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.close();
});

const run = promisify(execFile);

interface Envelopes {
  id: string;
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  access_token_expires_at: string | null;
  refresh_token_expires_at: string | null;
}

async function envelopes(database: TestDatabase): Promise<Envelopes[]> {
  return database.db
    .selectFrom('qbo_connections')
    .select(['id', 'access_token_enc', 'refresh_token_enc', 'access_token_expires_at', 'refresh_token_expires_at'])
    .orderBy('id')
    .execute();
}

function opens(keyText: string, row: Envelopes): boolean {
  const cipher = new TokenCipher({ current: parseSecretKey(keyText), previous: [] });
  return decryptTokens(cipher, row.id, {
    accessTokenEnc: row.access_token_enc ?? '',
    refreshTokenEnc: row.refresh_token_enc ?? '',
    accessTokenExpiresAt: new Date(row.access_token_expires_at ?? 0),
    refreshTokenExpiresAt: null,
  }).ok;
}

/** A studio connected to QuickBooks that has pushed an invoice: its tokens are in the database. */
async function connectedStudio(owner: Caller): Promise<string> {
  await connectQbo(owner, SANDBOX_US);
  await owner.json('PUT', '/api/qbo/mapping/accounts', { defaultIncomeAccountId: '1' });
  await owner.json('PUT', '/api/qbo/mapping/tax', { kind: 'sales_tax', salesTaxCodeId: null });
  const client = await owner.json<{ id: string }>('POST', '/api/clients', { clientInformation: { name: `Rotation ${randomBytes(3).toString('hex')}` } });
  const doc = await owner.json<{ id: string }>('POST', '/api/documents', { type: 'invoice', clientId: client.id, issueDate: '2025-06-01', lines: [{ quantity: '1', rate: '10', taxable: false }] });
  await owner.json('POST', `/api/documents/${doc.id}/finalize`);
  expect(await owner.json('POST', `/api/qbo/documents/${doc.id}/push`, undefined, 200)).toMatchObject({ status: 'pushed' });
  return doc.id;
}

/** After the rotation: the connection is still usable, including a token refresh under the new key. */
async function stillWorks(owner: Caller, docId: string): Promise<void> {
  expect(await owner.json('GET', '/api/qbo/connection')).toMatchObject({ status: 'connected' });
  emulator.clock.advance(3_700_000);
  expect(await owner.json('POST', '/api/qbo/connection/refresh-facts', undefined, 200)).toMatchObject({ status: 'connected' });
  expect(await owner.json('POST', `/api/qbo/documents/${docId}/push`, undefined, 200)).toMatchObject({ status: 'pushed' });
}

describeEachDatabase('key rotation', (_getDb, dialect) => {
  const dirs: string[] = [];
  const databases: TestDatabase[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'workroom-keys-'));
    dirs.push(dir);
    return dir;
  };
  // Each case gets its own database: one deployment has one key, and rotation refuses rows no key opens.
  const freshDatabase = async () => {
    const database = await createTestDatabase(dialect);
    databases.push(database);
    return database;
  };
  afterAll(async () => {
    for (const database of databases) await database.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    emulator.clock.reset();
  });

  it('with WORKROOM_SECRET_KEY: re-encrypts under the new key, after which the old one is not needed', async () => {
    const database = await freshDatabase();
    const dataDir = tempDir();
    const oldKey = randomBytes(32).toString('hex');
    const newKey = randomBytes(32).toString('base64');

    const before = await startApi({ db: database.db, dialect, emulator, dataDir, secretKeyHex: oldKey });
    const studio = await before.studio();
    const docId = await connectedStudio(studio.owner);
    await before.close();

    // Without the old key the tokens cannot be opened: nothing changes and the connection is named.
    const missing = await rotateSecretKey({ db: database.db, dialect, dataDir, env: { WORKROOM_SECRET_KEY: newKey } });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.connectionIds.length).toBeGreaterThan(0);
    expect((await envelopes(database)).every((row) => opens(oldKey, row))).toBe(true);

    const rotated = await rotateSecretKey({ db: database.db, dialect, dataDir, env: { WORKROOM_SECRET_KEY: newKey, WORKROOM_SECRET_KEY_PREVIOUS: oldKey } });
    expect(rotated).toMatchObject({ ok: true, value: { mode: 'env', keyId: parseSecretKey(newKey).id, resumed: false } });
    if (rotated.ok) expect(rotated.value.reencrypted).toBe(rotated.value.connections);
    const rows = (await envelopes(database)).filter((row) => row.access_token_enc !== null);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(opens(newKey, row)).toBe(true);
      expect(opens(oldKey, row)).toBe(false);
    }
    // Running it again is harmless.
    expect(await rotateSecretKey({ db: database.db, dialect, dataDir, env: { WORKROOM_SECRET_KEY: newKey, WORKROOM_SECRET_KEY_PREVIOUS: oldKey } })).toMatchObject({
      ok: true,
      value: { reencrypted: 0 },
    });

    const after = await startApi({ db: database.db, dialect, emulator, dataDir, secretKeyHex: Buffer.from(newKey, 'base64').toString('hex') });
    const owner = await after.loggedIn(studio.owner.email);
    await stillWorks(owner, docId);
    await after.close();
  });

  it('with the generated key file: rotate-key writes a new key, resumes after a crash, and leaves no old key behind', async () => {
    const database = await freshDatabase();
    const dataDir = tempDir();
    const before = await startApi({ db: database.db, dialect, emulator, dataDir, secretKeyHex: null });
    const studio = await before.studio();
    const docId = await connectedStudio(studio.owner);
    await before.close();
    const ownRows = async () => (await envelopes(database)).filter((row) => row.access_token_enc !== null && opens(readFileSync(join(dataDir, SECRET_KEY_FILE), 'utf8'), row));
    const mine = (await ownRows()).map((row) => row.id);
    const oldKey = readFileSync(join(dataDir, SECRET_KEY_FILE), 'utf8');

    // A crash right after the new key was written: the server still opens everything with both files present.
    await beginKeyFileRotation(dataDir);
    expect(readFileSync(join(dataDir, PREVIOUS_SECRET_KEY_FILE), 'utf8')).toBe(oldKey);
    const midway = await startApi({ db: database.db, dialect, emulator, dataDir, secretKeyHex: null });
    expect(await (await midway.loggedIn(studio.owner.email)).json('GET', '/api/qbo/connection')).toMatchObject({ status: 'connected' });
    await midway.close();

    const rotated = await rotateSecretKey({ db: database.db, dialect, dataDir, env: {} });
    expect(rotated).toMatchObject({ ok: true, value: { mode: 'file', resumed: true } });
    expect(existsSync(join(dataDir, PREVIOUS_SECRET_KEY_FILE))).toBe(false);
    const newKey = readFileSync(join(dataDir, SECRET_KEY_FILE), 'utf8');
    expect(parseSecretKey(newKey).id).not.toBe(parseSecretKey(oldKey).id);
    for (const row of (await envelopes(database)).filter((r) => mine.includes(r.id))) {
      expect(opens(newKey, row)).toBe(true);
      expect(opens(oldKey, row)).toBe(false);
    }

    const after = await startApi({ db: database.db, dialect, emulator, dataDir, secretKeyHex: null });
    await stillWorks(await after.loggedIn(studio.owner.email), docId);
    await after.close();
  });

  it('starts over when interrupted before the new key was written', async () => {
    const database = await freshDatabase();
    const dataDir = tempDir();
    const before = await startApi({ db: database.db, dialect, emulator, dataDir, secretKeyHex: null });
    await connectedStudio((await before.studio()).owner);
    await before.close();
    const oldKey = readFileSync(join(dataDir, SECRET_KEY_FILE), 'utf8');
    // The old key was saved aside, then the process died: both files hold the same key.
    writeFileSync(join(dataDir, PREVIOUS_SECRET_KEY_FILE), oldKey, { mode: 0o600 });

    const rotated = await rotateSecretKey({ db: database.db, dialect, dataDir, env: {} });
    expect(rotated).toMatchObject({ ok: true, value: { mode: 'file', resumed: false } });
    const newKey = readFileSync(join(dataDir, SECRET_KEY_FILE), 'utf8');
    expect(parseSecretKey(newKey).id).not.toBe(parseSecretKey(oldKey).id);
    const rows = (await envelopes(database)).filter((row) => row.access_token_enc !== null);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => opens(newKey, row) && !opens(oldKey, row))).toBe(true);
    expect(existsSync(join(dataDir, PREVIOUS_SECRET_KEY_FILE))).toBe(false);
  });

  it('runs as `workroom-qbo rotate-key` from the command line', async () => {
    const database = await freshDatabase();
    const dataDir = tempDir();
    const oldKey = randomBytes(32).toString('hex');
    const newKey = randomBytes(32).toString('hex');
    const before = await startApi({ db: database.db, dialect, emulator, dataDir, secretKeyHex: oldKey });
    await connectedStudio((await before.studio()).owner);
    await before.close();

    const { config } = database;
    const { DATABASE_URL: _inherited, ...inherited } = process.env;
    const env = {
      ...inherited,
      DATA_DIR: dataDir,
      WORKROOM_SECRET_KEY: newKey,
      WORKROOM_SECRET_KEY_PREVIOUS: oldKey,
      ...(config.databaseUrl && config.pgSchema ? { DATABASE_URL: withSearchPath(config.databaseUrl, config.pgSchema) } : {}),
    };
    if (config.sqlitePath) {
      // The CLI finds SQLite at DATA_DIR/workroom.sqlite; point that at the test database.
      symlinkSync(config.sqlitePath, join(dataDir, 'workroom.sqlite'));
    }
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'rotate-key'], { env, cwd: process.cwd() });
    expect(stdout).toContain(`key from WORKROOM_SECRET_KEY (id ${secretKey(Buffer.from(newKey, 'hex')).id})`);
    expect(stdout).toMatch(/re-encrypted [1-9]\d* of \d+ connection/);
    const rows = (await envelopes(database)).filter((row) => row.access_token_enc !== null);
    expect(rows.every((row) => opens(newKey, row))).toBe(true);
  });
});

/** libpq's `options` parameter, so the CLI's own connection lands in the test's private schema. */
function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}
