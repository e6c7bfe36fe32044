import type { DocumentInputBody } from '../../src/domain/documents.js';
import { createDocument } from '../../src/domain/store/documents.js';
import { DocumentInputSchema } from '../../src/domain/documents.js';
import type { BenchDatabase } from '../lib/database.js';
import { runLoad, type LoadRoute, type LoadUser, type RouteSamples } from '../lib/load.js';
import { freePort, spawnTs, type Child } from '../lib/processes.js';
import { summarize, type LatencySummary } from '../lib/stats.js';
import { addFinalInvoices, createStudio, logIn, type Studio } from '../lib/studio.js';

export interface VirtualUser extends LoadUser {
  readonly studio: Studio;
  readonly documentIds: readonly string[];
  readonly draftId: string;
  readonly draftBody: DocumentInputBody;
}

export interface LoadPopulation {
  readonly studios: readonly Studio[];
  readonly users: readonly VirtualUser[];
}

/** `orgs` studios sharing `users` users, each studio with clients, final invoices, and one draft per user to edit. */
export async function seedLoadPopulation(db: BenchDatabase, options: { users: number; orgs: number; invoicesPerOrg: number }): Promise<LoadPopulation> {
  const studios: Studio[] = [];
  const users: VirtualUser[] = [];
  const perOrg = Math.ceil(options.users / options.orgs);
  for (let s = 0; s < options.orgs; s += 1) {
    const count = Math.min(perOrg, options.users - users.length);
    if (count <= 0) break;
    const studio = await createStudio(db.db, `Load Studio ${s + 1}`, { clients: 10, users: count });
    studios.push(studio);
    const documentIds = await addFinalInvoices(db.db, studio, options.invoicesPerOrg, 3, 4);
    for (const user of studio.users) {
      const draftBody = draftFor(studio, users.length);
      const draft = await createDocument(db.db, studio.org, DocumentInputSchema.parse(draftBody));
      if (!draft.ok) throw new Error(`draft: ${JSON.stringify(draft.error)}`);
      const { cookie } = await logIn(db.db, studio, user);
      users.push({ cookie, index: users.length, studio, documentIds, draftId: draft.value.id, draftBody });
    }
  }
  return { studios, users };
}

function draftFor(studio: Studio, n: number): DocumentInputBody {
  return {
    type: 'invoice',
    clientId: studio.clientIds[n % studio.clientIds.length] as string,
    issueDate: '2026-02-01',
    dueDate: '2026-03-03',
    lines: [
      { description: 'Sample drapery', quantity: '2', rate: '310.00' },
      { description: 'Site measure', quantity: '1', rate: '95.00', taxable: false },
    ],
  };
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

/** What a studio's people do all day: lists, reads, searches and edits of documents and clients. */
export function coreRoutes(): LoadRoute<VirtualUser>[] {
  return [
    { name: 'GET /api/documents', weight: 20, send: (u, api) => api('GET', '/api/documents?type=invoice&page=1&pageSize=25', u.cookie) },
    { name: 'GET /api/documents?q=', weight: 5, send: (u, api) => api('GET', '/api/documents?q=INV&page=1', u.cookie) },
    { name: 'GET /api/documents/:id', weight: 25, send: (u, api) => api('GET', `/api/documents/${pick(u.documentIds)}`, u.cookie) },
    {
      name: 'PUT /api/documents/:id',
      weight: 8,
      send: (u, api) =>
        api('PUT', `/api/documents/${u.draftId}`, u.cookie, {
          ...u.draftBody,
          notes: `edited ${Date.now()}`,
        }),
    },
    { name: 'POST /api/documents', weight: 4, send: (u, api) => api('POST', '/api/documents', u.cookie, u.draftBody) },
    { name: 'GET /api/clients', weight: 15, send: (u, api) => api('GET', '/api/clients?page=1&pageSize=25', u.cookie) },
    { name: 'GET /api/clients/:id', weight: 8, send: (u, api) => api('GET', `/api/clients/${pick(u.studio.clientIds)}`, u.cookie) },
    { name: 'GET /api/auth/me', weight: 5, send: (u, api) => api('GET', '/api/auth/me', u.cookie) },
  ];
}

/** The Sync Center page's own calls, made by everyone (the pushing studio's users watch their push there). */
export function syncCenterRoutes(): LoadRoute<VirtualUser>[] {
  return [
    { name: 'GET /api/sync-center/jobs', weight: 6, send: (u, api) => api('GET', '/api/sync-center/jobs?page=1&pageSize=25', u.cookie) },
    { name: 'GET /api/sync-center/health', weight: 4, send: (u, api) => api('GET', '/api/sync-center/health', u.cookie) },
  ];
}

/** `workroom-qbo serve` on the bench's database, as `npm start` runs it (API, UI, in-process worker). */
export async function startProductServer(env: Record<string, string>): Promise<{ child: Child; baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawnTs('src/cli.ts', ['serve'], { ...env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: baseUrl });
  await child.waitForLine((line) => line.includes(`open ${baseUrl}`), 180_000);
  return { child, baseUrl };
}

export interface RouteReport extends LatencySummary {
  readonly route: string;
  readonly errors: Record<string, number>;
}

export function routeReports(byRoute: Map<string, RouteSamples>): RouteReport[] {
  return [...byRoute].map(([route, samples]) => ({
    route,
    ...summarize(samples.latenciesMs),
    errors: Object.fromEntries([...samples.errors].map(([status, n]) => [String(status), n])),
  }));
}

export { runLoad };
