import { describe, expect, it } from 'vitest';
import { deriveRequestId, INTUIT_PLATFORM, InProcessRealmLimiter, QboClient, type QboRequest } from '../../../src/qbo/client/index.js';
import type { CreateLedger, CreateSend, PendingCreate } from '../../../src/qbo/sync/pending-creates.js';
import { answerHoldsBody, writePush, writtenOperation, type PreparedPush } from '../../../src/qbo/sync/push-document.js';
import { FakeTransport, fakeRetryClock, fault, jsonResponse } from '../qbo-client/fake-transport.js';

const REALM = '9130354123456789';

function clientOver(transport: FakeTransport): QboClient {
  return new QboClient({
    platform: INTUIT_PLATFORM,
    environment: 'production',
    realmId: REALM,
    getAccessToken: () => Promise.resolve('token'),
    transport,
    limiter: new InProcessRealmLimiter(),
    clock: fakeRetryClock(),
  });
}

const invoice = (Id: string, SyncToken: string) => ({ Invoice: { Id, SyncToken, Line: [], TotalAmt: 10, CustomerRef: { value: '5' } } });
// QBO's 610 names no record: the same words whether the invoice was deleted or a customer or item it uses is inactive.
const objectNotFound = () =>
  jsonResponse(400, fault('610', 'Object Not Found', "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees."));
const stale = () => jsonResponse(400, fault('5010', 'Stale Object Error', 'Stale Object Error : You and API API were working on this at the same time.'));

function prepared(operation: 'create' | 'update'): PreparedPush {
  const base = { DocNumber: 'INV-1001', CustomerRef: { value: '5' }, Line: [] };
  return {
    subject: { documentId: 'd1', documentType: 'invoice', number: 'INV-1001', revision: 3 },
    entity: 'Invoice',
    operation,
    body: operation === 'create' ? base : { ...base, Id: '42', SyncToken: '3', sparse: false },
    sparse: false,
    requestId: deriveRequestId('job-1', 'Invoice', operation),
    workroomTotals: { lineAmountsTotal: '10.00', subtotal: '10.00', taxTotal: '0.00', total: '10.00' },
    party: { qboId: '5', displayName: 'Dana', action: 'remembered', note: null },
    references: { role: 'customer', partyLocalId: 'c1', itemAccountIds: ['1'] },
    rebuildFor: (target) => ({ ...base, Id: target.Id, SyncToken: target.SyncToken }),
    recreate: () => base,
  };
}

/** The document's pending create as pending-creates.ts keeps it, in memory; `sent` lists what was recorded. */
class MemoryLedger implements CreateLedger {
  readonly sent: CreateSend[] = [];
  readonly released: string[] = [];
  constructor(private current: (PendingCreate & { replacesQboId: string | null }) | undefined = undefined) {}
  pending(replacesQboId: string | null): Promise<PendingCreate | undefined> {
    return Promise.resolve(this.current?.replacesQboId === replacesQboId ? this.current : undefined);
  }
  record(send: CreateSend): Promise<void> {
    this.sent.push(send);
    this.current = { requestId: send.requestId, batchItemId: null, docNumber: send.docNumber, replayable: true, replacesQboId: send.replacesQboId };
    return Promise.resolve();
  }
  release(requestId: string): Promise<void> {
    this.released.push(requestId);
    if (this.current?.requestId === requestId) this.current = undefined;
    return Promise.resolve();
  }
  get pendingNow(): PendingCreate | undefined {
    return this.current;
  }
}

const body = (req: QboRequest | undefined): Record<string, unknown> => JSON.parse(req?.body ?? '{}') as Record<string, unknown>;
const requestIdOf = (req: QboRequest | undefined): string | null => (req === undefined ? null : new URL(req.url).searchParams.get('requestid'));

describe('writePush', () => {
  it('creates with the prepared requestid', async () => {
    const transport = new FakeTransport([jsonResponse(200, invoice('42', '0'))]);
    const result = await writePush(clientOver(transport), prepared('create'), new MemoryLedger());
    expect(result).toMatchObject({ ok: true, value: { Id: '42', SyncToken: '0' } });
    expect(transport.requests).toHaveLength(1);
    expect(requestIdOf(transport.requests[0])).toBe(prepared('create').requestId);
    expect(body(transport.requests[0])).not.toHaveProperty('Id');
  });

  it('sends a full update (sparse false) with Id and SyncToken', async () => {
    const transport = new FakeTransport([jsonResponse(200, invoice('42', '4'))]);
    expect((await writePush(clientOver(transport), prepared('update'), new MemoryLedger())).ok).toBe(true);
    expect(body(transport.requests[0])).toMatchObject({ Id: '42', SyncToken: '3', sparse: false });
  });

  it('on a stale SyncToken reads the record again and repeats the update once, under a new requestid', async () => {
    const transport = new FakeTransport([stale(), jsonResponse(200, invoice('42', '7')), jsonResponse(200, invoice('42', '8'))]);
    const result = await writePush(clientOver(transport), prepared('update'), new MemoryLedger());
    expect(result).toMatchObject({ ok: true, value: { SyncToken: '8' } });
    const [first, read, second] = transport.requests;
    expect(read?.method).toBe('GET');
    expect(new URL(read?.url ?? '').pathname).toBe(`/v3/company/${REALM}/invoice/42`);
    expect(body(second)).toMatchObject({ Id: '42', SyncToken: '7', sparse: false, DocNumber: 'INV-1001' });
    expect(requestIdOf(second)).not.toBe(requestIdOf(first));
  });

  it('gives up after one re-read when the record keeps changing, as a refusal the user sees', async () => {
    const transport = new FakeTransport([stale(), jsonResponse(200, invoice('42', '7')), stale()]);
    const result = await writePush(clientOver(transport), prepared('update'), new MemoryLedger());
    expect(result).toMatchObject({ ok: false, error: { code: 'qbo_stale_sync_token', qboCode: '5010', message: 'Stale Object Error', retryable: false } });
    expect(transport.requests).toHaveLength(3);
  });

  it('does not re-read after any other refusal', async () => {
    const transport = new FakeTransport([jsonResponse(400, fault('6140', 'Duplicate Document Number Error', 'DocNumber=INV-1001 is assigned to TxnType=Invoice with TxnId=9'))]);
    const result = await writePush(clientOver(transport), prepared('update'), new MemoryLedger());
    expect(result).toMatchObject({ ok: false, error: { code: 'qbo_duplicate_doc_number', definitiveRejection: true } });
    expect(transport.requests).toHaveLength(1);
  });

  it('creates the document again when the record it updates was deleted in QBO, under a requestid stable for the job', async () => {
    const transport = new FakeTransport([objectNotFound(), objectNotFound(), jsonResponse(200, invoice('57', '0'))]);
    const update = prepared('update');
    const result = await writePush(clientOver(transport), update, new MemoryLedger());
    expect(result).toMatchObject({ ok: true, value: { Id: '57', SyncToken: '0' } });
    const [first, read, create] = transport.requests;
    expect(read?.method).toBe('GET');
    expect(new URL(read?.url ?? '').pathname).toBe(`/v3/company/${REALM}/invoice/42`);
    expect(create?.method).toBe('POST');
    expect(body(create)).toEqual({ DocNumber: 'INV-1001', CustomerRef: { value: '5' }, Line: [] });
    expect(requestIdOf(create)).toBe(deriveRequestId(update.requestId, 'recreate', '42'));
    expect(requestIdOf(create)).not.toBe(requestIdOf(first));
    expect(result.ok && writtenOperation(update, result.value)).toBe('recreated');
    expect(writtenOperation(update, { Id: '42' })).toBe('updated');
    expect(writtenOperation(prepared('create'), { Id: '57' })).toBe('created');
  });

  it('keeps the 610 when the record is still there (a customer or item it uses is inactive), filed under its own heading', async () => {
    const transport = new FakeTransport([objectNotFound(), jsonResponse(200, invoice('42', '3'))]);
    const result = await writePush(clientOver(transport), prepared('update'), new MemoryLedger());
    expect(result).toMatchObject({ ok: false, error: { code: 'qbo_not_found', qboCode: '610', title: 'Record missing or inactive in QuickBooks', message: 'Object Not Found' } });
    expect(transport.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
  });

  it('does not read after a 610 answered to a create', async () => {
    const transport = new FakeTransport([objectNotFound()]);
    const result = await writePush(clientOver(transport), prepared('create'), new MemoryLedger());
    expect(result).toMatchObject({ ok: false, error: { code: 'qbo_not_found', title: 'Record missing or inactive in QuickBooks' } });
    expect(transport.requests).toHaveLength(1);
  });

  it('brings the record up to date when QBO replays an earlier attempt of the job that held an older revision', async () => {
    // A worker died after QBO created the invoice with one line; the job, taken over after an edit, repeats the create.
    const replayed = { Invoice: { Id: '42', SyncToken: '0', TxnDate: '2026-03-02', TotalAmt: 1, CustomerRef: { value: '5' }, Line: [salesLine(1)] } };
    const transport = new FakeTransport([jsonResponse(200, replayed), jsonResponse(200, invoice('42', '0')), jsonResponse(200, invoice('42', '1'))]);
    const create = { ...prepared('create'), body: { ...prepared('create').body, Line: [salesLine(1), salesLine(2)] } };
    const result = await writePush(clientOver(transport), create, new MemoryLedger());
    expect(result).toMatchObject({ ok: true, value: { Id: '42', SyncToken: '1' } });
    const [, read, update] = transport.requests;
    expect(read?.method).toBe('GET');
    expect(body(update)).toMatchObject({ Id: '42', SyncToken: '0', sparse: false });
    expect(requestIdOf(update)).toBe(deriveRequestId(create.requestId, 'replayed', '0'));
    expect(result.ok && writtenOperation(create, result.value)).toBe('created');
  });
});

describe('writePush: a create of a document never makes a second record', () => {
  const pending = (changes: Partial<PendingCreate & { replacesQboId: string | null }> = {}) => ({
    requestId: 'pending-create-of-inv-1001',
    batchItemId: null,
    docNumber: 'INV-1001',
    replayable: true,
    replacesQboId: null,
    ...changes,
  });
  const found = (...records: unknown[]) => jsonResponse(200, { QueryResponse: { Invoice: records, startPosition: 1, maxResults: records.length } });
  const queryOf = (req: QboRequest | undefined) => (req === undefined ? null : new URL(req.url).searchParams.get('query'));

  it('remembers the requestid before sending the first create', async () => {
    const ledger = new MemoryLedger();
    const create = prepared('create');
    const transport = new FakeTransport(() => {
      // The send happens after the requestid is remembered: a worker dying now leaves it for the next push.
      expect(ledger.pendingNow?.requestId).toBe(create.requestId);
      return jsonResponse(200, invoice('42', '0'));
    });
    expect((await writePush(clientOver(transport), create, ledger)).ok).toBe(true);
    expect(ledger.sent).toEqual([{ requestId: create.requestId, docNumber: 'INV-1001', replacesQboId: null }]);
  });

  it('sends a create pending from an earlier job under that job’s requestid, so QBO replays it', async () => {
    const ledger = new MemoryLedger(pending());
    const transport = new FakeTransport([jsonResponse(200, invoice('42', '0'))]);
    const result = await writePush(clientOver(transport), prepared('create'), ledger);
    expect(result).toMatchObject({ ok: true, value: { Id: '42' } });
    expect(transport.requests).toHaveLength(1);
    expect(requestIdOf(transport.requests[0])).toBe('pending-create-of-inv-1001');
    expect(ledger.sent).toEqual([]);
  });

  it('looks for a create that rode in a batch by its DocNumber, and takes the one for the same customer as the answer', async () => {
    const ledger = new MemoryLedger(pending({ requestId: 'batch-1', batchItemId: 'b3', replayable: false }));
    const ours = { Id: '42', SyncToken: '0', DocNumber: 'INV-1001', CustomerRef: { value: '5' }, Line: [] };
    const typedByHand = { Id: '40', SyncToken: '2', DocNumber: 'INV-1001', CustomerRef: { value: '8' }, Line: [] };
    const transport = new FakeTransport([found(typedByHand, ours)]);
    const result = await writePush(clientOver(transport), prepared('create'), ledger);
    expect(result).toMatchObject({ ok: true, value: { Id: '42' } });
    expect(transport.requests.map((r) => r.method)).toEqual(['GET']);
    expect(queryOf(transport.requests[0])).toBe("select * from Invoice where DocNumber = 'INV-1001'");
  });

  it('creates it under a new remembered requestid when the batch never made it', async () => {
    const ledger = new MemoryLedger(pending({ requestId: 'batch-1', batchItemId: 'b3', replayable: false }));
    const create = prepared('create');
    const transport = new FakeTransport([found(), jsonResponse(200, invoice('42', '0'))]);
    expect((await writePush(clientOver(transport), create, ledger)).ok).toBe(true);
    expect(requestIdOf(transport.requests[1])).toBe(create.requestId);
    expect(ledger.sent.map((s) => s.requestId)).toEqual([create.requestId]);
  });

  it('looks first when QBO may have forgotten the requestid, and still sends the create under it when nothing is found', async () => {
    const ledger = new MemoryLedger(pending({ replayable: false }));
    const transport = new FakeTransport([found(), jsonResponse(200, invoice('42', '0'))]);
    expect((await writePush(clientOver(transport), prepared('create'), ledger)).ok).toBe(true);
    expect(transport.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(requestIdOf(transport.requests[1])).toBe('pending-create-of-inv-1001');
  });

  it('brings a found record of an earlier revision up to date with a full update', async () => {
    const ledger = new MemoryLedger(pending({ replayable: false }));
    const older = { Id: '42', SyncToken: '0', DocNumber: 'INV-1001', TxnDate: '2026-03-02', CustomerRef: { value: '5' }, Line: [salesLine(1)] };
    const transport = new FakeTransport([found(older), jsonResponse(200, { Invoice: older }), jsonResponse(200, invoice('42', '1'))]);
    const create = { ...prepared('create'), body: { ...prepared('create').body, Line: [salesLine(2)] } };
    const result = await writePush(clientOver(transport), create, ledger);
    expect(result).toMatchObject({ ok: true, value: { Id: '42', SyncToken: '1' } });
    expect(transport.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'POST']);
    expect(body(transport.requests[2])).toMatchObject({ Id: '42', SyncToken: '0', sparse: false });
  });

  it('forgets the requestid when QBO refuses the create outright, and keeps it when the answer is lost', async () => {
    const refused = new MemoryLedger();
    await writePush(clientOver(new FakeTransport([jsonResponse(400, fault('6000', 'A business validation error has occurred'))])), prepared('create'), refused);
    expect({ released: refused.released, pending: refused.pendingNow }).toEqual({ released: [prepared('create').requestId], pending: undefined });

    const lost = new MemoryLedger();
    const dropped = new FakeTransport(() => Promise.reject(new TypeError('fetch failed')));
    const result = await writePush(clientOver(dropped), prepared('create'), lost);
    expect(result).toMatchObject({ ok: false, error: { retryable: true, definitiveRejection: false } });
    expect({ released: lost.released, pending: lost.pendingNow?.requestId }).toEqual({ released: [], pending: prepared('create').requestId });
  });

  it('re-creates a record deleted in QBO under the requestid of an earlier re-create of it', async () => {
    const ledger = new MemoryLedger(pending({ requestId: 'recreate-of-42', replacesQboId: '42' }));
    const transport = new FakeTransport([objectNotFound(), objectNotFound(), jsonResponse(200, invoice('57', '0'))]);
    expect((await writePush(clientOver(transport), prepared('update'), ledger)).ok).toBe(true);
    expect(requestIdOf(transport.requests[2])).toBe('recreate-of-42');
  });
});

function salesLine(amount: number, taxCode = 'NON') {
  return { DetailType: 'SalesItemLineDetail', Amount: amount, Description: `line ${amount}`, SalesItemLineDetail: { ItemRef: { value: '7' }, Qty: 1, UnitPrice: amount, TaxCodeRef: { value: taxCode } } };
}

describe('answerHoldsBody', () => {
  const sent = { TxnDate: '2026-03-02', Line: [salesLine(10.5), salesLine(3)] };
  const answer = (changes: Record<string, unknown> = {}) => ({
    TxnDate: '2026-03-02',
    Line: [
      { ...salesLine(10.5), Amount: '10.50' },
      salesLine(3),
      { DetailType: 'SubTotalLineDetail', Amount: '13.50', SubTotalLineDetail: {} },
    ],
    ...changes,
  });

  it('sees the lines and date it sent, whatever the number format and QBO’s own subtotal line', () => {
    expect(answerHoldsBody(sent, answer())).toBe(true);
  });

  it('tells an answer holding another revision: date, amount, tax code or a missing line', () => {
    expect(answerHoldsBody(sent, answer({ TxnDate: '2026-03-09' }))).toBe(false);
    expect(answerHoldsBody(sent, answer({ Line: [salesLine(10.5), salesLine(4)] }))).toBe(false);
    expect(answerHoldsBody(sent, answer({ Line: [salesLine(10.5), salesLine(3, 'TAX')] }))).toBe(false);
    expect(answerHoldsBody(sent, answer({ Line: [salesLine(10.5)] }))).toBe(false);
  });
});
