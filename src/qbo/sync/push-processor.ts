import type { Kysely } from 'kysely';
import type { Database, DialectName } from '../../db/index.js';
import { DOCUMENT_TYPES, type DocumentType } from '../../domain/lifecycle.js';
import type { QboConnectionService } from '../connection/connection-service.js';
import type { PushJob } from './job-queue.js';
import { connectedJobTarget } from './job-target.js';
import { pushDocument, recordPushFailure } from './push-document.js';
import { headedFailureMessage, type PushFailure } from './push-errors.js';
import type { JobOutcome, JobProcessor } from './worker.js';

export interface PushProcessorDeps {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly qbo: QboConnectionService;
  readonly now?: () => Date;
}

export function jobOutcomeOf(failure: PushFailure): JobOutcome {
  const detail = [failure.qboCode === undefined ? undefined : `QuickBooks error ${failure.qboCode}`, failure.detail]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(': ');
  return {
    status: 'failed',
    code: failure.code,
    message: headedFailureMessage(failure),
    detail: detail === '' ? undefined : detail,
    retryable: failure.retryable,
    retryAfterMs: failure.retryAfterMs,
    definitiveRejection: failure.definitiveRejection,
  };
}

/**
 * Pushes one queued document revision: the organisation's connected client, its mapping for the job's realm,
 * then prepare → write → record (push-document.ts). Every write derives its requestid from the job's, and a create
 * reuses the one an earlier job of the document may have sent it under, so a retry after a crash or a lost answer
 * is replayed by QBO instead of creating a second record. The document is pushed as it is now: a later revision
 * supersedes the one the job was queued for.
 */
export function createPushProcessor(deps: PushProcessorDeps): JobProcessor {
  const now = deps.now ?? (() => new Date());
  return async (job: PushJob): Promise<JobOutcome> => {
    const scope = { orgId: job.org_id, realmId: job.realm_id };
    const subject = { documentId: job.document_id, documentType: documentTypeOf(job) };
    const fail = async (failure: PushFailure): Promise<JobOutcome> => {
      await recordPushFailure(deps.db, scope, subject, failure, { jobId: job.id, now: now() });
      return jobOutcomeOf(failure);
    };

    const loaded = await connectedJobTarget(deps.db, deps.qbo, job);
    if (!loaded.ok) return loaded.error.recordable ? fail(loaded.error.failure) : jobOutcomeOf(loaded.error.failure);
    const outcome = await pushDocument(
      { db: deps.db, client: loaded.value.client, now },
      loaded.value.target,
      { documentId: job.document_id, requestIdBase: job.request_id, jobId: job.id },
    );
    return outcome.ok ? { status: 'pushed', qboId: outcome.state.qboId ?? outcome.response.Id } : jobOutcomeOf(outcome.error);
  };
}

function documentTypeOf(job: PushJob): DocumentType {
  const type = DOCUMENT_TYPES.find((t) => t === job.document_type);
  if (type === undefined) throw new RangeError(`push job ${job.id} has an unknown document type "${job.document_type}"`);
  return type;
}
