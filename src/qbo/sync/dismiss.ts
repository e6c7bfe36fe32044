import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { newId } from '../../db/index.js';
import { err, ok, type Result } from '../client/index.js';
import type { IdMapScope } from '../connection/id-map.js';
import { DISMISS_REASON_MAX } from './month-end-words.js';
import { atomically } from './job-queue.js';

export { DISMISS_REASON_MAX };

/**
 * Dismiss: a failed push the user fixed by hand in QBO leaves the failure list with a reason, who and when.
 * The job moves to 'dismissed', which no worker claims and no "retry all" picks up; a later edit of the
 * document (a new revision) makes it pushable again.
 */


export interface Dismissal {
  readonly id: string;
  readonly jobId: string;
  readonly documentId: string;
  readonly documentRevision: number;
  readonly reason: string;
  readonly dismissedBy: string | null;
  /** The user's login, for "dismissed by … on …". */
  readonly dismissedByEmail: string | null;
  readonly dismissedAt: string;
}

export type DismissFailure =
  | { readonly kind: 'not_found' }
  | { readonly kind: 'invalid_reason'; readonly message: string }
  | { readonly kind: 'not_failed'; readonly status: string; readonly message: string };

export interface DismissInput {
  readonly orgId: string;
  readonly jobId: string;
  readonly reason: string;
  readonly userId: string | null;
}

/** The reason is what a colleague reads at month-end; it is required and kept short. */
export function checkDismissReason(reason: string): Result<string, string> {
  const trimmed = reason.trim();
  if (trimmed === '') return err('Say why the failure can be dismissed, e.g. "fixed by hand in QuickBooks".');
  if (trimmed.length > DISMISS_REASON_MAX) return err(`The reason is at most ${DISMISS_REASON_MAX} characters.`);
  return ok(trimmed);
}

/** A dismissal holds only for the revision that failed: an edited document is pushable again. */
export function isPushableAfterDismissal(currentRevision: number, dismissedRevision: number | undefined): boolean {
  return dismissedRevision === undefined || currentRevision > dismissedRevision;
}

/** Dismisses one failed job of the organisation. Only 'failed' jobs: a queued or pushing one may still succeed. */
export async function dismissJob(db: Kysely<Database>, input: DismissInput, now: Date): Promise<Result<Dismissal, DismissFailure>> {
  const reason = checkDismissReason(input.reason);
  if (!reason.ok) return err({ kind: 'invalid_reason', message: reason.error });
  // The status-guarded update comes first, so on SQLite (no wrapping transaction) a crash can lose only the reason.
  return atomically(db, async (trx) => {
    const job = await trx
      .selectFrom('push_jobs')
      .select(['id', 'realm_id', 'document_id', 'document_revision', 'status'])
      .where('org_id', '=', input.orgId)
      .where('id', '=', input.jobId)
      .executeTakeFirst();
    if (!job) return err({ kind: 'not_found' } as const);
    const at = now.toISOString();
    // The status condition makes a concurrent retry or second dismissal lose cleanly instead of double-writing.
    const updated = await trx
      .updateTable('push_jobs')
      .set({ status: 'dismissed', updated_at: at })
      .where('id', '=', job.id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      const message = job.status === 'dismissed' ? 'This push was already dismissed.' : `Only a failed push can be dismissed; this one is ${job.status}.`;
      return err({ kind: 'not_failed', status: job.status, message } as const);
    }
    const user = input.userId === null ? undefined : await trx.selectFrom('users').select('email').where('id', '=', input.userId).executeTakeFirst();
    const dismissal: Dismissal = {
      id: newId(),
      jobId: job.id,
      documentId: job.document_id,
      documentRevision: job.document_revision,
      reason: reason.value,
      dismissedBy: input.userId,
      dismissedByEmail: user?.email ?? null,
      dismissedAt: at,
    };
    await trx
      .insertInto('push_dismissals')
      .values({
        id: dismissal.id,
        org_id: input.orgId,
        realm_id: job.realm_id,
        job_id: job.id,
        document_id: job.document_id,
        document_revision: job.document_revision,
        reason: dismissal.reason,
        dismissed_by: input.userId,
        dismissed_at: at,
      })
      .execute();
    return ok(dismissal);
  });
}

/** The dismissal of each of these jobs, for the Sync Center history (reason, who, when). */
export async function dismissalsFor(db: Kysely<Database>, orgId: string, jobIds: readonly string[]): Promise<Map<string, Dismissal>> {
  if (jobIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('push_dismissals as d')
    .leftJoin('users as u', 'u.id', 'd.dismissed_by')
    .selectAll('d')
    .select('u.email')
    .where('d.org_id', '=', orgId)
    .where('d.job_id', 'in', [...jobIds])
    .execute();
  return new Map(
    rows.map((r) => [
      r.job_id,
      {
        id: r.id,
        jobId: r.job_id,
        documentId: r.document_id,
        documentRevision: r.document_revision,
        reason: r.reason,
        dismissedBy: r.dismissed_by,
        dismissedByEmail: r.email,
        dismissedAt: r.dismissed_at,
      },
    ]),
  );
}

/** The highest dismissed revision per document in a company file; a bulk push skips documents not edited since. */
export async function dismissedRevisions(db: Kysely<Database>, scope: IdMapScope, documentIds?: readonly string[]): Promise<Map<string, number>> {
  if (documentIds?.length === 0) return new Map();
  const rows = await db
    .selectFrom('push_dismissals')
    .select(['document_id', (eb) => eb.fn.max('document_revision').as('revision')])
    .where('org_id', '=', scope.orgId)
    .where('realm_id', '=', scope.realmId)
    .$if(documentIds !== undefined, (q) => q.where('document_id', 'in', [...(documentIds ?? [])]))
    .groupBy('document_id')
    .execute();
  return new Map(rows.map((r) => [r.document_id, Number(r.revision)]));
}
