import { createRequire } from 'node:module';
import type QuickBooksModule from 'node-quickbooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';
import { connectRealm, type Connection } from './connect.js';

// node-quickbooks is CommonJS and its typings declare a default export its runtime does not have.
type QuickBooksCtor = (typeof QuickBooksModule)['default'];
type QuickBooksClient = InstanceType<QuickBooksCtor>;
const require = createRequire(import.meta.url);
const QuickBooks = require('node-quickbooks') as QuickBooksCtor;

type Callback = (err: unknown, data?: unknown) => void;
type Json = Record<string, unknown>;

/** What node-quickbooks hands its callback on failure: the HTTP status and the parsed body. */
class ClientFailure extends Error {
  constructor(
    readonly status: number | undefined,
    readonly body: unknown,
  ) {
    super(`node-quickbooks call failed with ${String(status)}`);
  }
}

/** node-quickbooks answers through callbacks, with the axios error as `err` on HTTP failures. */
function call<T = Json>(invoke: (callback: Callback) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    invoke((err, data) => {
      if (!err) return resolve(data as T);
      const response = (err as { response?: { status?: number; data?: unknown } }).response;
      reject(new ClientFailure(response?.status, response?.data ?? data));
    });
  });
}

const ORIGINAL = { base: QuickBooks.V3_ENDPOINT_BASE_URL, token: QuickBooks.TOKEN_URL, revoke: QuickBooks.REVOKE_URL };

let emulator: StartedEmulator;
let connection: Connection;

function client(conn: Connection, useSandbox = true): QuickBooksClient {
  return new QuickBooks(
    EMULATOR_CLIENT_ID,
    EMULATOR_CLIENT_SECRET,
    conn.accessToken,
    false,
    conn.realmId,
    useSandbox,
    false,
    null,
    '2.0',
    conn.refreshToken,
  );
}

function incomeTotal(report: Json): number {
  const rows = ((report['Rows'] as Json | undefined)?.['Row'] ?? []) as Json[];
  const income = rows.find((row) => row['group'] === 'Income');
  const colData = ((income?.['Summary'] as Json | undefined)?.['ColData'] ?? []) as { value: string }[];
  return Number(colData[1]?.value ?? '0');
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
  QuickBooks.V3_ENDPOINT_BASE_URL = `${emulator.urls.apiBaseUrl('sandbox')}/v3/company/`;
  QuickBooks.TOKEN_URL = emulator.urls.tokenUrl;
  QuickBooks.REVOKE_URL = emulator.urls.revokeUrl;
  const sandbox = emulator.directory.listCompanies().find((c) => c.environment === 'sandbox' && c.country === 'US');
  if (!sandbox) throw new Error('the emulator has no US sandbox company');
  connection = await connectRealm(emulator, sandbox.realmId);
});

afterEach(() => {
  emulator.clock.reset();
});

afterAll(async () => {
  QuickBooks.V3_ENDPOINT_BASE_URL = ORIGINAL.base;
  QuickBooks.TOKEN_URL = ORIGINAL.token;
  QuickBooks.REVOKE_URL = ORIGINAL.revoke;
  await emulator.close();
});

describe('node-quickbooks, unmodified, against the emulator', () => {
  it('creates a customer and an invoice with an item, queries them, and sees the invoice in the P&L', async () => {
    const qbo = client(connection);
    const today = new Date(emulator.clock.now()).toISOString().slice(0, 10);
    const yearStart = `${today.slice(0, 4)}-01-01`;
    const pnlBefore = await call<Json>((cb) => qbo.reportProfitAndLoss({ start_date: yearStart, end_date: today }, cb));

    const customer = await call<Json>((cb) => qbo.createCustomer({ DisplayName: 'Fidelity Interiors Ltd' }, cb));
    const customerId = String((customer['Customer'] ?? customer)['Id' as never]);
    expect(customerId).toMatch(/^\d+$/);

    const accounts = await call<Json>((cb) => qbo.findAccounts({ AccountType: 'Income' }, cb));
    const incomeAccount = ((accounts['QueryResponse'] as Json)['Account'] as Json[])[0];
    expect(incomeAccount).toBeDefined();
    const item = await call<Json>((cb) =>
      qbo.createItem({ Name: 'Fidelity design hour', Type: 'Service', IncomeAccountRef: { value: String(incomeAccount?.['Id']) } }, cb),
    );
    const itemId = String(item['Id']);

    const invoice = await call<Json>((cb) =>
      qbo.createInvoice(
        {
          CustomerRef: { value: customerId },
          TxnDate: today,
          Line: [
            {
              Amount: 150,
              DetailType: 'SalesItemLineDetail',
              SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: 2, UnitPrice: 75, TaxCodeRef: { value: 'NON' } },
            },
          ],
        },
        cb,
      ),
    );
    expect(invoice['TotalAmt']).toBe(150);
    expect(invoice['SyncToken']).toBe('0');

    const found = await call<Json>((cb) => qbo.findCustomers({ DisplayName: 'Fidelity Interiors Ltd' }, cb));
    const customers = (found['QueryResponse'] as Json)['Customer'] as Json[];
    expect(customers.map((c) => c['Id'])).toEqual([customerId]);

    const invoices = await call<Json>((cb) => qbo.findInvoices([{ field: 'CustomerRef', value: customerId, operator: '=' }], cb));
    expect(((invoices['QueryResponse'] as Json)['Invoice'] as Json[]).map((i) => i['TotalAmt'])).toEqual([150]);

    const pnlAfter = await call<Json>((cb) => qbo.reportProfitAndLoss({ start_date: yearStart, end_date: today }, cb));
    expect((pnlAfter['Header'] as Json)['ReportName']).toBe('ProfitAndLoss');
    expect(incomeTotal(pnlAfter) - incomeTotal(pnlBefore)).toBeCloseTo(150, 2);
  });

  it('gets QBO’s duplicate-name fault through the client', async () => {
    const qbo = client(connection);
    await call((cb) => qbo.createCustomer({ DisplayName: 'Twice Named Studio' }, cb));
    await expect(call((cb) => qbo.createCustomer({ DisplayName: 'Twice Named Studio' }, cb))).rejects.toMatchObject({
      status: 400,
      body: { Fault: { Error: [{ code: '6240', Message: 'Duplicate Name Exists Error' }], type: 'ValidationFault' } },
    });
  });

  it('after the access token expires, refreshAccessToken gets a working one', async () => {
    const conn = await connectRealm(emulator, connection.realmId);
    const qbo = client(conn);
    emulator.clock.advance(3600 * 1000);
    await expect(call((cb) => qbo.getCompanyInfo(conn.realmId, cb))).rejects.toMatchObject({ status: 401 });
    const refreshed = await call<Json>((cb) => qbo.refreshAccessToken(cb));
    expect(refreshed['access_token']).not.toBe(conn.accessToken);
    const info = await call<Json>((cb) => qbo.getCompanyInfo(conn.realmId, cb));
    expect(info['CompanyName']).toEqual(expect.any(String));
  });

  it('a sandbox company does not answer on the production base URL', async () => {
    const production = client(connection, false);
    await expect(call((cb) => production.getCompanyInfo(connection.realmId, cb))).rejects.toMatchObject({ status: 403 });
  });

  it('revokeAccess ends the connection', async () => {
    const conn = await connectRealm(emulator, connection.realmId);
    const qbo = client(conn);
    await call((cb) => qbo.revokeAccess(true, cb));
    const stale = client(conn);
    await expect(call((cb) => stale.getCompanyInfo(conn.realmId, cb))).rejects.toMatchObject({ status: 401 });
  });
});
