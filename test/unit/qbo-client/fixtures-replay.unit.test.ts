import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InProcessRealmLimiter, QboClient, QboError, QBO_WRITABLE_ENTITIES, RequestIdSchema } from '../../../src/qbo/client/index.js';
import { FakeTransport, fakeRetryClock, jsonResponse } from './fake-transport.js';

const REALM = '4620816365290212450';
const FIXTURE_DIR = new URL('../../fixtures/qbo/', import.meta.url);

/** The emulator's recorded exchanges double as client conformance cases (same request, same reading). */
const FixtureSchema = z.object({
  description: z.string(),
  input: z.record(z.string(), z.unknown()),
  output: z.record(z.string(), z.unknown()),
  request: z.object({ method: z.enum(['GET', 'POST']), path: z.string(), body: z.unknown().optional() }),
  response: z.object({ status: z.number(), body: z.unknown() }),
});

const fixtures = readdirSync(FIXTURE_DIR)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({ name, fixture: FixtureSchema.parse(JSON.parse(readFileSync(new URL(name, FIXTURE_DIR), 'utf8'))) }));

function clientAnswering(status: number, body: unknown) {
  const transport = new FakeTransport(() => jsonResponse(status, body));
  const client = new QboClient({
    platform: { name: 'intuit', oauth: { authorizeUrl: 'x:', tokenUrl: 'x:', revokeUrl: 'x:' }, environments: {
      production: { environment: 'production', apiBaseUrl: 'https://qbo.test', appHost: 'https://app.test' },
      sandbox: { environment: 'sandbox', apiBaseUrl: 'https://sandbox.qbo.test', appHost: 'https://app.sandbox.test' },
    } },
    environment: 'sandbox',
    realmId: REALM,
    getAccessToken: () => Promise.resolve('at'),
    transport,
    limiter: new InProcessRealmLimiter(),
    clock: fakeRetryClock(),
  });
  return { client, transport };
}

function pathAndQuery(url: string): { path: string; params: URLSearchParams } {
  const parsed = new URL(url, 'https://qbo.test');
  return { path: parsed.pathname, params: parsed.searchParams };
}

/** The recordings drop the volatile Id that real QBO always returns on a saved entity; put one back. */
function withVolatileId(body: unknown, entity: string | undefined): unknown {
  const record = z.record(z.string(), z.unknown()).safeParse(body);
  if (entity === undefined || !record.success) return body;
  const saved = z.record(z.string(), z.unknown()).safeParse(record.data[entity]);
  if (!saved.success || 'Id' in saved.data) return body;
  return { ...record.data, [entity]: { Id: '1', ...saved.data } };
}

describe.each(fixtures)('fixture $name', ({ fixture }) => {
  const expected = pathAndQuery(fixture.request.path.replace('{realmId}', REALM));
  const writeEntity = QBO_WRITABLE_ENTITIES.find((e) => expected.path.endsWith(`/${e.toLowerCase()}`));

  it('the client sends the recorded request and reads the recorded answer', async () => {
    const { client, transport } = clientAnswering(fixture.response.status, withVolatileId(fixture.response.body, writeEntity));
    let outcome: unknown;
    const query = expected.params.get('query');
    if (fixture.request.method === 'POST' && writeEntity !== undefined) {
      const body = z.record(z.string(), z.unknown()).parse(fixture.request.body);
      outcome = await client.create(writeEntity, body, { requestId: RequestIdSchema.parse('fixture') }).catch((e: unknown) => e);
      expect(JSON.parse(transport.requests[0]?.body ?? '')).toEqual(fixture.request.body);
    } else if (query?.startsWith('select count(*) from Item')) {
      outcome = await client.count('Item');
    } else if (query?.startsWith('select * from Customer where DisplayName = ')) {
      const name = z.string().parse(fixture.input['displayName'] ?? fixture.input['name']);
      outcome = await client.query('Customer', (q) => q.where('DisplayName', '=', name));
    } else {
      throw new Error(`No replay rule for ${fixture.request.method} ${fixture.request.path}`);
    }

    const sent = pathAndQuery(transport.requests[0]?.url ?? '');
    expect(sent.path).toBe(expected.path);
    for (const [key, value] of expected.params) expect(sent.params.get(key)).toBe(value);

    if (typeof fixture.output['code'] === 'string') {
      expect(outcome).toBeInstanceOf(QboError);
      expect(outcome).toMatchObject({ qboCode: fixture.output['code'], status: fixture.response.status });
    } else {
      expect(outcome).not.toBeInstanceOf(Error);
    }
    if (typeof fixture.output['count'] === 'number') expect(outcome).toBe(fixture.output['count']);
    if (fixture.output['found'] === false) expect(outcome).toMatchObject({ items: [] });
    if (typeof fixture.output['totalAmt'] === 'string') expect(outcome).toMatchObject({ TotalAmt: fixture.output['totalAmt'] });
    if (typeof fixture.output['syncToken'] === 'string') expect(outcome).toMatchObject({ SyncToken: fixture.output['syncToken'] });
  });
});
