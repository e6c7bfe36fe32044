/**
 * Bad input on every API route: wrong types, huge strings, unicode, SQL metacharacters, negative / NaN /
 * enormous quantities, oversized arrays. Whatever arrives, the answer is never a 5xx; a 4xx carries a
 * message and leaves every table exactly as it was; a 2xx only ever follows input the route's own schema
 * accepts. Routes come from the running server, so a new route is fuzzed as soon as it is registered.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { z } from 'zod';
import type { StartedEmulator } from '../../../src/emulator/index.js';
import type { RouteInfo } from '../../../src/server/index.js';
import { API_ERROR_CODES } from '../../../src/server/api/contract.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { SANDBOX_US } from '../qbo-connection/harness.js';
import { BOOKKEEPING_TABLES, connectQbo, snapshotDatabase, startApi, startTestEmulator, type ApiHarness, type Studio } from './harness.js';

/** Runs per route and kind of input; FUZZ_RUNS raises it for a longer hunt. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
/** Generous, so a longer hunt is not cut off mid-run (a cut-off run would keep writing into the next test). */
const FUZZ_TIMEOUT = 60_000 + RUNS * 10_000;

/** Tables that change without any input being accepted: sessions, log-in throttling, QBO rate-limit permits. */
const NOT_DATA = [...BOOKKEEPING_TABLES, 'qbo_realm_permits', 'qbo_realm_gates'];

let emulator: StartedEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.close();
});

interface Own {
  client: string;
  vendor: string;
  category: string;
  taxCode: string;
  invoice: string;
}

const line = (own: Own) => ({ description: 'Sofa', quantity: '2', rate: '120.50', categoryId: own.category, taxable: true, markupPercent: '10', vendorDiscountPercent: '5' });
const invoice = (own: Own) => ({
  type: 'invoice',
  clientId: own.client,
  issueDate: '2025-03-01',
  dueDate: '2025-04-01',
  notes: 'n',
  lines: [line(own), line(own)],
  attachments: [{ name: 'plan.pdf', size: 10, mime: 'application/pdf' }],
});

/** A valid body for every route that takes one; the fuzzer breaks it one part at a time. */
const VALID_BODIES: Record<string, (own: Own) => unknown> = {
  'POST /api/auth/login': () => ({ email: 'nobody@example.test', password: 'wrong password' }),
  // Never the real current password: a fuzzed body must not lock the fuzzing user out.
  'POST /api/auth/password': () => ({ currentPassword: 'not the password', newPassword: 'a fresh long password' }),
  'PUT /api/organisation': () => ({ name: 'Fuzz Studio', salesTaxRate: '8.25' }),
  'POST /api/users': () => ({ email: 'fuzz@example.test', password: 'long enough', role: 'member' }),
  'PUT /api/users/:id/role': () => ({ role: 'member' }),
  'POST /api/clients': () => ({ fullName: 'F', clientInformation: { name: 'Fuzz', email: 'f@example.test', phone: '1', billingAddress: { line1: 'x', city: 'y', region: 'z', postalCode: '1', country: 'US' } } }),
  'PUT /api/clients/:id': () => ({ clientInformation: { name: 'Fuzz' } }),
  'POST /api/vendors': () => ({ name: 'Fuzz Vendor', email: '', phone: '', address: { line1: 'x' } }),
  'PUT /api/vendors/:id': () => ({ name: 'Fuzz Vendor' }),
  'POST /api/categories': () => ({ name: 'Fuzz Category' }),
  'PUT /api/categories/:id': () => ({ name: 'Fuzz Category' }),
  'POST /api/tax-codes': () => ({ name: 'Fuzz Tax', components: [{ name: 'A', rate: '5' }] }),
  'PUT /api/tax-codes/:id': () => ({ name: 'Fuzz Tax', components: [{ name: 'A', rate: '5' }] }),
  'POST /api/documents': invoice,
  'PUT /api/documents/:id': (own) => ({ ...invoice(own), revision: 1 }),
  'PUT /api/qbo/mapping/accounts': (own) => ({ defaultIncomeAccountId: '1', incomeByCategory: { [own.category]: '3' }, expenseByVendor: { [own.vendor]: '6' } }),
  'PUT /api/qbo/mapping/tax': () => ({ kind: 'sales_tax', salesTaxCodeId: null }),
  'PUT /api/qbo/links/:kind/:id': () => ({ qboId: '1' }),
  'POST /api/qbo/drift/repush': (own) => ({ documentIds: [own.invoice] }),
  'POST /api/qbo/push-jobs/:id/dismiss': () => ({ reason: 'fixed by hand in QuickBooks' }),
};

/** Params of A's own objects, so a body that passes the schema also reaches the domain rules. */
function ownParams(route: RouteInfo, own: Own): Record<string, string> {
  const byPrefix: [string, keyof Own][] = [
    ['/api/clients', 'client'],
    ['/api/vendors', 'vendor'],
    ['/api/categories', 'category'],
    ['/api/tax-codes', 'taxCode'],
    ['/api/documents', 'invoice'],
    ['/api/qbo/documents', 'invoice'],
  ];
  if (route.url.startsWith('/api/qbo/links/')) return { kind: 'clients', id: own.client };
  const key = byPrefix.find(([prefix]) => route.url.startsWith(`${prefix}/`))?.[1];
  return { id: key ? own[key] : 'unknown' };
}

function paramNames(route: RouteInfo): string[] {
  return [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
}

const SQL_AND_FRIENDS = [
  "'; DROP TABLE clients; --",
  "Robert'); DROP TABLE documents;--",
  '" OR 1=1 --',
  "' OR ''='",
  '%',
  '_',
  '\\',
  '!',
  '$1',
  '?',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\u202Egnp.exe',
  '😀'.repeat(300),
  'ｆｕｌｌｗｉｄｔｈ',
  'null',
  'undefined',
  '',
  ' ',
];
const NUMBERISH = ['-1', '-0.01', 'NaN', 'Infinity', '-Infinity', '1e999', '1e3', '0x1F', '1,5', '1.23456', '99999999999999999999', '+1', '１', '--1', '.5', '5.'];

const badString = fc.oneof(
  fc.constantFrom(...SQL_AND_FRIENDS),
  fc.constantFrom(...NUMBERISH),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 201, max: 300_000 }).map((n) => 'x'.repeat(n)),
);
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -1, 0, 0.1),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }),
);
const badValue = fc.oneof(badString, wrongType);

type Path = (string | number)[];

function leafPaths(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return [path, ...value.flatMap((v, i) => leafPaths(v, [...path, i]))];
  if (typeof value === 'object' && value !== null) return [path, ...Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]))];
  return [path];
}

function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    return items.map((v, i) => (i === head ? setAt(v, rest, replacement) : v));
  }
  if (typeof value === 'object' && value !== null) return { ...value, [String(head)]: setAt((value as Record<string, unknown>)[String(head)], rest, replacement) };
  return value;
}

function deleteAt(value: unknown, path: Path): unknown {
  if (path.length === 0) return undefined;
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const parent = parentPath.reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[String(k)] : undefined), value);
  if (Array.isArray(parent)) return setAt(value, parentPath, parent.filter((_, i) => i !== key));
  if (typeof parent === 'object' && parent !== null) return setAt(value, parentPath, Object.fromEntries(Object.entries(parent).filter(([k]) => k !== key)));
  return value;
}

/** One broken version of a valid body: a part replaced, removed, an unknown key added, or an array blown up. */
function brokenBody(valid: unknown): fc.Arbitrary<unknown> {
  const paths = leafPaths(valid);
  const path = fc.constantFrom(...paths);
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(path, badValue).map(([p, v]) => setAt(valid, p, v)) },
    { weight: 2, arbitrary: path.map((p) => deleteAt(valid, p)) },
    { weight: 1, arbitrary: fc.tuple(path, fc.string({ minLength: 1, maxLength: 10 }), fc.jsonValue()).map(([p, k, v]) => setAt(valid, [...p, `zz_${k}`], v)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...paths.filter((p) => p.length > 0)), fc.integer({ min: 201, max: 12_000 })).map(([p, n]) => setAt(valid, p, Array.from({ length: n }, () => valid))) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

const queryKeys = fc.constantFrom('page', 'pageSize', 'q', 'type', 'status', 'clientId', 'vendorId', 'range', 'start', 'end', 'method', 'columns', 'today', 'state', 'code', 'realmId', 'zz');
const badQuery = fc.dictionary(queryKeys, fc.oneof(badString, fc.constantFrom('1', '0', '-5', '101', '1e2', '2.5', '9007199254740993', 'estimate', 'final', 'custom', '2025-02-30', '2025-13-01')), { minKeys: 1, maxKeys: 3 });
const badParam = fc.oneof(badString.filter((s) => s.length > 0 && s.length < 2000), fc.constantFrom('x'.repeat(65), '..', '.', "1' OR '1'='1", '%', '😀'));

function urlFor(route: RouteInfo, params: Record<string, string>, query?: Record<string, string>): string {
  // Every byte percent-encoded, so even text encodeURIComponent refuses (a lone surrogate) can be sent.
  const encode = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  const path = route.url.replace(/:(\w+)/g, (_, name: string) => encode(params[name] ?? 'x'));
  const search = query ? new URLSearchParams(query).toString() : '';
  return search ? `${path}?${search}` : path;
}

function schemaOf(route: RouteInfo, part: 'body' | 'querystring' | 'params'): z.ZodType | undefined {
  const schema = (route.schema as Record<string, unknown> | undefined)?.[part];
  return schema && typeof schema === 'object' && 'safeParse' in schema ? (schema as z.ZodType) : undefined;
}

describeEachDatabase('bad input on every route', (getDb, dialect) => {
  let api: ApiHarness;
  let studio: Studio;
  let own: Own;
  let routes: RouteInfo[];
  let requests = 0;

  beforeAll(async () => {
    api = await startApi({ db: getDb().db, dialect, emulator });
    studio = await api.studio({ name: 'Fuzz Studio' });
    const o = studio.owner;
    const client = await o.json<{ id: string }>('POST', '/api/clients', { clientInformation: { name: 'Fuzz Client' } });
    const vendor = await o.json<{ id: string }>('POST', '/api/vendors', { name: 'Fuzz Vendor' });
    const category = await o.json<{ id: string }>('POST', '/api/categories', { name: 'Fuzz Furniture' });
    const taxCode = await o.json<{ id: string }>('POST', '/api/tax-codes', { name: 'Fuzz code', components: [] });
    own = { client: client.id, vendor: vendor.id, category: category.id, taxCode: taxCode.id, invoice: '' };
    own.invoice = (await o.json<{ id: string }>('POST', '/api/documents', invoice(own))).id;
    await connectQbo(o, SANDBOX_US);
    routes = api.app.routeTable.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD');
  });
  afterAll(async () => {
    await api?.close();
  });

  /** Sends one request and checks the invariant: no 5xx; a 4xx is explained and writes nothing; a 2xx had valid input. */
  async function check(route: RouteInfo, url: string, payload: unknown, valid: () => boolean): Promise<LightMyRequestResponse> {
    requests += 1;
    const before = await snapshotDatabase(api.db, NOT_DATA);
    const res = await studio.owner.request(route.method as 'GET', url, payload);
    const label = `${route.method} ${url.slice(0, 120)} ${JSON.stringify(payload)?.slice(0, 200) ?? ''}`;
    expect(res.statusCode, `${label} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
    if (res.statusCode >= 400) {
      const body = res.json<{ error: string; message: string; field?: string }>();
      expect(API_ERROR_CODES, label).toContain(body.error);
      expect(body.message.length, label).toBeGreaterThan(3);
      expect(await snapshotDatabase(api.db, NOT_DATA), `${label} wrote despite ${res.statusCode}`).toEqual(before);
    } else if (route.url !== '/api/qbo/callback') {
      expect(valid(), `${label} was accepted (${res.statusCode}) but is not valid input`).toBe(true);
    } else {
      // Intuit's redirect with a forged query is refused (a redirect with the reason), and nothing is stored.
      expect(await snapshotDatabase(api.db, NOT_DATA), label).toEqual(before);
    }
    return res;
  }

  it('has a valid example body for every route that takes one', () => {
    const withBody = routes.filter((r) => schemaOf(r, 'body') !== undefined).map((r) => `${r.method} ${r.url}`);
    expect(withBody.length).toBeGreaterThanOrEqual(13);
    expect(withBody.filter((r) => VALID_BODIES[r] === undefined), 'add an example to VALID_BODIES in bad-input.integration.test.ts').toEqual([]);
    for (const route of routes) {
      const example = VALID_BODIES[`${route.method} ${route.url}`];
      const schema = schemaOf(route, 'body');
      if (example && schema) expect(schema.safeParse(example(own)).success, `${route.method} ${route.url} example`).toBe(true);
    }
  });

  it('refuses broken bodies with a 4xx and writes nothing', async () => {
    for (const route of routes) {
      const schema = schemaOf(route, 'body');
      const example = VALID_BODIES[`${route.method} ${route.url}`];
      if (!schema || !example) continue;
      const valid = example(own);
      await fc.assert(
        fc.asyncProperty(brokenBody(valid), async (body) => {
          await check(route, urlFor(route, ownParams(route, own)), body, () => schema.safeParse(body).success);
        }),
        { numRuns: RUNS * 3 },
      );
    }
  }, FUZZ_TIMEOUT);

  it('refuses bad path ids with a 4xx and writes nothing', async () => {
    for (const route of routes.filter((r) => r.url.includes('/:'))) {
      const example = VALID_BODIES[`${route.method} ${route.url}`];
      // One parameter broken at a time, the others A's own, so each one's own check is what answers.
      const params = fc.tuple(fc.constantFrom(...paramNames(route)), badParam).map(([name, value]) => ({ ...ownParams(route, own), [name]: value }));
      await fc.assert(
        fc.asyncProperty(params, async (values) => {
          const res = await check(route, urlFor(route, values), example?.(own), () => false);
          expect(res.statusCode).toBeGreaterThanOrEqual(400);
        }),
        { numRuns: RUNS },
      );
    }
  }, FUZZ_TIMEOUT);

  it('refuses bad query strings with a 4xx (or ignores them on reads) and writes nothing', async () => {
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const schema = schemaOf(route, 'querystring');
      await fc.assert(
        fc.asyncProperty(badQuery, async (query) => {
          await check(route, urlFor(route, ownParams(route, own), query), undefined, () => schema === undefined || schema.safeParse(query).success);
        }),
        { numRuns: RUNS },
      );
    }
  }, FUZZ_TIMEOUT);

  it('answers the classic attacks on documents with a clear 4xx', async () => {
    const o = studio.owner;
    const base = invoice(own);
    const before = await o.json<{ total: number }>('GET', '/api/documents');
    const cases: [string, unknown, RegExp][] = [
      // Small lines, so the body stays under the size limit and the line limit itself answers.
      ['10,000 lines', { ...base, lines: Array.from({ length: 10_000 }, () => ({ quantity: '1', rate: '1' })) }, /^lines: .*200/],
      ['a negative quantity', { ...base, lines: [{ ...line(own), quantity: '-3' }] }, /lines\.0\.quantity/],
      ['NaN', { ...base, lines: [{ ...line(own), quantity: 'NaN' }] }, /lines\.0\.quantity/],
      ['a number, not a decimal string', { ...base, lines: [{ ...line(own), rate: 0.1 }] }, /lines\.0\.rate/],
      ['an enormous quantity', { ...base, lines: [{ ...line(own), quantity: '1'.repeat(40) }] }, /lines\.0\.quantity/],
      ['an exponent', { ...base, lines: [{ ...line(own), rate: '1e6' }] }, /lines\.0\.rate/],
      ['a huge note', { ...base, notes: 'n'.repeat(20_000) }, /notes/],
      ['a body over 1 MiB', { ...base, notes: 'n'.repeat(1_100_000) }, /too large/],
      ['a NUL in a description', { ...base, lines: [{ ...line(own), description: 'a\u0000b' }] }, /lines\.0\.description/],
      ['a client of nobody', { ...base, clientId: "' OR 1=1 --" }, /clientId: unknown client/],
      ['a prototype-polluting key', JSON.parse('{"__proto__": {"admin": true}, "type": "invoice"}') as unknown, /./],
    ];
    for (const [what, body, message] of cases) {
      const res = await check(routes.find((r) => r.method === 'POST' && r.url === '/api/documents') as RouteInfo, '/api/documents', body, () => false);
      expect([400, 413], what).toContain(res.statusCode);
      expect(res.json<{ message: string }>().message, what).toMatch(message);
    }
    expect((await o.json<{ total: number }>('GET', '/api/documents')).total).toBe(before.total);
  });

  it('stores unicode and SQL metacharacters verbatim when they are valid text', async () => {
    const o = studio.owner;
    for (const name of ["O'Brien & Sons", "'; DROP TABLE clients; --", 'Zoë – Ateliér 北京 😀', '%_!\\', '\u202Eright-to-left']) {
      const created = await o.json<{ id: string; clientInformation: { name: string } }>('POST', '/api/clients', { clientInformation: { name } });
      expect(created.clientInformation.name).toBe(name.trim());
      expect((await o.json<{ clientInformation: { name: string } }>('GET', `/api/clients/${created.id}`)).clientInformation.name).toBe(name.trim());
      const found = await o.json<{ items: { id: string }[] }>('GET', `/api/clients?q=${encodeURIComponent(name.trim())}`);
      expect(found.items.map((c) => c.id)).toContain(created.id);
    }
    expect(requests).toBeGreaterThan(100);
  });
});
