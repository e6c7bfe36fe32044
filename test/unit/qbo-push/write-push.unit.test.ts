import { describe, expect, it } from 'vitest';
import { deriveRequestId, INTUIT_PLATFORM, InProcessRealmLimiter, QboClient, type QboRequest } from '../../../src/qbo/client/index.js';
import { writePush, type PreparedPush } from '../../../src/qbo/sync/push-document.js';
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
  };
}

const body = (req: QboRequest | undefined): Record<string, unknown> => JSON.parse(req?.body ?? '{}') as Record<string, unknown>;
const requestIdOf = (req: QboRequest | undefined): string | null => (req === undefined ? null : new URL(req.url).searchParams.get('requestid'));

describe('writePush', () => {
  it('creates with the prepared requestid', async () => {
    const transport = new FakeTransport([jsonResponse(200, invoice('42', '0'))]);
    const result = await writePush(clientOver(transport), prepared('create'));
    expect(result).toMatchObject({ ok: true, value: { Id: '42', SyncToken: '0' } });
    expect(transport.requests).toHaveLength(1);
    expect(requestIdOf(transport.requests[0])).toBe(prepared('create').requestId);
    expect(body(transport.requests[0])).not.toHaveProperty('Id');
  });

  it('sends a full update (sparse false) with Id and SyncToken', async () => {
    const transport = new FakeTransport([jsonResponse(200, invoice('42', '4'))]);
    expect((await writePush(clientOver(transport), prepared('update'))).ok).toBe(true);
    expect(body(transport.requests[0])).toMatchObject({ Id: '42', SyncToken: '3', sparse: false });
  });

  it('on a stale SyncToken reads the record again and repeats the update once, under a new requestid', async () => {
    const transport = new FakeTransport([stale(), jsonResponse(200, invoice('42', '7')), jsonResponse(200, invoice('42', '8'))]);
    const result = await writePush(clientOver(transport), prepared('update'));
    expect(result).toMatchObject({ ok: true, value: { SyncToken: '8' } });
    const [first, read, second] = transport.requests;
    expect(read?.method).toBe('GET');
    expect(new URL(read?.url ?? '').pathname).toBe(`/v3/company/${REALM}/invoice/42`);
    expect(body(second)).toMatchObject({ Id: '42', SyncToken: '7', sparse: false, DocNumber: 'INV-1001' });
    expect(requestIdOf(second)).not.toBe(requestIdOf(first));
  });

  it('gives up after one re-read when the record keeps changing, as a refusal the user sees', async () => {
    const transport = new FakeTransport([stale(), jsonResponse(200, invoice('42', '7')), stale()]);
    const result = await writePush(clientOver(transport), prepared('update'));
    expect(result).toMatchObject({ ok: false, error: { code: 'qbo_stale_sync_token', qboCode: '5010', message: 'Stale Object Error', retryable: false } });
    expect(transport.requests).toHaveLength(3);
  });

  it('does not re-read after any other refusal', async () => {
    const transport = new FakeTransport([jsonResponse(400, fault('6140', 'Duplicate Document Number Error', 'DocNumber=INV-1001 is assigned to TxnType=Invoice with TxnId=9'))]);
    const result = await writePush(clientOver(transport), prepared('update'));
    expect(result).toMatchObject({ ok: false, error: { code: 'qbo_duplicate_doc_number', definitiveRejection: true } });
    expect(transport.requests).toHaveLength(1);
  });
});
