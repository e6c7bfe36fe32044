import { PostgresAdapter, sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database, DialectName } from '../../db/index.js';
import { newId } from '../../db/index.js';
import type { PushAttemptTrigger, PushJobsTable } from '../../db/tables/sync.js';

export type PushJob = Selectable<PushJobsTable>;

/**
 * A transaction on PostgreSQL. On SQLite the steps run one after another instead: its driver blocks the whole
 * process while it waits for the write lock, so two handles in one process (tests, a worker beside the server)
 * would wait on each other forever inside interleaved transactions. Each step is itself atomic there, and
 * callers order them so that a crash between two steps loses only history, never a job.
 */
export async function atomically<T>(db: Kysely<Database>, steps: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.getExecutor().adapter instanceof PostgresAdapter ? db.transaction().execute(steps) : steps(db);
}

export interface EnqueuePush {
  orgId: string;
  realmId: string;
  documentId: string;
  documentType: string;
  documentRevision: number;
  startedBy: string | null;
  bulkRunId?: string | undefined;
  /** 'push' (one document) unless part of a bulk run. */
  trigger?: 'push' | 'bulk' | undefined;
}

/**
 * Enqueues to one company file take turns on PostgreSQL (a transaction-scoped advisory lock, in a key space of its
 * own), so two clicks at once never both find a document without a job and both queue one. On SQLite the
 * transaction already holds the only connection, and the write lock before it writes.
 */
export async function serialiseEnqueues(trx: Kysely<Database>, orgId: string, realmId: string): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select pg_advisory_xact_lock(hashtext('workroom-qbo push_jobs enqueue'), hashtext(${`${orgId}:${realmId}`}))`.execute(trx);
}

/** A new job, due at once. */
export function newJobRow(input: EnqueuePush, now: Date, id: string = newId()): Insertable<PushJobsTable> {
  const at = now.toISOString();
  return {
    id,
    org_id: input.orgId,
    realm_id: input.realmId,
    document_id: input.documentId,
    document_type: input.documentType,
    document_revision: input.documentRevision,
    status: 'queued',
    run_after: at,
    lease_owner: null,
    lease_expires_at: null,
    request_id: newId(),
    bulk_run_id: input.bulkRunId ?? null,
    qbo_id: null,
    qbo_code: null,
    qbo_message: null,
    qbo_detail: null,
    started_by: input.startedBy,
    next_attempt_by: input.startedBy,
    next_attempt_trigger: input.trigger ?? (input.bulkRunId === undefined ? 'push' : 'bulk'),
    batch_request_id: null,
    batch_item_id: null,
    streak_attempts: 0,
    streak_started_at: null,
    request_id_claims: 0,
    created_at: at,
    updated_at: at,
    finished_at: null,
  };
}

/**
 * Queues a push of a document revision to a realm, so that a double click, an overlapping bulk run or a push after
 * an edit never leaves two jobs of one document waiting:
 * - that revision (or a newer one) already queued or pushing: that job;
 * - an older revision still queued: that job takes the new revision (a push sends the document as it is then);
 * - that revision failed: that job goes back in the queue, its history kept, as "Push all approved" does;
 * - otherwise a new job.
 * `created` is true only for a new job.
 */
export async function enqueuePush(db: Kysely<Database>, input: EnqueuePush, now: Date): Promise<{ job: PushJob; created: boolean }> {
  const at = now.toISOString();
  const trigger = input.trigger ?? (input.bulkRunId === undefined ? 'push' : 'bulk');
  // The user asked for it now: due at once, under their name, with a fresh budget of automatic retries.
  const again = {
    run_after: at,
    next_attempt_by: input.startedBy,
    next_attempt_trigger: trigger,
    streak_attempts: 0,
    streak_started_at: null,
    updated_at: at,
    ...(input.bulkRunId === undefined ? {} : { bulk_run_id: input.bulkRunId }),
  };
  return db.transaction().execute(async (trx) => {
    await serialiseEnqueues(trx, input.orgId, input.realmId);
    const jobs = await trx
      .selectFrom('push_jobs')
      .selectAll()
      .where('org_id', '=', input.orgId)
      .where('realm_id', '=', input.realmId)
      .where('document_id', '=', input.documentId)
      .where('status', 'in', ['queued', 'pushing', 'failed'])
      .orderBy('created_at', 'desc')
      .execute();
    const existing = jobs.find((j) => j.status !== 'failed' && j.document_revision >= input.documentRevision);
    if (existing) return { job: existing, created: false };
    const waiting = jobs.find((j) => j.status === 'queued');
    if (waiting) {
      const taken = await trx
        .updateTable('push_jobs')
        .set({ ...again, document_revision: input.documentRevision })
        .where('id', '=', waiting.id)
        .where('status', '=', 'queued')
        .returningAll()
        .executeTakeFirst();
      if (taken) return { job: taken, created: false };
    }
    const failed = jobs.find((j) => j.status === 'failed' && j.document_revision === input.documentRevision);
    if (failed) {
      const requeued = await trx
        .updateTable('push_jobs')
        .set({ ...again, status: 'queued', finished_at: null })
        .where('id', '=', failed.id)
        .where('status', '=', 'failed')
        .returningAll()
        .executeTakeFirst();
      if (requeued) return { job: requeued, created: false };
    }
    const job = await trx.insertInto('push_jobs').values(newJobRow(input, now)).returningAll().executeTakeFirstOrThrow();
    return { job, created: true };
  });
}

export interface ClaimOptions {
  workerId: string;
  limit: number;
  leaseMs: number;
  now: Date;
  /** Only these jobs (a push the user is waiting on); otherwise any due job. */
  jobIds?: readonly string[];
  /** Realms at their QBO budget right now: their jobs stay queued for a worker that can push them. */
  excludeRealms?: readonly string[];
}

/** Serialises claims across PostgreSQL workers, so each sees which documents the one before it took. */
const CLAIM_LOCK = sql`pg_advisory_xact_lock(hashtext('workroom-qbo push_jobs claim'))`;

/**
 * Takes due jobs, and jobs whose worker's lease ran out (it died mid-push), for this worker, and opens an
 * attempt row for each, naming who asked for it.
 *
 * Never two jobs of one document at once: a job is not taken while another job of its document is being pushed
 * under a live lease, and of several that could run only one is taken (two pushes of one document racing each
 * other could both create it). PostgreSQL: claims take turns (a transaction-scoped advisory lock; they are
 * short) and SKIP LOCKED passes over rows another statement is settling. SQLite: the UPDATE … RETURNING runs under
 * the database write lock, which gives the same exclusivity.
 */
export async function claimJobs(db: Kysely<Database>, dialect: DialectName, opts: ClaimOptions): Promise<PushJob[]> {
  if (opts.jobIds !== undefined && opts.jobIds.length === 0) return [];
  const at = opts.now.toISOString();
  const leaseUntil = new Date(opts.now.getTime() + opts.leaseMs).toISOString();
  // Due, or pushing under a lease that ran out (its worker died).
  const claimable = (job: 'j' | 'o') => {
    const column = (name: string) => sql.ref(`${job}.${name}`);
    return sql<boolean>`((${column('status')} = 'queued' and ${column('run_after')} <= ${at}) or (${column('status')} = 'pushing' and ${column('lease_expires_at')} < ${at}))`;
  };
  return atomically(db, async (trx) => {
    if (dialect === 'postgres') await sql`select ${CLAIM_LOCK}`.execute(trx);
    const due = trx
      .selectFrom('push_jobs as j')
      .select('j.id')
      .where(claimable('j'))
      // No other job of the document is being pushed, nor could run now and goes first: one taken over from a dead
      // worker (its write may have reached QBO), else the older.
      .where(
        sql<boolean>`not exists (
          select 1 from push_jobs o
          where o.org_id = j.org_id and o.realm_id = j.realm_id and o.document_id = j.document_id and o.id <> j.id
            and ((o.status = 'pushing' and o.lease_expires_at >= ${at})
              or (${claimable('o')} and ((o.status = 'pushing' and j.status = 'queued')
                or (o.status = j.status and (o.created_at < j.created_at or (o.created_at = j.created_at and o.id < j.id)))))))`,
      )
      .$if(opts.jobIds !== undefined, (qb) => qb.where('j.id', 'in', opts.jobIds ?? []))
      .$if((opts.excludeRealms?.length ?? 0) > 0, (qb) => qb.where('j.realm_id', 'not in', opts.excludeRealms ?? []))
      .orderBy('j.run_after')
      .orderBy('j.created_at')
      .limit(opts.limit);
    const jobs = await trx
      .updateTable('push_jobs')
      .set({
        // SET sees the row as it was: a job still 'pushing' here is one whose worker lost its lease.
        next_attempt_trigger: sql<PushAttemptTrigger>`case when status = 'pushing' then 'lease_expired' else next_attempt_trigger end`,
        status: 'pushing',
        lease_owner: opts.workerId,
        lease_expires_at: leaseUntil,
        attempts: sql<number>`attempts + 1`,
        streak_attempts: sql<number>`streak_attempts + 1`,
        request_id_claims: sql<number>`request_id_claims + 1`,
        streak_started_at: sql<string>`coalesce(streak_started_at, ${at})`,
        updated_at: at,
      })
      .where('id', 'in', dialect === 'postgres' ? due.forUpdate().skipLocked() : due)
      .returningAll()
      .execute();
    if (jobs.length === 0) return jobs;
    const ids = jobs.map((j) => j.id);
    await trx
      .updateTable('push_attempts')
      .set({ outcome: 'abandoned', finished_at: at })
      .where('job_id', 'in', ids)
      .where('finished_at', 'is', null)
      .execute();
    await trx
      .insertInto('push_attempts')
      .values(
        jobs.map((job) => ({
          id: newId(),
          job_id: job.id,
          org_id: job.org_id,
          attempt: job.attempts,
          trigger: job.next_attempt_trigger,
          started_by: job.next_attempt_by,
          worker_id: opts.workerId,
          request_id: job.request_id,
          started_at: at,
          finished_at: null,
          outcome: null,
          qbo_id: null,
          qbo_code: null,
          qbo_message: null,
          qbo_detail: null,
        })),
      )
      .execute();
    return jobs;
  });
}

/** Pushes the lease of jobs this worker is still working on further out; returns the ids it still holds. */
export async function extendLeases(db: Kysely<Database>, jobIds: readonly string[], workerId: string, until: Date): Promise<string[]> {
  if (jobIds.length === 0) return [];
  const rows = await db
    .updateTable('push_jobs')
    .set({ lease_expires_at: until.toISOString() })
    .where('id', 'in', jobIds)
    .where('lease_owner', '=', workerId)
    .where('status', '=', 'pushing')
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** `case <column> when <job id> then <value> … end`: a different value for each job in one UPDATE. */
function valuePerJob(column: 'id' | 'job_id', values: readonly (readonly [jobId: string, value: string])[]) {
  return sql<string>`case ${sql.ref(column)} ${sql.join(
    values.map(([jobId, value]) => sql`when ${jobId} then ${value}`),
    sql` `,
  )} end`;
}

/**
 * Records, before a bulk batch is sent, which batch requestid and bId each job rides under, in one statement.
 * Fenced by the lease: false (send nothing) when this worker no longer holds every job.
 */
export async function markBatch(
  db: Kysely<Database>,
  workerId: string,
  batchRequestId: string,
  items: readonly { jobId: string; bId: string }[],
): Promise<boolean> {
  if (items.length === 0) return true;
  const updated = await db
    .updateTable('push_jobs')
    .set({ batch_request_id: batchRequestId, batch_item_id: valuePerJob('id', items.map((i) => [i.jobId, i.bId])) })
    .where('id', 'in', items.map((i) => i.jobId))
    .where('lease_owner', '=', workerId)
    .where('status', '=', 'pushing')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === items.length;
}

/** Only the worker holding the lease may settle a job; a worker that lost its lease gets false and stops. */
function settle(db: Kysely<Database>, jobId: string, workerId: string) {
  return db
    .updateTable('push_jobs')
    .where('id', '=', jobId)
    .where('lease_owner', '=', workerId)
    .where('status', '=', 'pushing');
}

function closeAttempt(db: Kysely<Database>, jobId: string, workerId: string) {
  return db.updateTable('push_attempts').where('job_id', '=', jobId).where('worker_id', '=', workerId).where('finished_at', 'is', null);
}

/**
 * Pushed jobs of this worker settled at once (a whole batch's): one statement for the jobs, one for their attempts.
 * Returns the ids it settled; a job whose lease this worker lost is left to its new holder.
 */
export async function completeJobs(
  db: Kysely<Database>,
  workerId: string,
  results: readonly { readonly jobId: string; readonly qboId: string }[],
  now: Date,
): Promise<string[]> {
  if (results.length === 0) return [];
  const at = now.toISOString();
  const qboIds = results.map((r) => [r.jobId, r.qboId] as const);
  return atomically(db, async (trx) => {
    const settled = await trx
      .updateTable('push_jobs')
      .set({
        status: 'pushed',
        qbo_id: valuePerJob('id', qboIds),
        qbo_code: null,
        qbo_message: null,
        qbo_detail: null,
        lease_owner: null,
        lease_expires_at: null,
        batch_request_id: null,
        batch_item_id: null,
        finished_at: at,
        updated_at: at,
      })
      .where('id', 'in', results.map((r) => r.jobId))
      .where('lease_owner', '=', workerId)
      .where('status', '=', 'pushing')
      .returning('id')
      .execute();
    const ids = settled.map((row) => row.id);
    if (ids.length === 0) return ids;
    await trx
      .updateTable('push_attempts')
      .set({ outcome: 'pushed', finished_at: at, qbo_id: valuePerJob('job_id', qboIds) })
      .where('job_id', 'in', ids)
      .where('worker_id', '=', workerId)
      .where('finished_at', 'is', null)
      .execute();
    return ids;
  });
}

export interface JobFailure {
  code: string;
  message: string;
  detail?: string | undefined;
  /** Set for transient faults: the job goes back to the queue, due at this time. */
  retryAt?: Date | undefined;
  /**
   * QBO definitely rejected the write (a validation fault), so nothing was created under this requestid and
   * the user's retry must send a fresh one; after a timeout or lost response the same requestid must be reused.
   */
  definitiveRejection: boolean;
  /**
   * False when QBO (or our realm gate) only asked us to slow down: waiting is always right then, so the wait
   * does not use up one of the job's automatic retries.
   */
  countsTowardRetries?: boolean | undefined;
}

export async function failJob(db: Kysely<Database>, jobId: string, workerId: string, failure: JobFailure, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const transient = failure.retryAt !== undefined;
  return atomically(db, async (trx) => {
    const updated = await settle(trx, jobId, workerId)
      .set({
        status: transient ? 'queued' : 'failed',
        run_after: (failure.retryAt ?? now).toISOString(),
        qbo_code: failure.code,
        qbo_message: failure.message,
        qbo_detail: failure.detail ?? null,
        lease_owner: null,
        lease_expires_at: null,
        finished_at: transient ? null : at,
        updated_at: at,
        ...(transient ? { next_attempt_trigger: 'auto_retry' as const } : {}),
        ...(failure.countsTowardRetries === false ? { streak_attempts: sql<number>`streak_attempts - 1` } : {}),
        // A replay of a rejected batch would only repeat the rejection: the next try starts clean.
        ...(failure.definitiveRejection ? { request_id: newId(), request_id_claims: 0, batch_request_id: null, batch_item_id: null } : {}),
      })
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return false;
    await closeAttempt(trx, jobId, workerId)
      .set({
        outcome: transient ? 'retry_scheduled' : 'failed',
        finished_at: at,
        qbo_code: failure.code,
        qbo_message: failure.message,
        qbo_detail: failure.detail ?? null,
      })
      .execute();
    return true;
  });
}

export interface RequeueOptions {
  /** Only jobs pushing to this company file (a retry never follows a job into another realm). */
  realmId?: string | undefined;
  /** The user who pressed Retry; their name goes on the next attempt. */
  requestedBy?: string | null | undefined;
  trigger?: 'retry' | 'retry_all' | 'bulk' | undefined;
  bulkRunId?: string | undefined;
}

/**
 * The user's retry of failed jobs: back in the queue now, with the history of their last fault kept until they
 * run. Returns the ids put back.
 */
export async function requeueFailedJobs(
  db: Kysely<Database>,
  orgId: string,
  jobIds: readonly string[] | 'all',
  now: Date,
  options: RequeueOptions = {},
): Promise<string[]> {
  if (jobIds !== 'all' && jobIds.length === 0) return [];
  const rows = await db
    .updateTable('push_jobs')
    .set({
      status: 'queued',
      run_after: now.toISOString(),
      finished_at: null,
      updated_at: now.toISOString(),
      next_attempt_trigger: options.trigger ?? (jobIds === 'all' ? 'retry_all' : 'retry'),
      streak_attempts: 0,
      streak_started_at: null,
      ...(options.requestedBy !== undefined ? { next_attempt_by: options.requestedBy } : {}),
      ...(options.bulkRunId !== undefined ? { bulk_run_id: options.bulkRunId } : {}),
    })
    .where('org_id', '=', orgId)
    .where('status', '=', 'failed')
    .$if(jobIds !== 'all', (qb) => qb.where('id', 'in', jobIds === 'all' ? [] : jobIds))
    .$if(options.realmId !== undefined, (qb) => qb.where('realm_id', '=', options.realmId ?? ''))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
