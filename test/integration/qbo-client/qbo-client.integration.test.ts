import { randomBytes } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';
import {
  deriveRequestId,
  emulatorPlatform,
  fetchTransport,
  InProcessRealmLimiter,
  QboClient,
  type QboEnvironment,
  QboError,
  type QboPlatform,
  QboQuery,
} from '../../../src/qbo/client/index.js';
import {
  encryptTokens,
  IntuitOAuthClient,
  parseOAuthCallback,
  probeEnvironment,
  readCompanyFacts,
  RefreshManager,
  secretKey,
  TokenCipher,
  type DecryptedTokens,
} from '../../../src/qbo/connection/index.js';
import { MemoryTokenStore } from '../../unit/qbo-connection/memory-token-store.js';

const SANDBOX_US = '4620816365290212450';
const SANDBOX_CA = '4620816365290212476';
const PRODUCTION_US = '9130357921644326';
const REDIRECT_URI = 'http://127.0.0.1:5999/qbo/callback';

let emulator: StartedEmulator;
let platform: QboPlatform;
let oauth: IntuitOAuthClient;
const transport = fetchTransport({ timeoutMs: 10_000 });
const run = randomBytes(3).toString('hex');

/** Drives Intuit's consent page over plain HTTP, as a browser would: authorize → choose company → redirect. */
async function connect(realmId: string): Promise<DecryptedTokens> {
  const state = `state-${realmId}`;
  const page = await fetch(oauth.authorizeUrl(state));
  const html = await page.text();
  const pending = /name="pending" value="([^"]+)"/.exec(html)?.[1];
  expect(pending, html).toBeDefined();
  const decision = await fetch(`${emulator.baseUrl}/connect/oauth2/decision`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ pending: pending ?? '', realmId, decision: 'approve' }).toString(),
    redirect: 'manual',
  });
  expect(decision.status).toBe(302);
  const location = new URL(decision.headers.get('location') ?? '');
  expect(location.origin + location.pathname).toBe(REDIRECT_URI);
  const callback = parseOAuthCallback(Object.fromEntries(location.searchParams));
  if (!callback.ok || callback.value.kind !== 'code') throw new Error(`bad callback ${location.search}`);
  expect(callback.value.state).toBe(state);
  expect(callback.value.realmId).toBe(realmId);
  const tokens = await oauth.exchangeCode(callback.value.code);
  if (!tokens.ok) throw tokens.error;
  return tokens.value;
}

function clientFor(realmId: string, environment: QboEnvironment, accessToken: string): QboClient {
  return new QboClient({
    platform,
    environment,
    realmId,
    getAccessToken: () => Promise.resolve(accessToken),
    transport,
    limiter: new InProcessRealmLimiter(),
    retryPolicy: { baseDelayMs: 10, maxDelayMs: 100 },
  });
}

async function failure(promise: Promise<unknown>): Promise<QboError> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof QboError)) throw new Error(`expected a QboError, got ${String(outcome)}`);
  return outcome;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
  platform = emulatorPlatform(emulator.baseUrl);
  oauth = new IntuitOAuthClient({
    endpoints: platform.oauth,
    clientId: EMULATOR_CLIENT_ID,
    clientSecret: EMULATOR_CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    transport,
  });
});

afterAll(async () => {
  await emulator?.close();
});

describe('QboClient against the emulator', () => {
  let sandbox: QboClient;

  beforeAll(async () => {
    const tokens = await connect(SANDBOX_US);
    sandbox = clientFor(SANDBOX_US, 'sandbox', tokens.accessToken);
  });

  it('probes the environment of each realm', async () => {
    const sandboxTokens = await connect(SANDBOX_US);
    const productionTokens = await connect(PRODUCTION_US);
    expect(await probeEnvironment({ platform, transport, realmId: SANDBOX_US, accessToken: sandboxTokens.accessToken })).toEqual({
      ok: true,
      value: 'sandbox',
    });
    expect(
      await probeEnvironment({ platform, transport, realmId: PRODUCTION_US, accessToken: productionTokens.accessToken }),
    ).toEqual({ ok: true, value: 'production' });
    const bogus = await probeEnvironment({ platform, transport, realmId: PRODUCTION_US, accessToken: 'not-a-token' });
    expect(bogus).toMatchObject({ ok: false, error: { code: 'qbo_environment_unknown' } });
  });

  it('a client bound to sandbox cannot reach a production realm', async () => {
    const productionTokens = await connect(PRODUCTION_US);
    const wrong = clientFor(PRODUCTION_US, 'sandbox', productionTokens.accessToken);
    const error = await failure(wrong.create('Customer', { DisplayName: `Never ${run}` }, { requestId: deriveRequestId(run, 'never') }));
    expect(error.status).toBeGreaterThanOrEqual(400);
    const production = clientFor(PRODUCTION_US, 'production', productionTokens.accessToken);
    expect(await production.count('Customer', (q) => q.where('DisplayName', '=', `Never ${run}`))).toBe(0);
  });

  it("creates, finds (quote-safe), and updates a customer with its SyncToken; a stale token is typed", async () => {
    const name = `O'Brien & Sons ${run}`;
    const created = await sandbox.create(
      'Customer',
      { DisplayName: name, PrimaryEmailAddr: { Address: 'obrien@example.com' } },
      { requestId: deriveRequestId(run, 'customer') },
    );
    expect(created.DisplayName).toBe(name);

    const replay = await sandbox.create('Customer', { DisplayName: name }, { requestId: deriveRequestId(run, 'customer') });
    expect(replay.Id).toBe(created.Id);

    const found = await sandbox.query('Customer', (q) => q.where('DisplayName', '=', name));
    expect(found.items.map((c) => c.Id)).toEqual([created.Id]);

    const updated = await sandbox.update(
      'Customer',
      { Id: created.Id, SyncToken: created.SyncToken, CompanyName: 'Renamed Ltd' },
      { requestId: deriveRequestId(run, 'customer', 'update-1') },
    );
    expect(updated.CompanyName).toBe('Renamed Ltd');
    expect(updated.SyncToken).not.toBe(created.SyncToken);

    const stale = await failure(
      sandbox.update(
        'Customer',
        { Id: created.Id, SyncToken: created.SyncToken, CompanyName: 'Too late' },
        { requestId: deriveRequestId(run, 'customer', 'update-2') },
      ),
    );
    expect(stale.code).toBe('qbo_stale_sync_token');
    expect(stale.qboCode).toBe('5010');
  });

  it('types a duplicate name across customers and vendors (6240)', async () => {
    const name = `Smith, LLC ${run}`;
    await sandbox.create('Vendor', { DisplayName: name }, { requestId: deriveRequestId(run, 'vendor') });
    const dup = await failure(sandbox.create('Customer', { DisplayName: name }, { requestId: deriveRequestId(run, 'dup') }));
    expect(dup).toMatchObject({ code: 'qbo_duplicate_name', qboCode: '6240', status: 400 });
    expect(dup.message.length).toBeGreaterThan(0);
  });

  it('creates an invoice with exact decimal amounts', async () => {
    const customer = await sandbox.create('Customer', { DisplayName: `Invoice Client ${run}` }, { requestId: deriveRequestId(run, 'inv-c') });
    const [item] = (await sandbox.query('Item', (q) => q.where('Type', '=', 'Service').maxResults(1))).items;
    expect(item).toBeDefined();
    const invoice = await sandbox.create(
      'Invoice',
      {
        CustomerRef: { value: customer.Id },
        Line: [
          {
            DetailType: 'SalesItemLineDetail',
            Amount: new Decimal('0.30'),
            Description: 'three dimes',
            SalesItemLineDetail: { ItemRef: { value: item?.Id ?? '' }, Qty: new Decimal('3'), UnitPrice: new Decimal('0.1'), TaxCodeRef: { value: 'NON' } },
          },
        ],
      },
      { requestId: deriveRequestId(run, 'invoice') },
    );
    expect(invoice.TotalAmt).toBe('0.3');
    const line = invoice.Line.find((l) => l.DetailType === 'SalesItemLineDetail');
    expect(line?.Amount).toBe('0.3');
  });

  it('runs a batch with per-item outcomes', async () => {
    const outcomes = await sandbox.batch(
      [
        { bId: 'b1', operation: 'create', entity: 'Customer', body: { DisplayName: `Batch One ${run}` } },
        { bId: 'b2', operation: 'create', entity: 'Customer', body: { DisplayName: `Smith, LLC ${run}` } },
        { bId: 'b3', query: QboQuery.select('Account').where('AccountType', '=', 'Income') },
      ],
      { requestId: deriveRequestId(run, 'batch') },
    );
    expect(outcomes[0]).toMatchObject({ bId: 'b1', ok: true, kind: 'entity', entity: 'Customer' });
    expect(outcomes[1]).toMatchObject({ bId: 'b2', ok: false, error: { code: 'qbo_duplicate_name' } });
    expect(outcomes[2]).toMatchObject({ bId: 'b3', ok: true, kind: 'query' });
  });

  it('reads a ProfitAndLoss report and company facts', async () => {
    const report = await sandbox.report('ProfitAndLoss', { start_date: '2000-01-01', end_date: '2100-12-31' });
    expect(report.Header.ReportName).toBe('ProfitAndLoss');
    const facts = await readCompanyFacts(sandbox);
    expect(facts).toMatchObject({ ok: true, value: { country: 'US', homeCurrency: 'USD', taxModel: 'us' } });
    const caTokens = await connect(SANDBOX_CA);
    const ca = await readCompanyFacts(clientFor(SANDBOX_CA, 'sandbox', caTokens.accessToken));
    expect(ca).toMatchObject({ ok: true, value: { country: 'CA', homeCurrency: 'CAD', taxModel: 'global' } });
  });
});

describe('token lifecycle against the emulator', () => {
  const cipher = new TokenCipher({ current: secretKey(randomBytes(32)), previous: [] });

  function storeWith(tokens: DecryptedTokens, connectionId: string): MemoryTokenStore {
    const store = new MemoryTokenStore();
    store.rows.set(connectionId, {
      connectionId,
      status: 'connected',
      realmId: SANDBOX_US,
      environment: 'sandbox',
      ...encryptTokens(cipher, connectionId, tokens),
    });
    return store;
  }

  it('an expired access token is refreshed once for concurrent callers, then the call succeeds', async () => {
    const tokens = await connect(SANDBOX_US);
    const store = storeWith({ ...tokens, accessTokenExpiresAt: new Date(0) }, 'c1');
    let refreshes = 0;
    const counting = { refresh: (rt: string) => ((refreshes += 1), oauth.refresh(rt)) };
    const manager = new RefreshManager({ store, cipher, oauth: counting });
    const client = new QboClient({
      platform,
      environment: 'sandbox',
      realmId: SANDBOX_US,
      getAccessToken: manager.accessTokenProvider('c1'),
      transport,
      limiter: new InProcessRealmLimiter(),
    });
    const [a, b] = await Promise.all([client.companyInfo(), client.preferences()]);
    expect(a.CompanyName).toBeTruthy();
    expect(b.Id).toBeTruthy();
    expect(refreshes).toBe(1);
  });

  it('a revoked grant ends in needs_reconnect, typed on the client call', async () => {
    const tokens = await connect(SANDBOX_US);
    expect(await oauth.revoke(tokens.refreshToken)).toEqual({ ok: true, value: undefined });
    const store = storeWith({ ...tokens, accessTokenExpiresAt: new Date(0) }, 'c2');
    const manager = new RefreshManager({ store, cipher, oauth });
    const bound = new QboClient({
      platform,
      environment: 'sandbox',
      realmId: SANDBOX_US,
      getAccessToken: manager.accessTokenProvider('c2'),
      transport,
      limiter: new InProcessRealmLimiter(),
    });
    const error = await failure(bound.companyInfo());
    expect(error.code).toBe('qbo_needs_reconnect');
    expect(store.rows.get('c2')?.status).toBe('needs_reconnect');
  });
});
