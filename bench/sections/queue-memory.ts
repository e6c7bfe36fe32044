import { sql } from 'kysely';
import { pushAllApproved } from '../../src/qbo/sync/bulk-push.js';
import type { BenchDatabase } from '../lib/database.js';
import { collectGarbage, MB, watchHeap } from '../lib/memory.js';
import { addFinalInvoices, createStudio } from '../lib/studio.js';

export interface QueueMemory {
  readonly jobs: number;
  readonly enqueueMs: number;
  /** Highest heap above the pre-click baseline while "Push all approved" queued them. */
  readonly peakHeapMB: number;
  /** Heap still held once it returned (after a full GC): the queue lives in the database, not in memory. */
  readonly retainedHeapMB: number;
  readonly storageBytesPerJob: number;
}

const PLACEHOLDER_REALM = '4620816365299999999';

/**
 * Memory for a big queue: `jobs` final invoices, then the Sync Center's "Push all approved" queues them all.
 * Measured in this process around that one call, after a full GC on each side; storage from the database's
 * own size before and after.
 */
export async function measureQueueMemory(db: BenchDatabase, jobs: number): Promise<QueueMemory> {
  const studio = await createStudio(db.db, 'Queue Studio', { clients: 50 });
  await addFinalInvoices(db.db, studio, jobs, 3, 4);
  const storageBefore = await storageBytes(db);
  collectGarbage();
  const baseline = process.memoryUsage().heapUsed;
  const watch = watchHeap();
  const t0 = performance.now();
  const result = await pushAllApproved(db.db, { orgId: studio.org.id, realmId: PLACEHOLDER_REALM, userId: studio.users[0]?.id ?? null, now: new Date() });
  const enqueueMs = performance.now() - t0;
  const peak = watch.stop();
  collectGarbage();
  const retained = process.memoryUsage().heapUsed;
  if (result.queued !== jobs) throw new Error(`expected ${jobs} queued jobs, got ${result.queued}`);
  const storageAfter = await storageBytes(db);
  return {
    jobs,
    enqueueMs,
    peakHeapMB: Math.max(0, peak - baseline) / MB,
    retainedHeapMB: Math.max(0, retained - baseline) / MB,
    storageBytesPerJob: (storageAfter - storageBefore) / jobs,
  };
}

async function storageBytes(db: BenchDatabase): Promise<number> {
  if (db.dialect === 'sqlite') {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db.db);
    const pages = await sql<{ page_count: number }>`pragma page_count`.execute(db.db);
    const size = await sql<{ page_size: number }>`pragma page_size`.execute(db.db);
    return Number(pages.rows[0]?.page_count ?? 0) * Number(size.rows[0]?.page_size ?? 0);
  }
  const row = await sql<{ bytes: string }>`
    select coalesce(sum(pg_total_relation_size(c.oid)), 0)::text as bytes
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'r'`.execute(db.db);
  return Number(row.rows[0]?.bytes ?? 0);
}
