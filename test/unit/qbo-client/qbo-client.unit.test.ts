import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  type AccessTokenProvider,
  deriveRequestId,
  emulatorPlatform,
  INTUIT_PLATFORM,
  InProcessRealmLimiter,
  QboClient,
  type QboClientConfig,
  QboQuery,
  RequestIdSchema,
} from '../../../src/qbo/client/index.js';
import { FakeTransport, fakeRetryClock, fault, jsonResponse } from './fake-transport.js';

const REALM = '9130354123456789';
const requestId = RequestIdSchema.parse('job-42-create');

function tokens(): AccessTokenProvider & { calls: { forceRefresh: boolean; rejectedToken?: string }[] } {
  const calls: { forceRefresh: boolean; rejectedToken?: string }[] = [];
  let current = 'token-1';
  const provider = (req: { forceRefresh: boolean; rejectedToken?: string }) => {
    calls.push(req);
    if (req.forceRefresh) current = `token-${calls.filter((c) => c.forceRefresh).length + 1}`;
    return Promise.resolve(current);
  };
  return Object.assign(provider, { calls });
}

function makeClient(transport: FakeTransport, overrides: Partial<QboClientConfig> = {}) {
  const getAccessToken = tokens();
  const clock = fakeRetryClock();
  const client = new QboClient({
    platform: INTUIT_PLATFORM,
    environment: 'production',
    realmId: REALM,
    getAccessToken,
    transport,
    limiter: new InProcessRealmLimiter(),
    clock,
    ...overrides,
  });
  return { client, getAccessToken, clock };
}

const customer = { Id: '58', SyncToken: '0', DisplayName: "O'Brien & Sons", Balance: 1234.5 };

describe('QboClient requests', () => {
  it('builds the production URL with the encoded realm and minorversion, and sends the token', async () => {
    const transport = new FakeTransport([jsonResponse(200, { Customer: customer })]);
    const { client } = makeClient(transport);
    const read = await client.read('Customer', '58');
    expect(read.DisplayName).toBe("O'Brien & Sons");
    expect(read.Balance).toBe('1234.5');
    const [url] = transport.urls();
    expect(url?.origin + (url?.pathname ?? '')).toBe(`https://quickbooks.api.intuit.com/v3/company/${REALM}/customer/58`);
    expect(url?.searchParams.get('minorversion')).toBe('75');
    expect(transport.requests[0]?.headers['Authorization']).toBe('Bearer token-1');
    expect(transport.requests[0]?.headers['Accept']).toBe('application/json');
  });

  it('a sandbox client only ever calls the sandbox host', async () => {
    const transport = new FakeTransport(() => jsonResponse(200, { Customer: customer }));
    const { client } = makeClient(transport, { environment: 'sandbox' });
    await client.read('Customer', '58');
    await client.create('Customer', { DisplayName: 'x' }, { requestId });
    for (const url of transport.urls()) expect(url.host).toBe('sandbox-quickbooks.api.intuit.com');
  });

  it('targets the emulator prefix for the environment', async () => {
    const transport = new FakeTransport(() => jsonResponse(200, { Customer: customer }));
    const { client } = makeClient(transport, { platform: emulatorPlatform('http://127.0.0.1:4555/'), environment: 'sandbox' });
    await client.read('Customer', '58');
    expect(transport.urls()[0]?.pathname).toBe(`/sandbox-quickbooks/v3/company/${REALM}/customer/58`);
  });

  it('refuses a realm id that is not 10-19 digits', () => {
    expect(() => makeClient(new FakeTransport([]), { realmId: '12/../34' })).toThrow();
    expect(() => makeClient(new FakeTransport([]), { realmId: '123' })).toThrow();
  });

  it('create sends the requestid and writes Decimal amounts as exact JSON numbers', async () => {
    const invoice = { Id: '130', SyncToken: '0', CustomerRef: { value: '58' }, TotalAmt: 0.3, Line: [] };
    const transport = new FakeTransport([jsonResponse(200, { Invoice: invoice })]);
    const { client } = makeClient(transport);
    const created = await client.create(
      'Invoice',
      {
        CustomerRef: { value: '58' },
        Line: [
          {
            DetailType: 'SalesItemLineDetail',
            Amount: new Decimal('0.30'),
            SalesItemLineDetail: { Qty: new Decimal('3'), UnitPrice: new Decimal('0.1') },
          },
        ],
      },
      { requestId },
    );
    expect(created.TotalAmt).toBe('0.3');
    const req = transport.requests[0];
    expect(req?.method).toBe('POST');
    expect(new URL(req?.url ?? '').searchParams.get('requestid')).toBe('job-42-create');
    expect(req?.headers['Content-Type']).toBe('application/json');
    expect(req?.body).toContain('"Amount":0.3');
    expect(req?.body).toContain('"Qty":3,"UnitPrice":0.1');
    expect(JSON.parse(req?.body ?? '')).toMatchObject({ Line: [{ Amount: 0.3 }] });
  });

  it('update is sparse by default and carries Id + SyncToken', async () => {
    const transport = new FakeTransport([jsonResponse(200, { Customer: { ...customer, SyncToken: '1' } })]);
    const { client } = makeClient(transport);
    const updated = await client.update('Customer', { Id: '58', SyncToken: '0', DisplayName: 'New' }, { requestId });
    expect(updated.SyncToken).toBe('1');
    expect(JSON.parse(transport.requests[0]?.body ?? '')).toEqual({ Id: '58', SyncToken: '0', DisplayName: 'New', sparse: true });
  });

  it('rejects a write without a valid requestid before sending anything', async () => {
    const transport = new FakeTransport([]);
    const { client } = makeClient(transport);
    // @ts-expect-error a write without a requestid does not type-check
    await expect(client.create('Customer', { DisplayName: 'x' }, {})).rejects.toThrow(/requestid/);
    // @ts-expect-error nor does a plain string: request ids come from RequestIdSchema or deriveRequestId
    await expect(client.update('Customer', { Id: '1', SyncToken: '0' }, { requestId: 'has space' })).rejects.toThrow(/requestid/);
    expect(transport.requests).toHaveLength(0);
  });

  it('derives stable, short request ids', () => {
    expect(deriveRequestId('job-1', 'invoice', '3')).toBe(deriveRequestId('job-1', 'invoice', '3'));
    expect(deriveRequestId('job-1', 'invoice', '3')).not.toBe(deriveRequestId('job-1', 'invoice', '4'));
    expect(deriveRequestId('a').length).toBeLessThanOrEqual(36);
  });
});

describe('QboClient queries', () => {
  it('sends the escaped query and parses rows', async () => {
    const transport = new FakeTransport([jsonResponse(200, { QueryResponse: { Customer: [customer], startPosition: 1, maxResults: 1 } })]);
    const { client } = makeClient(transport);
    const page = await client.query('Customer', (q) => q.where('DisplayName', '=', "O'Brien & Sons"));
    expect(page.items.map((c) => c.Id)).toEqual(['58']);
    expect(transport.urls()[0]?.pathname.endsWith('/query')).toBe(true);
    expect(transport.urls()[0]?.searchParams.get('query')).toBe("select * from Customer where DisplayName = 'O\\'Brien & Sons'");
  });

  it('treats an empty QueryResponse as no rows', async () => {
    const transport = new FakeTransport([jsonResponse(200, { QueryResponse: {}, time: 'x' })]);
    const { client } = makeClient(transport);
    expect((await client.query('Vendor')).items).toEqual([]);
  });

  it('queryAll pages until a short page', async () => {
    const rows = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ Id: String(from + i), SyncToken: '0', Name: `A${from + i}`, AccountType: 'Income' }));
    const transport = new FakeTransport([
      jsonResponse(200, { QueryResponse: { Account: rows(1, 2), startPosition: 1, maxResults: 2 } }),
      jsonResponse(200, { QueryResponse: { Account: rows(3, 1), startPosition: 3, maxResults: 1 } }),
    ]);
    const { client } = makeClient(transport);
    const all = await client.queryAll('Account', (q) => q.where('Active', '=', true), 2);
    expect(all.map((a) => a.Id)).toEqual(['1', '2', '3']);
    expect(transport.urls().map((u) => u.searchParams.get('query'))).toEqual([
      'select * from Account where Active = true startposition 1 maxresults 2',
      'select * from Account where Active = true startposition 3 maxresults 2',
    ]);
  });

  it('count reads totalCount', async () => {
    const transport = new FakeTransport([jsonResponse(200, { QueryResponse: { totalCount: 17 } })]);
    const { client } = makeClient(transport);
    expect(await client.count('Invoice')).toBe(17);
    expect(transport.urls()[0]?.searchParams.get('query')).toBe('select count(*) from Invoice');
  });
});

describe('QboClient failures', () => {
  it('401 triggers exactly one forced refresh, then one retry with the new token', async () => {
    const transport = new FakeTransport([
      jsonResponse(401, { fault: { error: [{ message: 'AuthenticationFailed', code: '3200' }], type: 'AUTHENTICATION' } }),
      jsonResponse(200, { Customer: customer }),
    ]);
    const { client, getAccessToken } = makeClient(transport);
    await client.read('Customer', '58');
    expect(getAccessToken.calls).toEqual([{ forceRefresh: false }, { forceRefresh: true, rejectedToken: 'token-1' }]);
    expect(transport.requests.map((r) => r.headers['Authorization'])).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('a second 401 is final: qbo_auth_failed, still only one refresh', async () => {
    const transport = new FakeTransport(() => jsonResponse(401, fault('3200', 'AuthenticationFailed')));
    const { client, getAccessToken } = makeClient(transport);
    await expect(client.read('Customer', '58')).rejects.toMatchObject({ code: 'qbo_auth_failed', status: 401 });
    expect(getAccessToken.calls.filter((c) => c.forceRefresh)).toHaveLength(1);
    expect(transport.requests).toHaveLength(2);
  });

  it('retries a write on 503 with the same requestid and honours Retry-After', async () => {
    const transport = new FakeTransport([
      jsonResponse(429, fault('3001', 'ThrottleExceeded'), { 'retry-after': '2' }),
      jsonResponse(503, {}),
      jsonResponse(200, { Customer: customer }),
    ]);
    const { client, clock } = makeClient(transport);
    await client.create('Customer', { DisplayName: "O'Brien & Sons" }, { requestId });
    expect(transport.urls().map((u) => u.searchParams.get('requestid'))).toEqual(['job-42-create', 'job-42-create', 'job-42-create']);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(2000);
  });

  it('never retries a validation fault, and keeps QBO words', async () => {
    const transport = new FakeTransport(() =>
      jsonResponse(400, fault('6240', 'Duplicate Name Exists Error', 'The name supplied already exists.'), { intuit_tid: 'abc-123' }),
    );
    const { client } = makeClient(transport);
    const error = await client.create('Customer', { DisplayName: 'Smith' }, { requestId }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'qbo_duplicate_name',
      qboCode: '6240',
      message: 'Duplicate Name Exists Error',
      intuitTid: 'abc-123',
    });
    expect(transport.requests).toHaveLength(1);
  });

  it('types a stale SyncToken', async () => {
    const transport = new FakeTransport([jsonResponse(400, fault('5010', 'Stale Object Error', 'You and Bob were working on this at the same time.'))]);
    const { client } = makeClient(transport);
    await expect(client.update('Invoice', { Id: '1', SyncToken: '0' }, { requestId })).rejects.toMatchObject({
      code: 'qbo_stale_sync_token',
    });
  });

  it('turns network failures into typed errors after retrying reads', async () => {
    const transport = new FakeTransport(() => Promise.reject(new TypeError('fetch failed')));
    const { client } = makeClient(transport, { retryPolicy: { maxAttempts: 2 } });
    await expect(client.companyInfo()).rejects.toMatchObject({ code: 'qbo_network' });
    expect(transport.requests).toHaveLength(2);
  });

  it('reports a 200 whose body is not JSON (a proxy’s HTML page) as an unexpected answer, with the status', async () => {
    const transport = new FakeTransport([new Response('<html><body>Service maintenance</body></html>', { status: 200, headers: { 'content-type': 'text/html' } })]);
    const { client } = makeClient(transport);
    await expect(client.read('Customer', '58')).rejects.toMatchObject({
      code: 'qbo_unexpected_response',
      message: 'QuickBooks answered read Customer with a body that is not JSON',
      status: 200,
    });
  });

  it('reports a response that breaks the contract instead of returning half data', async () => {
    const transport = new FakeTransport([jsonResponse(200, { Customer: { Id: 58 } })]);
    const { client } = makeClient(transport);
    await expect(client.read('Customer', '58')).rejects.toMatchObject({ code: 'qbo_unexpected_response' });
  });
});

describe('QboClient batch, reports, company', () => {
  it('batch returns one outcome per item, faults typed', async () => {
    const transport = new FakeTransport([
      jsonResponse(200, {
        BatchItemResponse: [
          { bId: 'c1', Customer: customer },
          { bId: 'c2', Fault: { Error: [{ Message: 'Duplicate Name Exists Error', code: '6240' }], type: 'ValidationFault' } },
          { bId: 'q1', QueryResponse: { Item: [{ Id: '1', SyncToken: '0', Name: 'Design' }] } },
        ],
      }),
    ]);
    const { client } = makeClient(transport);
    const outcomes = await client.batch(
      [
        { bId: 'c1', operation: 'create', entity: 'Customer', body: { DisplayName: "O'Brien & Sons" } },
        { bId: 'c2', operation: 'create', entity: 'Customer', body: { DisplayName: 'Smith' } },
        { bId: 'q1', query: QboQuery.select('Item').where('Name', '=', 'Design') },
      ],
      { requestId },
    );
    expect(outcomes[0]).toMatchObject({ bId: 'c1', ok: true, kind: 'entity', entity: 'Customer', value: { Id: '58' } });
    expect(outcomes[1]).toMatchObject({ bId: 'c2', ok: false, error: { code: 'qbo_duplicate_name', qboCode: '6240' } });
    expect(outcomes[2]).toMatchObject({ bId: 'q1', ok: true, kind: 'query', rows: [{ Name: 'Design' }] });
    expect(JSON.parse(transport.requests[0]?.body ?? '')).toEqual({
      BatchItemRequest: [
        { bId: 'c1', operation: 'create', Customer: { DisplayName: "O'Brien & Sons" } },
        { bId: 'c2', operation: 'create', Customer: { DisplayName: 'Smith' } },
        { bId: 'q1', Query: "select * from Item where Name = 'Design'" },
      ],
    });
    expect(transport.urls()[0]?.pathname.endsWith('/batch')).toBe(true);
  });

  it('reports an item the batch answer leaves out as unanswered, not as written or refused', async () => {
    const transport = new FakeTransport([jsonResponse(200, { BatchItemResponse: [{ bId: 'c1', Customer: customer }] })]);
    const { client } = makeClient(transport);
    const outcomes = await client.batch(
      [
        { bId: 'c1', operation: 'create', entity: 'Customer', body: { DisplayName: 'Smith' } },
        { bId: 'c2', operation: 'create', entity: 'Customer', body: { DisplayName: 'Jones' } },
      ],
      { requestId },
    );
    expect(outcomes[0]).toMatchObject({ bId: 'c1', ok: true });
    expect(outcomes[1]).toMatchObject({ bId: 'c2', ok: false, error: { code: 'qbo_batch_item_unanswered', message: 'QuickBooks returned no answer for batch item c2' } });
  });

  it('refuses more than 30 batch operations', async () => {
    const { client } = makeClient(new FakeTransport([]));
    const items = Array.from({ length: 31 }, (_, i) => ({ bId: `b${i}`, query: QboQuery.select('Item') }));
    await expect(client.batch(items, { requestId })).rejects.toThrow(RangeError);
  });

  it('fetches and parses a ProfitAndLoss report with nested sections', async () => {
    const report = {
      Header: { ReportName: 'ProfitAndLoss', StartPeriod: '2025-01-01', EndPeriod: '2025-01-31', Currency: 'USD' },
      Columns: { Column: [{ ColTitle: '', ColType: 'Account' }, { ColTitle: 'Total', ColType: 'Money' }] },
      Rows: {
        Row: [
          {
            type: 'Section',
            group: 'Income',
            Header: { ColData: [{ value: 'Income' }, { value: '' }] },
            Rows: { Row: [{ type: 'Data', ColData: [{ value: 'Design income', id: '82' }, { value: '2250.00' }] }] },
            Summary: { ColData: [{ value: 'Total Income' }, { value: '2250.00' }] },
          },
        ],
      },
    };
    const transport = new FakeTransport([jsonResponse(200, report)]);
    const { client } = makeClient(transport);
    const parsed = await client.report('ProfitAndLoss', { start_date: '2025-01-01', end_date: '2025-01-31', accounting_method: 'Accrual' });
    expect(parsed.Rows?.Row[0]?.Rows?.Row[0]?.ColData?.[1]?.value).toBe('2250.00');
    const url = transport.urls()[0];
    expect(url?.pathname.endsWith('/reports/ProfitAndLoss')).toBe(true);
    expect(url?.searchParams.get('accounting_method')).toBe('Accrual');
  });

  it('reads CompanyInfo at /companyinfo/<realm> and Preferences', async () => {
    const transport = new FakeTransport([
      jsonResponse(200, { CompanyInfo: { Id: '1', SyncToken: '0', CompanyName: 'Studio', Country: 'US' } }),
      jsonResponse(200, { Preferences: { Id: '1', SyncToken: '0', CurrencyPrefs: { HomeCurrency: { value: 'USD' } } } }),
    ]);
    const { client } = makeClient(transport);
    expect((await client.companyInfo()).CompanyName).toBe('Studio');
    expect((await client.preferences()).CurrencyPrefs?.HomeCurrency?.value).toBe('USD');
    expect(transport.urls().map((u) => u.pathname)).toEqual([`/v3/company/${REALM}/companyinfo/${REALM}`, `/v3/company/${REALM}/preferences`]);
  });

  it('links to records in the environment’s own web app', () => {
    const { client } = makeClient(new FakeTransport([]), { environment: 'sandbox' });
    expect(client.recordUrl('Invoice', '130')).toBe('https://app.sandbox.qbo.intuit.com/app/invoice?txnId=130');
  });
});
