import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { newId } from '../../db/index.js';
import type { PushRunsTable } from '../../db/tables/sync.js';
import { chunks } from './chunks.js';

/** Where a bulk push (or "Retry all failed") stands: what its progress bar and the API show. */
export interface RunProgress {
  readonly runId: string;
  readonly kind: PushRunsTable['kind'];
  readonly total: number;
  readonly pushed: number;
  readonly failed: number;
  /** Queued or being pushed right now. */
  readonly pending: number;
  readonly done: boolean;
  readonly startedBy: string | null;
  readonly startedAt: string;
}

export interface NewRun {
  readonly orgId: string;
  readonly realmId: string;
  readonly kind: PushRunsTable['kind'];
  readonly startedBy: string | null;
  readonly jobIds: readonly string[];
  readonly now: Date;
}

export async function createRun(db: Kysely<Database>, run: NewRun, id: string = newId()): Promise<string> {
  await db
    .insertInto('push_runs')
    .values({
      id,
      org_id: run.orgId,
      realm_id: run.realmId,
      kind: run.kind,
      started_by: run.startedBy,
      total: run.jobIds.length,
      created_at: run.now.toISOString(),
    })
    .execute();
  // Chunked: SQLite caps the number of bound parameters per statement.
  for (const part of chunks(run.jobIds, 400)) {
    await db
      .insertInto('push_run_jobs')
      .values(part.map((jobId) => ({ run_id: id, job_id: jobId })))
      .execute();
  }
  return id;
}

/** A run's counts by the current status of its jobs; undefined when the organisation has no such run. */
export async function readRunProgress(db: Kysely<Database>, orgId: string, runId: string): Promise<RunProgress | undefined> {
  const run = await db.selectFrom('push_runs').selectAll().where('id', '=', runId).where('org_id', '=', orgId).executeTakeFirst();
  if (!run) return undefined;
  const counts = await db
    .selectFrom('push_run_jobs as r')
    .innerJoin('push_jobs as j', 'j.id', 'r.job_id')
    .select(['j.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.run_id', '=', runId)
    .groupBy('j.status')
    .execute();
  const by = (statuses: readonly string[]): number => counts.filter((c) => statuses.includes(c.status)).reduce((sum, c) => sum + Number(c.n), 0);
  const pending = by(['queued', 'pushing']);
  return {
    runId: run.id,
    kind: run.kind,
    total: run.total,
    pushed: by(['pushed']),
    failed: by(['failed', 'dismissed']),
    pending,
    done: pending === 0,
    startedBy: run.started_by,
    startedAt: run.created_at,
  };
}

/** The newest run still pushing, so the page can pick its progress bar up again after a reload. */
export async function activeRun(db: Kysely<Database>, orgId: string): Promise<RunProgress | undefined> {
  const recent = await db.selectFrom('push_runs').select('id').where('org_id', '=', orgId).orderBy('created_at', 'desc').limit(5).execute();
  for (const { id } of recent) {
    const progress = await readRunProgress(db, orgId, id);
    if (progress && !progress.done) return progress;
  }
  return undefined;
}

/**
 * In-process hints that an organisation's jobs changed, so a progress stream re-reads at once instead of at its
 * next poll. Only a hint: workers in other processes are seen by the poll.
 */
export class ProgressSignals {
  readonly #listeners = new Map<string, Set<() => void>>();

  subscribe(orgId: string, listener: () => void): () => void {
    const set = this.#listeners.get(orgId) ?? new Set();
    set.add(listener);
    this.#listeners.set(orgId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(orgId);
    };
  }

  notify(orgId: string): void {
    for (const listener of this.#listeners.get(orgId) ?? []) listener();
  }
}
