import { Decimal } from 'decimal.js';
import type { Kysely } from 'kysely';
import type { Database, DialectName } from '../../../src/db/index.js';
import { fetchTransport, toQboJson, type QboTransport } from '../../../src/qbo/client/index.js';
import { connect, makeService, seedSession, testKeyHex } from '../qbo-connection/harness.js';

type Rec = Record<string, unknown>;

/**
 * Someone working in QuickBooks itself: another app connection to the same company, sending plain Accounting API
 * requests to the emulator (edit, delete, void, rename), as a bookkeeper's edits would arrive.
 */
export interface QboUser {
  call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Rec>;
  read(entity: string, id: string): Promise<Rec>;
  createCustomer(name: string): Promise<Rec>;
  createCustomers(names: readonly string[]): Promise<void>;
  rename(entity: 'Customer' | 'Vendor', id: string, name: string): Promise<Rec>;
  /** Changes the first sales/expense line's quantity by +1 (so the total changes) and the date. */
  editTransaction(entity: 'Invoice' | 'Estimate' | 'PurchaseOrder', id: string, txnDate: string): Promise<Rec>;
  remove(entity: 'Invoice' | 'Estimate' | 'PurchaseOrder', id: string): Promise<void>;
  voidInvoice(id: string): Promise<Rec>;
}

export async function qboUser(options: { db: Kysely<Database>; dialect: DialectName; baseUrl: string; realmId: string }): Promise<QboUser> {
  let seen: { url: string; authorization: string } | undefined;
  const inner = fetchTransport();
  const transport: QboTransport = {
    send(req) {
      seen = { url: req.url, authorization: req.headers['Authorization'] ?? '' };
      return inner.send(req);
    },
  };
  const service = makeService({ db: options.db, dialect: options.dialect, baseUrl: options.baseUrl, keyHex: testKeyHex(), transport });
  const session = await seedSession(options.db);
  const connected = await connect(service, session, options.realmId);
  if (!connected.ok) throw new Error(`QBO user could not connect: ${connected.error}`);
  const client = await service.getClientFor(session.orgId);
  if (!client.ok) throw client.error;
  await client.value.companyInfo();
  if (seen === undefined) throw new Error('no request seen');
  const base = seen.url.slice(0, seen.url.indexOf('/companyinfo/'));
  const authorization = seen.authorization;

  const call: QboUser['call'] = async (method, path, body) => {
    const response = await fetch(`${base}/${path}`, {
      method,
      headers: { Authorization: authorization, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: toQboJson(body) }),
    });
    const json = (await response.json()) as Rec;
    if (!response.ok) throw new Error(`QBO user ${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const read = async (entity: string, id: string) => (await call('GET', `${entity.toLowerCase()}/${id}`))[entity] as Rec;
  const write = async (entity: string, body: Rec, operation?: string) =>
    (await call('POST', `${entity.toLowerCase()}${operation ? `?operation=${operation}` : ''}`, body))[entity] as Rec;

  return {
    call,
    read,
    createCustomer: (name) => write('Customer', { DisplayName: name }),
    async createCustomers(names) {
      for (let i = 0; i < names.length; i += 30) {
        const items = names.slice(i, i + 30).map((name, j) => ({ bId: `c${j}`, operation: 'create', Customer: { DisplayName: name } }));
        await call('POST', 'batch', { BatchItemRequest: items });
      }
    },
    async rename(entity, id, name) {
      const current = await read(entity, id);
      return write(entity, { Id: id, SyncToken: current['SyncToken'], DisplayName: name, sparse: true });
    },
    async editTransaction(entity, id, txnDate) {
      const current = await read(entity, id);
      const lines = (current['Line'] as Rec[]).filter((l) => l['DetailType'] !== 'SubTotalLineDetail');
      let changed = false;
      const edited = lines.map((l) => {
        const detailKey = String(l['DetailType']);
        const detail = l[detailKey] as (Rec & { Qty?: number; UnitPrice?: number }) | undefined;
        if (changed || detail?.Qty === undefined || detail.UnitPrice === undefined) return l;
        changed = true;
        const qty = new Decimal(String(detail.Qty)).plus(1);
        const amount = qty.times(String(detail.UnitPrice)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
        return { ...l, Amount: amount, [detailKey]: { ...detail, Qty: qty } };
      });
      return write(entity, { Id: id, SyncToken: current['SyncToken'], TxnDate: txnDate, Line: edited, sparse: true });
    },
    async remove(entity, id) {
      const current = await read(entity, id);
      await call('POST', `${entity.toLowerCase()}?operation=delete`, { Id: id, SyncToken: current['SyncToken'] });
    },
    async voidInvoice(id) {
      const current = await read('Invoice', id);
      return write('Invoice', { Id: id, SyncToken: current['SyncToken'] }, 'void');
    },
  };
}
