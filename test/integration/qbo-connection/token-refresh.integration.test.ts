import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { StartedEmulator } from '../../../src/emulator/index.js';
import type { QboConnectionService } from '../../../src/qbo/connection/connection-service.js';
import { secretKey, TokenCipher } from '../../../src/qbo/connection/token-crypto.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { connect, makeService, SANDBOX_US, SANDBOX_US_2, seedSession, startCountingEmulator, testKeyHex, type TokenEndpointCounter } from './harness.js';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

let emulator: StartedEmulator;
let tokenRequests: TokenEndpointCounter;
beforeAll(async () => {
  ({ emulator, tokenRequests } = await startCountingEmulator());
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.clock.reset());

describeEachDatabase('qbo token refresh', (getDb, dialect) => {
  const keyHex = testKeyHex();
  /** Our side and Intuit's side share one clock, so "an hour later" is an hour later for both. */
  const service = (): QboConnectionService =>
    makeService({ db: getDb().db, dialect, baseUrl: emulator.baseUrl, keyHex, now: () => emulator.clock.now() });

  async function connected(realmId = SANDBOX_US) {
    const session = await seedSession(getDb().db);
    const outcome = await connect(service(), session, realmId);
    if (!outcome.ok) throw new Error(outcome.error);
    tokenRequests.reset();
    return session;
  }

  async function tokenVersion(orgId: string): Promise<number> {
    const row = await getDb().db.selectFrom('qbo_connections').select('token_version').where('org_id', '=', orgId).executeTakeFirstOrThrow();
    return row.token_version;
  }

  async function companyName(svc: QboConnectionService, orgId: string): Promise<string> {
    const client = await svc.getClientFor(orgId);
    if (!client.ok) throw client.error;
    return (await client.value.companyInfo()).CompanyName;
  }

  it('uses a valid token without refreshing, and refreshes shortly before expiry', async () => {
    const session = await connected();
    const before = await tokenVersion(session.orgId);
    expect(await companyName(service(), session.orgId)).toBe('Sandbox Company_US_1');
    expect(tokenRequests.count()).toBe(0);

    emulator.clock.advance(HOUR_MS - 60_000);
    expect(await companyName(service(), session.orgId)).toBe('Sandbox Company_US_1');
    expect(tokenRequests.count()).toBe(1);
    expect(await tokenVersion(session.orgId)).toBe(before + 1);
  });

  it('two concurrent callers with an expired access token cause exactly one refresh', async () => {
    const session = await connected();
    emulator.clock.advance(HOUR_MS + 1000);
    // Two service instances share nothing in memory, like two processes: only the row lock keeps them to one refresh.
    const [a, b] = [service(), service()];
    const names = await Promise.all([
      companyName(a, session.orgId),
      companyName(b, session.orgId),
      companyName(a, session.orgId),
      companyName(b, session.orgId),
    ]);
    expect(names).toEqual(Array(4).fill('Sandbox Company_US_1'));
    expect(tokenRequests.count()).toBe(1);
  });

  it('two callers a day later: Intuit rotates the refresh token once, and the rotated one is the one kept', async () => {
    const session = await connected();
    const cipher = new TokenCipher({ current: secretKey(Buffer.from(keyHex, 'hex')), previous: [] });
    const storedRefreshToken = async (): Promise<string> => {
      const row = await getDb().db.selectFrom('qbo_connections').selectAll().where('org_id', '=', session.orgId).executeTakeFirstOrThrow();
      const opened = cipher.decrypt(row.refresh_token_enc ?? '', `qbo-connection:${row.id}:refresh_token`);
      if (!opened.ok) throw new Error(`stored refresh token does not open: ${opened.error}`);
      return opened.value;
    };
    const before = await storedRefreshToken();
    // Past Intuit's 24 h rotation age: this refresh returns a new refresh token and retires the old one at once.
    emulator.clock.advance(DAY_MS + HOUR_MS);
    const [a, b] = [service(), service()];
    expect(await Promise.all([companyName(a, session.orgId), companyName(b, session.orgId)])).toEqual(['Sandbox Company_US_1', 'Sandbox Company_US_1']);
    expect(tokenRequests.count()).toBe(1);
    expect(await storedRefreshToken()).not.toBe(before);

    // Had either caller kept the retired token, this refresh would be refused with invalid_grant.
    emulator.clock.advance(HOUR_MS + 1000);
    expect(await companyName(service(), session.orgId)).toBe('Sandbox Company_US_1');
    expect(tokenRequests.count()).toBe(2);
    expect((await service().status(session.orgId)).status).toBe('connected');
  });

  it('refreshes once and retries when QBO answers 401 to a token we thought valid', async () => {
    const session = await connected();
    // Intuit's clock moves on, ours does not: the stored expiry still looks fine, QBO says 401.
    const unaware = makeService({ db: getDb().db, dialect, baseUrl: emulator.baseUrl, keyHex });
    emulator.clock.advance(HOUR_MS + 1000);
    expect(await companyName(unaware, session.orgId)).toBe('Sandbox Company_US_1');
    expect(tokenRequests.count()).toBe(1);
  });

  it('a revoked refresh token marks the connection needs_reconnect, and stops asking Intuit', async () => {
    const session = await connected(SANDBOX_US_2);
    emulator.tokens.revokeRealm(SANDBOX_US_2);
    emulator.clock.advance(HOUR_MS + 1000);

    await expect(companyName(service(), session.orgId)).rejects.toMatchObject({ code: 'qbo_needs_reconnect' });
    expect(tokenRequests.count()).toBe(1);
    const status = await service().status(session.orgId);
    expect(status.status).toBe('needs_reconnect');
    expect(status.message).toMatch(/revoked/);

    const again = await service().getClientFor(session.orgId);
    expect(again.ok ? 'client' : again.error.code).toBe('qbo_needs_reconnect');
    expect(tokenRequests.count()).toBe(1);

    expect((await connect(service(), session, SANDBOX_US_2)).ok).toBe(true);
    expect((await service().status(session.orgId)).status).toBe('connected');
  });

  it('an expired refresh token marks the connection needs_reconnect, known or not on our side', async () => {
    const known = await connected();
    const unknown = await connected();
    // Intuit told us the refresh token's lifetime for `known`; for `unknown` we only learn it from invalid_grant.
    await getDb().db.updateTable('qbo_connections').set({ refresh_token_expires_at: null }).where('org_id', '=', unknown.orgId).execute();
    emulator.clock.advance(102 * DAY_MS);

    await expect(companyName(service(), known.orgId)).rejects.toMatchObject({ code: 'qbo_needs_reconnect' });
    expect(tokenRequests.count()).toBe(0);
    await expect(companyName(service(), unknown.orgId)).rejects.toMatchObject({ code: 'qbo_needs_reconnect' });
    expect(tokenRequests.count()).toBe(1);

    for (const session of [known, unknown]) {
      const status = await service().status(session.orgId);
      expect(status.status).toBe('needs_reconnect');
      expect(status.message).toMatch(/Reconnect/);
    }
  });
});
