import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, DialectName } from '../../db/index.js';
import { newId } from '../../db/index.js';
import type { PushJobsTable } from '../../db/tables/sync.js';

export type PushJob = Selectable<PushJobsTable>;

export interface EnqueuePush {
  orgId: string;
  realmId: string;
  documentId: string;
  documentType: string;
  documentRevision: number;
  startedBy: string | null;
  bulkRunId?: string | undefined;
}

const ACTIVE: PushJobsTable['status'][] = ['queued', 'pushing'];

/**
 * Queues a push unless the same revision of the document is already queued or pushing for that realm,
 * so a double click or an overlapping bulk run never pushes twice.
 */
export async function enqueuePush(db: Kysely<Database>, input: EnqueuePush, now: Date): Promise<{ job: PushJob; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('push_jobs')
      .selectAll()
      .where('org_id', '=', input.orgId)
      .where('realm_id', '=', input.realmId)
      .where('document_id', '=', input.documentId)
      .where('document_revision', '=', input.documentRevision)
      .where('status', 'in', ACTIVE)
      .executeTakeFirst();
    if (existing) return { job: existing, created: false };
    const at = now.toISOString();
    const job = await trx
      .insertInto('push_jobs')
      .values({
        id: newId(),
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
        created_at: at,
        updated_at: at,
        finished_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
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
}

/**
 * Takes due jobs, and jobs whose worker's lease ran out (it died mid-push), for this worker.
 * PostgreSQL: SKIP LOCKED lets several workers claim side by side without waiting on each other.
 * SQLite: the single UPDATE … RETURNING runs under the database write lock, which gives the same exclusivity.
 */
export async function claimJobs(db: Kysely<Database>, dialect: DialectName, opts: ClaimOptions): Promise<PushJob[]> {
  const at = opts.now.toISOString();
  const leaseUntil = new Date(opts.now.getTime() + opts.leaseMs).toISOString();
  const due = db
    .selectFrom('push_jobs')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'queued'), eb('run_after', '<=', at)]),
        eb.and([eb('status', '=', 'pushing'), eb('lease_expires_at', '<', at)]),
      ]),
    )
    .$if(opts.jobIds !== undefined, (qb) => qb.where('id', 'in', opts.jobIds?.length ? opts.jobIds : ['']))
    .orderBy('run_after')
    .orderBy('created_at')
    .limit(opts.limit);
  return db
    .updateTable('push_jobs')
    .set({
      status: 'pushing',
      lease_owner: opts.workerId,
      lease_expires_at: leaseUntil,
      attempts: sql<number>`attempts + 1`,
      updated_at: at,
    })
    .where('id', 'in', dialect === 'postgres' ? due.forUpdate().skipLocked() : due)
    .returningAll()
    .execute();
}

/** Only the worker holding the lease may settle a job; a worker that lost its lease gets false and stops. */
function settle(db: Kysely<Database>, jobId: string, workerId: string) {
  return db
    .updateTable('push_jobs')
    .where('id', '=', jobId)
    .where('lease_owner', '=', workerId)
    .where('status', '=', 'pushing');
}

export async function completeJob(db: Kysely<Database>, jobId: string, workerId: string, result: { qboId: string }, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const updated = await settle(db, jobId, workerId)
    .set({
      status: 'pushed',
      qbo_id: result.qboId,
      qbo_code: null,
      qbo_message: null,
      qbo_detail: null,
      lease_owner: null,
      lease_expires_at: null,
      finished_at: at,
      updated_at: at,
    })
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
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
}

export async function failJob(db: Kysely<Database>, jobId: string, workerId: string, failure: JobFailure, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const transient = failure.retryAt !== undefined;
  const updated = await settle(db, jobId, workerId)
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
      ...(failure.definitiveRejection ? { request_id: newId() } : {}),
    })
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** The user's retry of a failed job: back in the queue now, with the history of its last fault kept until it runs. */
export async function retryFailedJobs(db: Kysely<Database>, orgId: string, jobIds: string[] | 'all', now: Date): Promise<number> {
  let query = db
    .updateTable('push_jobs')
    .set({ status: 'queued', run_after: now.toISOString(), finished_at: null, updated_at: now.toISOString() })
    .where('org_id', '=', orgId)
    .where('status', '=', 'failed');
  if (jobIds !== 'all') {
    if (jobIds.length === 0) return 0;
    query = query.where('id', 'in', jobIds);
  }
  const updated = await query.executeTakeFirst();
  return Number(updated.numUpdatedRows);
}
