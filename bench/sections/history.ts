import type { Insertable } from 'kysely';
import { buildProduct } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { PushJobsTable } from '../../src/db/tables/sync.js';
import { pushAllApproved } from '../../src/qbo/sync/bulk-push.js';
import type { BenchDatabase } from '../lib/database.js';
import { summarize } from '../lib/stats.js';
import { addFinalInvoices, createStudio, logIn } from '../lib/studio.js';

export interface HistoryTiming {
  readonly query: string;
  readonly url: string;
  readonly p50: number;
  readonly max: number;
  readonly total: number;
}

const COPIES_PER_DOCUMENT = 20;
const DAY_MS = 86_400_000;

/**
 * Sync Center history with `rows` push jobs in one organisation: documents made through the domain, their first
 * jobs queued by "Push all approved", then copied (every column, so the rows stay whatever the schema holds)
 * into a year of history — 90% pushed, 5% failed, 5% dismissed. Timed through the real route, in process
 * (app.inject: auth, validation, query, serialisation; no socket), median of 15 after 3 warm-ups.
 */
export async function measureHistoryPage(db: BenchDatabase, rows: number, secretKey: string): Promise<HistoryTiming[]> {
  const documents = Math.max(1, Math.ceil(rows / COPIES_PER_DOCUMENT));
  const studio = await createStudio(db.db, 'History Studio', { clients: 50 });
  await addFinalInvoices(db.db, studio, documents, 2, db.dialect === 'postgres' ? 8 : 4);
  const realmId = '4620816365299999998';
  await pushAllApproved(db.db, { orgId: studio.org.id, realmId, userId: studio.users[0]?.id ?? null, now: new Date() });
  const template = await db.db.selectFrom('push_jobs').selectAll().where('org_id', '=', studio.org.id).execute();

  const now = Date.now();
  const copies: Insertable<PushJobsTable>[] = [];
  const flush = async (): Promise<void> => {
    if (copies.length === 0) return;
    await db.db.insertInto('push_jobs').values(copies.splice(0)).execute();
  };
  let made = 0;
  for (let k = 0; made < rows; k += 1) {
    for (const job of template) {
      if (made >= rows) break;
      const status: PushJobsTable['status'] = k % 20 === 3 ? 'failed' : k % 20 === 7 ? 'dismissed' : 'pushed';
      const at = new Date(now - k * (365 / COPIES_PER_DOCUMENT) * DAY_MS - made * 1000).toISOString();
      const history = {
        status,
        attempts: status === 'failed' ? 2 : 1,
        qbo_id: status === 'pushed' ? String(10_000 + made) : null,
        qbo_code: status === 'pushed' ? null : '6000',
        qbo_message: status === 'pushed' ? null : 'Account not specified for line item: A business validation error has occurred while processing your request',
        lease_owner: null,
        lease_expires_at: null,
        created_at: at,
        updated_at: at,
        finished_at: at,
        bulk_run_id: null,
      };
      if (k === 0) {
        // The queued originals become the newest history rows themselves.
        await db.db.updateTable('push_jobs').set(history).where('id', '=', job.id).execute();
      } else {
        copies.push({ ...job, ...history, id: `${job.id}-h${k}` });
        if (copies.length >= 500) await flush();
      }
      made += 1;
    }
  }
  await flush();

  const env = { ...db.env, WORKROOM_SECRET_KEY: secretKey, QBO_EMULATOR_URL: 'http://127.0.0.1:9', DEMO_DATA: 'false', LOG_LEVEL: 'silent' };
  const { app } = await buildProduct({ db: db.db, dialect: db.dialect, config: parseConfig(env), logger: false });
  const owner = studio.users[0];
  if (owner === undefined) throw new Error('no owner');
  const { cookie } = await logIn(db.db, studio, owner);
  const queries: [string, string][] = [
    ['newest page', '/api/sync-center/jobs?page=1&pageSize=25'],
    ['failed only', '/api/sync-center/jobs?page=1&pageSize=25&status=failed'],
    ['search by number', '/api/sync-center/jobs?page=1&pageSize=25&q=1234'],
    ['one client', `/api/sync-center/jobs?page=1&pageSize=25&clientId=${studio.clientIds[7] ?? ''}`],
    ['page 200', '/api/sync-center/jobs?page=200&pageSize=25'],
  ];
  const timings: HistoryTiming[] = [];
  try {
    for (const [query, url] of queries) {
      const samples: number[] = [];
      let total = 0;
      for (let i = 0; i < 18; i += 1) {
        const t0 = performance.now();
        const res = await app.inject({ method: 'GET', url, headers: { cookie } });
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
        total = (res.json<{ total: number }>()).total;
        if (i >= 3) samples.push(ms);
      }
      const s = summarize(samples);
      timings.push({ query, url, p50: s.p50, max: s.max, total });
    }
  } finally {
    await app.close();
  }
  return timings;
}
