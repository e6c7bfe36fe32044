/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- QBO response JSON is asserted by value. */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { US, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.app.close();
  h = undefined;
});

const customer = (name: string) => ({ DisplayName: name });

describe('throttles', () => {
  it('answers 429 with the throttle body when an 11th request is in flight', async () => {
    h = await startHarness({ latencyMs: 80 });
    const harness = h;
    const results = await Promise.all(Array.from({ length: 11 }, () => harness.call('GET', US, 'companyinfo/1')));
    const throttled = results.filter((r) => r.statusCode === 429);
    expect(throttled).toHaveLength(1);
    expect(throttled[0]!.headers['retry-after']).toBe('1');
    expect(throttled[0]!.json().Fault).toEqual({
      Error: [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', Detail: 'The request limit was reached.  Try again later', code: '3001', element: '' }],
      type: 'SERVICE',
    });
  });

  it('allows 500 requests per sliding minute on the clock, then 429 until the window moves', async () => {
    h = await startHarness({ limits: { perMinute: 500 } });
    for (let i = 0; i < 500; i += 1) expect((await h.call('GET', US, 'preferences')).statusCode).toBe(200);
    const limited = await h.call('GET', US, 'preferences');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    h.clock.advance(61_000);
    expect((await h.call('GET', US, 'preferences')).statusCode).toBe(200);
    expect(h.api.control.counters(US)[US]!.throttled).toBe(1);
  });

  it('limits batch requests per minute separately', async () => {
    h = await startHarness({ limits: { batchPerMinute: 2 } });
    const batch = { BatchItemRequest: [{ bId: '1', Query: 'select * from Item' }] };
    expect((await h.call('POST', US, 'batch', batch)).statusCode).toBe(200);
    expect((await h.call('POST', US, 'batch', batch)).statusCode).toBe(200);
    expect((await h.call('POST', US, 'batch', batch)).statusCode).toBe(429);
    expect((await h.call('GET', US, 'preferences')).statusCode).toBe(200);
  });
});

describe('requestid idempotency', () => {
  it('returns the first response for a repeated requestid and creates nothing', async () => {
    h = await startHarness();
    const first = await h.call('POST', US, 'customer?requestid=job-1-attempt', customer('Replay Co'));
    const second = await h.call('POST', US, 'customer?requestid=job-1-attempt', customer('Replay Co'));
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    expect(h.api.control.listEntities(US, 'Customer').filter((c) => c['DisplayName'] === 'Replay Co')).toHaveLength(1);
    expect(h.api.control.counters(US)[US]).toMatchObject({ replays: 1, replaysByRequestId: { 'job-1-attempt': 1 } });
    const other = await h.call('POST', US, 'customer?requestid=job-2', customer('Replay Co'));
    expect(other.json().Fault.Error[0].code).toBe('6240');
  });
});

describe('fault injection', () => {
  it('fails the next N calls with 500, 503 and 429, then recovers', async () => {
    h = await startHarness();
    h.api.control.injectFault(US, { mode: 'http500', count: 2 });
    h.api.control.injectFault(US, { mode: 'http503' });
    h.api.control.injectFault(US, { mode: 'http429' });
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await h.call('GET', US, 'preferences')).statusCode);
    expect(statuses).toEqual([500, 500, 503, 429, 200]);
    expect(h.api.control.counters(US)[US]!.injectedFaults).toBe(4);
  });

  it('commit_then_500 applies the write; a retry with the same requestid gets the original answer', async () => {
    h = await startHarness();
    h.api.control.injectFault(US, { mode: 'commit_then_500' });
    expect((await h.call('GET', US, 'preferences')).statusCode).toBe(200);
    const lost = await h.call('POST', US, 'customer?requestid=r-1', customer('Lost Response LLC'));
    expect(lost.statusCode).toBe(500);
    expect(lost.json().Fault.Error[0].code).toBe('10000');
    const retry = await h.call('POST', US, 'customer?requestid=r-1', customer('Lost Response LLC'));
    expect(retry.statusCode).toBe(200);
    expect(h.api.control.listEntities(US, 'Customer').filter((c) => c['DisplayName'] === 'Lost Response LLC')).toHaveLength(1);
  });

  it('drops the connection on timeout and after commit (real socket)', async () => {
    h = await startHarness();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/sandbox-quickbooks/v3/company/${US}`;
    const headers = { authorization: `Bearer test-token:${US}`, 'content-type': 'application/json' };
    h.api.control.injectFault(US, { mode: 'timeout', hangMs: 50 });
    await expect(fetch(`${base}/preferences`, { headers })).rejects.toThrow();
    h.api.control.injectFault(US, { mode: 'commit_then_drop' });
    await expect(fetch(`${base}/customer`, { method: 'POST', headers, body: JSON.stringify(customer('Dropped Inc')) })).rejects.toThrow();
    expect(h.api.control.listEntities(US, 'Customer').some((c) => c['DisplayName'] === 'Dropped Inc')).toBe(true);
    expect((await fetch(`${base}/preferences`, { headers })).status).toBe(200);
  });

  it('exposes control over HTTP and resets to the seeded state', async () => {
    h = await startHarness();
    await h.call('POST', US, 'customer', customer('Temporary'));
    const fault = await h.app.inject({ method: 'POST', url: '/_emulator/accounting/faults', payload: { realmId: US, mode: 'http503' } });
    expect(fault.statusCode).toBe(200);
    expect((await h.call('GET', US, 'preferences')).statusCode).toBe(503);
    const counters = await h.app.inject({ method: 'GET', url: `/_emulator/accounting/counters?realmId=${US}` });
    expect(counters.json()[US].byEndpoint).toMatchObject({ 'POST customer': 1, 'GET preferences': 1 });
    expect((await h.app.inject({ method: 'POST', url: '/_emulator/accounting/faults', payload: { realmId: US, mode: 'nope' } })).statusCode).toBe(400);
    await h.app.inject({ method: 'POST', url: '/_emulator/accounting/reset' });
    const list = await h.app.inject({ method: 'GET', url: `/_emulator/accounting/realms/${US}/Customer` });
    expect(list.json().map((c: { DisplayName: string }) => c.DisplayName)).toEqual(['Cool Cars', 'Sonnenschein Family Store']);
  });
});
