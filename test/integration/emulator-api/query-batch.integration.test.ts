/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- QBO response JSON is asserted by value. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { US, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.app.close();
});

const q = (text: string) => `query?query=${encodeURIComponent(text)}&minorversion=75`;

describe('query endpoint', () => {
  it("finds O'Brien with an escaped quote, pages, counts, and takes an application/text body", async () => {
    for (const name of ["O'Brien & Sons", 'Alpha Drapery', 'Beta Lighting', 'Gamma Rugs']) {
      expect((await h.call('POST', US, 'customer', { DisplayName: name })).statusCode).toBe(200);
    }
    const obrien = await h.call('GET', US, q("select * from Customer where DisplayName = 'o\\'brien & sons'"));
    expect(obrien.json().QueryResponse).toMatchObject({ startPosition: 1, maxResults: 1, Customer: [{ DisplayName: "O'Brien & Sons" }] });

    const page = await h.call('GET', US, q('select * from Customer orderby DisplayName startposition 2 maxresults 2'));
    expect(page.json().QueryResponse.Customer.map((c: { DisplayName: string }) => c.DisplayName)).toEqual(['Beta Lighting', 'Cool Cars']);
    expect(page.json().QueryResponse).toMatchObject({ startPosition: 2, maxResults: 2 });

    expect((await h.call('GET', US, q('select count(*) from Customer'))).json().QueryResponse).toEqual({ totalCount: 6 });
    expect((await h.call('POST', US, 'query', "select * from Customer where DisplayName like 'gamma%'")).json().QueryResponse.Customer).toHaveLength(1);
    const none = await h.call('GET', US, q("select * from Customer where DisplayName = 'Nobody'"));
    expect(none.json().QueryResponse).toEqual({});
  });

  it('answers a parse error with 4000 QueryParserError', async () => {
    const res = await h.call('GET', US, q("select * from Vendor where DisplayName = 'Cutlery 'R Us'"));
    expect(res.statusCode).toBe(400);
    expect(res.json().Fault.Error[0]).toMatchObject({ code: '4000', Message: 'Error parsing query' });
    expect(res.json().Fault.Error[0].Detail).toMatch(/^QueryParserError: Encountered " R "/);
  });

  it('refuses MAXRESULTS above 1000 and an unknown entity as query validation errors', async () => {
    const tooMany = await h.call('GET', US, q('select * from Customer maxresults 1500'));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().Fault.Error[0]).toMatchObject({ Message: 'Invalid query', Detail: 'QueryValidationError: value 1500 is too large. Max allowed value is 1000' });
    expect((await h.call('GET', US, q('select * from Customer maxresults 1000'))).statusCode).toBe(200);
    expect((await h.call('GET', US, q('select * from Widget'))).json().Fault.Error[0].Message).toBe('Invalid query');
  });
});

describe('batch', () => {
  it('runs operations in order but hides records created earlier in the same batch', async () => {
    const res = await h.call('POST', US, 'batch', {
      BatchItemRequest: [
        { bId: 'c1', operation: 'create', Customer: { DisplayName: 'Batch Born' } },
        { bId: 'q1', Query: "select * from Customer where DisplayName = 'Batch Born'" },
        { bId: 'i1', operation: 'create', Invoice: { CustomerRef: { value: '5' }, Line: [{ Amount: 5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' } } }] } },
        { bId: 'i2', operation: 'create', Invoice: { CustomerRef: { value: '1' }, Line: [{ Amount: 5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' } } }] } },
        { bId: 'v1', operation: 'create', Vendor: { DisplayName: 'batch born' } },
      ],
    });
    expect(res.statusCode).toBe(200);
    const items = res.json().BatchItemResponse as Array<Record<string, { Error?: Array<{ code: string; element: string }> } & Record<string, unknown>>>;
    expect(items.map((i) => i['bId'])).toEqual(['c1', 'q1', 'i1', 'i2', 'v1']);
    expect(items[0]!['Customer']).toMatchObject({ Id: '5' });
    expect(items[1]!['QueryResponse']).toEqual({});
    expect(items[2]!['Fault']!.Error![0]).toMatchObject({ code: '2500', element: 'CustomerRef' });
    expect(items[3]!['Invoice']).toMatchObject({ TotalAmt: 5 });
    expect(items[4]!['Fault']!.Error![0]!.code).toBe('6240');
    const after = await h.call('POST', US, 'invoice', { CustomerRef: { value: '5' }, Line: [{ Amount: 5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' } } }] });
    expect(after.statusCode).toBe(200);
  });

  it('refuses more than 30 operations', async () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ bId: String(i), Query: 'select * from Item' }));
    expect((await h.call('POST', US, 'batch', { BatchItemRequest: items(30) })).statusCode).toBe(200);
    const tooMany = await h.call('POST', US, 'batch', { BatchItemRequest: items(31) });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().Fault.Error[0].code).toBe('1040');
  });
});
