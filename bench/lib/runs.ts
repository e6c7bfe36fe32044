import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/index.js';

/** A bulk push run as the database saw it: when its last job settled, and how its jobs ended. */
export interface RunOutcome {
  readonly jobs: number;
  readonly pushed: number;
  readonly failed: number;
  readonly pending: number;
  /** Epoch ms of the last finished_at among its jobs. */
  readonly lastFinishedAt: number | null;
  readonly attempts: number;
  readonly failures: Record<string, number>;
  /** A few distinct failure messages, verbatim, to say what went wrong. */
  readonly failureMessages: string[];
}

export async function runOutcome(db: Kysely<Database>, runIds: readonly string[]): Promise<RunOutcome> {
  if (runIds.length === 0) return { jobs: 0, pushed: 0, failed: 0, pending: 0, lastFinishedAt: null, attempts: 0, failures: {}, failureMessages: [] };
  const rows = await db
    .selectFrom('push_run_jobs as r')
    .innerJoin('push_jobs as j', 'j.id', 'r.job_id')
    .select([
      'j.status',
      'j.qbo_code',
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(j.attempts)`.as('attempts'),
      sql<string | null>`max(j.finished_at)`.as('last'),
    ])
    .where('r.run_id', 'in', runIds)
    .groupBy(['j.status', 'j.qbo_code'])
    .execute();
  let jobs = 0;
  let pushed = 0;
  let failed = 0;
  let pending = 0;
  let attempts = 0;
  let last: string | null = null;
  const failures: Record<string, number> = {};
  for (const row of rows) {
    const n = Number(row.n);
    jobs += n;
    attempts += Number(row.attempts);
    if (row.status === 'pushed') pushed += n;
    else if (row.status === 'failed' || row.status === 'dismissed') {
      failed += n;
      failures[row.qbo_code ?? 'unknown'] = (failures[row.qbo_code ?? 'unknown'] ?? 0) + n;
    } else pending += n;
    if (row.last !== null && (last === null || row.last > last)) last = row.last;
  }
  const messages =
    failed === 0
      ? []
      : await db
          .selectFrom('push_run_jobs as r')
          .innerJoin('push_jobs as j', 'j.id', 'r.job_id')
          .select(['j.qbo_message', 'j.qbo_detail'])
          .distinct()
          .where('r.run_id', 'in', runIds)
          .where('j.status', 'in', ['failed', 'dismissed'])
          .limit(5)
          .execute();
  return {
    jobs,
    pushed,
    failed,
    pending,
    lastFinishedAt: last === null ? null : Date.parse(last),
    attempts,
    failures,
    failureMessages: messages.map((m) => [m.qbo_message, m.qbo_detail].filter(Boolean).join(' | ')),
  };
}

/** Polls until every job of the runs has settled (pushed or failed), or the time is up. */
export async function waitForRuns(db: Kysely<Database>, runIds: readonly string[], timeoutMs: number, pollMs = 100): Promise<RunOutcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await runOutcome(db, runIds);
    if (outcome.pending === 0 || Date.now() > deadline) return outcome;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
