import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { getOrganisation } from '../../domain/store/organisations.js';
import type { QboClient, Result } from '../client/index.js';
import type { QboConnectionService } from '../connection/connection-service.js';
import type { PushJob } from './job-queue.js';
import { loadPushTarget, type PushTarget } from './push-document.js';
import { failureFromQboError, PUSH_FAILURE_TITLES, type PushFailure } from './push-errors.js';

export interface JobTarget {
  readonly client: QboClient;
  readonly target: PushTarget;
}

export interface JobTargetRefusal {
  readonly failure: PushFailure;
  /** False when the organisation is gone: there is no document left to record the failure against. */
  readonly recordable: boolean;
}

/**
 * What a queued job is pushed with, for the single and the batched worker alike: the organisation's connected
 * client and the target of the job's realm. A job queued for one company is never sent to another the studio has
 * connected since; it fails and says so, and pushing the document again queues it for the new company.
 */
export async function connectedJobTarget(db: Kysely<Database>, qbo: QboConnectionService, job: PushJob): Promise<Result<JobTarget, JobTargetRefusal>> {
  const org = await getOrganisation(db, job.org_id);
  if (!org) {
    return {
      ok: false,
      error: {
        failure: { code: 'document_not_found', title: PUSH_FAILURE_TITLES.document_not_found, message: 'The organisation no longer exists', retryable: false, definitiveRejection: true },
        recordable: false,
      },
    };
  }
  const client = await qbo.getClientFor(job.org_id);
  if (!client.ok) return { ok: false, error: { failure: failureFromQboError(client.error), recordable: true } };
  const connection = await qbo.status(job.org_id);
  if (client.value.realmId !== job.realm_id || connection.company === null) {
    return {
      ok: false,
      error: {
        failure: {
          code: 'wrong_company',
          title: PUSH_FAILURE_TITLES.wrong_company,
          message: `This push was queued for QuickBooks company ${job.realm_id}, but Workroom is now connected to ${connection.company?.name ?? 'another company'}; push the document again to send it there`,
          retryable: false,
          definitiveRejection: true,
        },
        recordable: true,
      },
    };
  }
  return { ok: true, value: { client: client.value, target: await loadPushTarget(db, org, job.realm_id, connection.company) } };
}
