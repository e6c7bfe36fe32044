import type { Insertable, Kysely } from 'kysely';
import type { PushJobsTable } from '../../db/tables/sync.js';
import type { Database } from '../../db/index.js';
import { newId, yieldToEventLoop } from '../../db/index.js';
import {
  deriveRequestId,
  type BatchItemOutcome,
  type BatchRequestItem,
  type QboUpdateBody,
  RequestIdSchema,
  type RequestId,
} from '../client/index.js';
import type { QboConnectionService } from '../connection/connection-service.js';
import { chunks } from './chunks.js';
import { markBatch, newJobRow, requeueFailedJobs, serialiseEnqueues, type PushJob } from './job-queue.js';
import { createLedger, pendingFirstCreates, recordBatchedCreates } from './pending-creates.js';
import { readAhead } from './push-reads.js';
import {
  bringUpToDate,
  docNumberOf,
  preparePush,
  recordPushFailure,
  recordPushResults,
  type PushAnswer,
  writePush,
  type PreparedPush,
  type PushedTransaction,
  type PushSubject,
} from './push-document.js';
import { connectedJobTarget } from './job-target.js';
import { failureFromQboError, PUSH_FAILURE_TITLES, qboStep, type PushFailure } from './push-errors.js';
import { jobOutcomeOf } from './push-processor.js';
import { createRun } from './progress.js';
import type { BatchContext, BatchProcessor, JobOutcome } from './worker.js';

/** QBO's cap on operations per batch request. */
export const BULK_BATCH_SIZE = 30;

export interface PushAllApprovedInput {
  readonly orgId: string;
  readonly realmId: string;
  readonly userId: string | null;
  readonly now: Date;
}

export interface PushAllApprovedResult {
  /** Null when there was nothing to push. */
  readonly runId: string | null;
  readonly total: number;
  readonly queued: number;
  /** Failed pushes of the same revision, put back in the queue instead of starting a second history row. */
  readonly retried: number;
  /** Already queued or pushing before the click; followed by the same progress bar. */
  readonly alreadyQueued: number;
}

/**
 * Documents queued per transaction. SQLite answers synchronously, so one transaction holds the connection and the
 * event loop until it commits: small enough that the requests waiting behind it stay fast, big enough that 2,000
 * documents are a handful of commits (and bound parameters stay far under SQLite's cap).
 */
const ENQUEUE_CHUNK = 200;

interface ChunkQueued {
  readonly queued: string[];
  readonly retried: string[];
  readonly following: string[];
}

/**
 * "Push all approved": every issued document (final estimate or invoice, approved PO) that this company file has
 * not received yet, or that changed since it was last pushed there, becomes a job of one run. Documents already on
 * their way are followed, not queued twice; a revision whose failure was dismissed stays out until it is edited.
 *
 * Queued a chunk at a time, each chunk one transaction (read its documents' jobs, requeue, insert in one
 * statement), with the event loop let go between chunks so the other users' requests are answered meanwhile.
 */
export async function pushAllApproved(db: Kysely<Database>, input: PushAllApprovedInput): Promise<PushAllApprovedResult> {
  const candidates = await db
    .selectFrom('documents as d')
    .leftJoin('document_pushes as p', (join) =>
      join.onRef('p.document_id', '=', 'd.id').onRef('p.org_id', '=', 'd.org_id').on('p.realm_id', '=', input.realmId),
    )
    .select(['d.id', 'd.type', 'd.revision'])
    .where('d.org_id', '=', input.orgId)
    .where('d.status', 'in', ['final', 'approved'])
    .where((eb) => eb.or([eb('p.pushed_revision', 'is', null), eb('p.pushed_revision', '<', eb.ref('d.revision'))]))
    .orderBy('d.issue_date')
    .orderBy('d.number')
    .execute();

  const runId = newId();
  const queued: string[] = [];
  const retried: string[] = [];
  const following: string[] = [];
  for (const part of chunks(candidates, ENQUEUE_CHUNK)) {
    const done = await db.transaction().execute((trx) => queueChunk(trx, input, runId, part));
    queued.push(...done.queued);
    retried.push(...done.retried);
    following.push(...done.following);
    await yieldToEventLoop();
  }
  const jobIds = [...queued, ...retried, ...following];
  if (jobIds.length === 0) return { runId: null, total: 0, queued: 0, retried: 0, alreadyQueued: 0 };
  await createRun(db, { orgId: input.orgId, realmId: input.realmId, kind: 'bulk_push', startedBy: input.userId, jobIds, now: input.now }, runId);
  return { runId, total: jobIds.length, queued: queued.length, retried: retried.length, alreadyQueued: following.length };
}

/** One chunk of "Push all approved", inside its transaction: a few statements for the whole chunk, not one transaction per document. */
async function queueChunk(
  trx: Kysely<Database>,
  input: PushAllApprovedInput,
  runId: string,
  documents: readonly { id: string; type: string; revision: number }[],
): Promise<ChunkQueued> {
  await serialiseEnqueues(trx, input.orgId, input.realmId);
  const rows = await trx
    .selectFrom('push_jobs')
    .select(['id', 'document_id', 'status', 'document_revision', 'created_at'])
    .where('org_id', '=', input.orgId)
    .where('realm_id', '=', input.realmId)
    .where('document_id', 'in', documents.map((d) => d.id))
    .where('status', 'in', ['queued', 'pushing', 'failed', 'dismissed'])
    .execute();
  const jobsByDocument = new Map<string, typeof rows>();
  for (const row of rows) jobsByDocument.set(row.document_id, [...(jobsByDocument.get(row.document_id) ?? []), row]);

  const following: string[] = [];
  const toRetry: string[] = [];
  const toQueue: Insertable<PushJobsTable>[] = [];
  for (const doc of documents) {
    const jobs = jobsByDocument.get(doc.id) ?? [];
    const active = jobs.find((j) => j.status === 'queued' || j.status === 'pushing');
    if (active) {
      following.push(active.id);
      continue;
    }
    if (jobs.some((j) => j.status === 'dismissed' && j.document_revision >= doc.revision)) continue;
    const failed = jobs
      .filter((j) => j.status === 'failed' && j.document_revision === doc.revision)
      .sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
    if (failed) toRetry.push(failed.id);
    else {
      toQueue.push(
        newJobRow(
          {
            orgId: input.orgId,
            realmId: input.realmId,
            documentId: doc.id,
            documentType: doc.type,
            documentRevision: doc.revision,
            startedBy: input.userId,
            bulkRunId: runId,
            trigger: 'bulk',
          },
          input.now,
        ),
      );
    }
  }
  const retried = await requeueFailedJobs(trx, input.orgId, toRetry, input.now, {
    realmId: input.realmId,
    requestedBy: input.userId,
    trigger: 'bulk',
    bulkRunId: runId,
  });
  if (toQueue.length > 0) await trx.insertInto('push_jobs').values(toQueue).execute();
  return { queued: toQueue.map((row) => row.id), retried, following };
}

export interface BatchPushDeps {
  readonly db: Kysely<Database>;
  readonly qbo: QboConnectionService;
  readonly now?: () => Date;
}

/** Runs one task at a time per key, in call order. */
class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}

/**
 * The bulk half of pushing: up to 30 jobs of one organisation and realm prepared one after another (so a new
 * customer, vendor or service item is resolved once and then found remembered by the rest of the run) from facts
 * read once for the whole batch (push-reads.ts), then sent as ONE batch request instead of one call per document,
 * then recorded together, each answer exactly as a single push records it.
 *
 * Idempotency: a batch carries one requestid for all its items. Before it is sent, each job stores that requestid
 * and its bId (markBatch), so a job taken over after a crash sends the batch again under the same requestid and
 * QBO replays the original answer instead of creating the documents again. Each create in it is also pending for
 * its document under that requestid and bId (pending-creates.ts), so a later push of the document by another job
 * looks for it in QBO before creating it. Jobs that may already have been written under their own requestid never
 * join a batch (the worker sends them alone), nor does a create already pending from another send.
 */
export function createBatchPushProcessor(deps: BatchPushDeps): BatchProcessor {
  const now = deps.now ?? (() => new Date());
  const preparing = new KeyedLock();

  return async (jobs: readonly PushJob[], context: BatchContext): Promise<ReadonlyMap<string, JobOutcome>> => {
    const outcomes = new Map<string, JobOutcome>();
    const [first] = jobs;
    if (first === undefined) return outcomes;
    const replayId = first.batch_request_id;
    const scope = { orgId: first.org_id, realmId: first.realm_id };
    const ledgerOf = (documentId: string) => createLedger(deps.db, scope, documentId, now);

    /**
     * `answered`: QBO answered this job's own write, so a refusal stands as it is. Otherwise a job that rode in a
     * sent batch keeps the batch's requestid until QBO's replay tells what became of it.
     */
    const fail = async (job: PushJob, subject: Pick<PushSubject, 'documentId' | 'documentType'> | null, failure: PushFailure, answered = false): Promise<void> => {
      const kept: PushFailure = replayId === null || answered ? failure : { ...failure, definitiveRejection: false };
      if (subject !== null) await recordPushFailure(deps.db, scope, subject, kept, { jobId: job.id, now: now() });
      outcomes.set(job.id, jobOutcomeOf(kept));
    };
    const subjectOf = (job: PushJob) => ({ documentId: job.document_id, documentType: job.document_type as PushSubject['documentType'] });

    const loaded = await connectedJobTarget(deps.db, deps.qbo, first);
    if (!loaded.ok) {
      for (const job of jobs) await fail(job, loaded.error.recordable ? subjectOf(job) : null, loaded.error.failure);
      return outcomes;
    }
    const ctx = loaded.value;
    const { client } = ctx;
    // QBO's answers are recorded together once the batch is settled: two statements instead of two per document.
    const answered: (PushAnswer & { readonly jobId: string })[] = [];
    const succeed = (job: PushJob, prepared: PreparedPush, response: PushedTransaction): void => {
      answered.push({ prepared, response, jobId: job.id });
    };
    const finish = async (): Promise<ReadonlyMap<string, JobOutcome>> => {
      const states = await recordPushResults(deps.db, ctx.target, answered, now());
      for (const { jobId, prepared, response } of answered) {
        outcomes.set(jobId, { status: 'pushed', qboId: states.get(prepared.subject.documentId)?.qboId ?? response.Id });
      }
      return outcomes;
    };

    const ready = await preparing.run(`${scope.orgId}\u0000${scope.realmId}`, async () => {
      const reads = await readAhead(deps.db, ctx.target.org, scope, jobs.map((job) => job.document_id));
      const out: Ready[] = [];
      for (const job of jobs) {
        await yieldToEventLoop();
        const prepared = await preparePush({ db: deps.db, client, now, reads }, ctx.target, { documentId: job.document_id, requestIdBase: job.request_id, jobId: job.id });
        if (prepared.ok) out.push({ job, prepared: prepared.value });
        else await fail(job, prepared.subject, prepared.error);
      }
      return out;
    });

    const writeAlone = async ({ job, prepared }: Ready): Promise<void> => {
      const written = await writePush(client, prepared, ledgerOf(job.document_id));
      if (written.ok) succeed(job, prepared, written.value);
      else await fail(job, prepared.subject, written.error, true);
    };

    // A create that may already have reached QBO by another send goes alone, where its own requestid is replayed
    // or the record looked for (writePush); a batch's requestid cannot answer for it.
    const batched: (Ready & { readonly pendingHere: boolean })[] = [];
    const alone: Ready[] = [];
    const creates = ready.filter((item) => item.prepared.operation === 'create').map((item) => item.job.document_id);
    const pendingCreates = await pendingFirstCreates(deps.db, scope, creates, now());
    for (const item of ready) {
      const pending = item.prepared.operation === 'create' ? pendingCreates.get(item.job.document_id) : undefined;
      const pendingHere = pending !== undefined && replayId !== null && pending.requestId === replayId && pending.batchItemId === item.job.batch_item_id;
      if (pending !== undefined && !pendingHere) alone.push(item);
      else batched.push({ ...item, pendingHere });
    }
    if (replayId === null && batched.length === 1) alone.push(...batched.splice(0));
    for (const item of alone) await writeAlone(item);
    if (batched.length === 0) return finish();

    const batchRequestId: RequestId = replayId === null ? deriveRequestId('batch', newId()) : RequestIdSchema.parse(replayId);
    const items = batched.map((item, i) => ({ ...item, bId: item.job.batch_item_id ?? `b${i}` }));
    if (replayId === null && !(await markBatch(deps.db, context.workerId, batchRequestId, items.map((i) => ({ jobId: i.job.id, bId: i.bId }))))) {
      // Another worker holds (some of) these jobs now; whatever we answer is fenced off, so send nothing.
      return finish();
    }
    const newCreates = items
      .filter((i) => i.prepared.operation === 'create' && !i.pendingHere)
      .map((i) => ({ documentId: i.job.document_id, bId: i.bId, docNumber: docNumberOf(i.prepared.body, i.prepared) }));
    await recordBatchedCreates(deps.db, scope, batchRequestId, newCreates, now());

    const sent = await qboStep(() => client.batch(items.map(({ prepared, bId }) => batchItem(bId, prepared)), { requestId: batchRequestId }));
    if (!sent.ok) {
      const failure = failureFromQboError(sent.error);
      for (const { job, prepared } of items) await fail(job, prepared.subject, { ...failure, definitiveRejection: false });
      return finish();
    }
    const answers = new Map(sent.value.map((answer) => [answer.bId, answer]));
    for (const item of items) {
      await yieldToEventLoop();
      const answer = answers.get(item.bId);
      // QBO replayed a batch this item was not part of (jobs of the batch went on separately, and another of them
      // sent it first): nothing was written for it under that requestid.
      if (answer === undefined || unanswered(answer)) await writeAlone(item);
      else await settleItem(item, answer);
    }
    return finish();

    async function settleItem(item: Ready, answer: BatchItemOutcome): Promise<void> {
      const { job, prepared } = item;
      if (answer.ok && answer.kind === 'entity' && answer.entity === prepared.entity) {
        // A replayed batch answers with what it wrote then: a document edited since goes to QBO as a full update.
        const current = await bringUpToDate(client, prepared, answer.value);
        if (current.ok) succeed(job, prepared, current.value);
        else await fail(job, prepared.subject, current.error, true);
        return;
      }
      const code = answer.ok ? undefined : answer.error.code;
      if (code === 'qbo_stale_sync_token' || (code === 'qbo_not_found' && prepared.operation === 'update')) {
        // Edited in QBO since (5010), or deleted there (610): the single path re-reads it and updates it against its
        // new SyncToken, or creates it again.
        await writeAlone(item);
        return;
      }
      const failure = answer.ok
        ? { code: 'qbo_unexpected_response', title: PUSH_FAILURE_TITLES.quickbooks, message: `QuickBooks answered batch item ${answer.bId} with a ${answer.kind}`, retryable: false, definitiveRejection: false }
        : failureFromQboError(answer.error);
      if (failure.definitiveRejection && prepared.operation === 'create') await ledgerOf(job.document_id).release(batchRequestId);
      await fail(job, prepared.subject, failure, !answer.ok);
    }
  };
}

function unanswered(answer: BatchItemOutcome): boolean {
  return !answer.ok && answer.error.code === 'qbo_batch_item_unanswered';
}

interface Ready {
  readonly job: PushJob;
  readonly prepared: PreparedPush;
}

function batchItem(bId: string, prepared: PreparedPush): BatchRequestItem {
  return prepared.operation === 'create'
    ? { bId, operation: 'create', entity: prepared.entity, body: prepared.body }
    : { bId, operation: 'update', entity: prepared.entity, body: prepared.body as QboUpdateBody, sparse: false };
}
