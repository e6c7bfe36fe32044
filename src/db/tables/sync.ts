import type { Generated } from 'kysely';

export type PushJobStatus = 'queued' | 'pushing' | 'pushed' | 'failed' | 'dismissed';

/** One push of one document to one realm: the Sync Center's history row and the worker's unit of work. */
export interface PushJobsTable {
  id: string;
  org_id: string;
  realm_id: string;
  document_id: string;
  document_type: string;
  /** The document revision this job pushes; an edit takes over a job still queued, else makes a new job. */
  document_revision: number;
  status: PushJobStatus;
  attempts: Generated<number>;
  /** Earliest time a worker may take it (backoff after transient faults). */
  run_after: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  /**
   * Stable across attempts so QBO replays instead of creating twice. A create goes out under the document's pending
   * create requestid instead when an earlier job left one (qbo_pending_creates).
   */
  request_id: string;
  bulk_run_id: string | null;
  qbo_id: string | null;
  qbo_code: string | null;
  qbo_message: string | null;
  qbo_detail: string | null;
  started_by: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  /** Who asked for the next attempt (the pusher, or the user who pressed Retry); copied into push_attempts. */
  next_attempt_by: string | null;
  next_attempt_trigger: Generated<PushAttemptTrigger>;
  /** Set while the job rides in a bulk batch: that batch's requestid and this job's bId in it. */
  batch_request_id: string | null;
  batch_item_id: string | null;
  /** Claims under the current request_id; 1 means no write can have been sent under it yet (batchable). */
  request_id_claims: Generated<number>;
  /** Attempts since the last push or retry request, and when that streak began (bounds automatic retries). */
  streak_attempts: Generated<number>;
  streak_started_at: string | null;
}

/** Why an attempt ran: a user's push, bulk push or retry, or the worker retrying / taking over by itself. */
export type PushAttemptTrigger = 'push' | 'bulk' | 'retry' | 'retry_all' | 'auto_retry' | 'lease_expired';
export type PushAttemptOutcome = 'pushed' | 'failed' | 'retry_scheduled' | 'abandoned';

/** One try of a job: who started it, which worker ran it, how it ended. */
export interface PushAttemptsTable {
  id: string;
  job_id: string;
  org_id: string;
  attempt: number;
  trigger: PushAttemptTrigger;
  started_by: string | null;
  worker_id: string;
  request_id: string;
  started_at: string;
  finished_at: string | null;
  /** Null while running; 'abandoned' when its worker died and the lease ran out. */
  outcome: PushAttemptOutcome | null;
  qbo_id: string | null;
  qbo_code: string | null;
  qbo_message: string | null;
  qbo_detail: string | null;
}

/** A "Push all approved" or "Retry all failed": the jobs it queued, for its progress bar. */
export interface PushRunsTable {
  id: string;
  org_id: string;
  realm_id: string;
  kind: 'bulk_push' | 'retry_all';
  started_by: string | null;
  total: number;
  created_at: string;
}

export interface PushRunJobsTable {
  run_id: string;
  job_id: string;
}

/** One row per realm, locked while an admission to that realm is decided, across every process. */
export interface QboRealmGatesTable {
  realm_id: string;
  updated_at: string;
}

/** One granted QBO call: in flight until released (or its lease ends), counted in the window until it ages out. */
export interface QboRealmPermitsTable {
  id: string;
  realm_id: string;
  kind: 'request' | 'batch';
  holder: string;
  acquired_at: string;
  expires_at: string;
  released_at: string | null;
}

export type DocumentPushStatus = 'pushed' | 'failed';

/**
 * The latest push of one document to one company file. A re-push reads qbo_id + sync_token from here to update
 * the same QBO record; the document page shows the totals check, the party decision and the last error.
 */
export interface DocumentPushesTable {
  org_id: string;
  realm_id: string;
  document_id: string;
  document_type: string;
  /** How the last attempt ended; a failed re-push keeps the ids of the earlier successful one. */
  status: DocumentPushStatus;
  qbo_id: string | null;
  sync_token: string | null;
  qbo_doc_number: string | null;
  pushed_revision: number | null;
  pushed_at: string | null;
  /** 'created' | 'updated'. */
  operation: string | null;
  /** Decimal strings: Workroom's total, QBO's recomputed TotalAmt, and QBO minus Workroom. */
  workroom_total: string | null;
  qbo_total: string | null;
  total_difference: string | null;
  /** Why the figures differ, in words; null when they agree. */
  totals_reason: string | null;
  /** JSON array of TotalsDifference (subtotal, tax, total). */
  totals_detail: string | null;
  party_qbo_id: string | null;
  /** 'remembered' | 'matched' | 'created' | 'created_renamed'. */
  party_action: string | null;
  party_note: string | null;
  /** Our catalog code (QboErrorCode) or the mapping problem kind. */
  error_code: string | null;
  /** QBO's own code, e.g. "6000". */
  error_qbo_code: string | null;
  /** The help page's troubleshooting heading, e.g. "Account not specified for line item". */
  error_title: string | null;
  error_message: string | null;
  error_detail: string | null;
  error_element: string | null;
  last_job_id: string | null;
  attempted_at: string;
  updated_at: string;
}

/**
 * A create of one document that may have reached QBO while its answer was never recorded (a worker died, the answer
 * was lost, the job failed before a retry). Until QBO's id is recorded, every push of the document sends its create
 * under this requestid, so QBO replays it instead of making a second record. Deleted once the id is recorded or
 * QBO refused the create outright.
 */
export interface QboPendingCreatesTable {
  org_id: string;
  realm_id: string;
  document_id: string;
  /** The DocNumber the create carried: what to look for in QBO when its requestid can no longer be relied on. */
  doc_number: string;
  /** The create's requestid, or the batch's when it rode in one. */
  request_id: string;
  /** The create's bId when it rode in a batch; null for a create sent alone. */
  batch_item_id: string | null;
  /** The deleted QBO record a re-create replaces; null for the document's first create. */
  replaces_qbo_id: string | null;
  /** When the requestid was first used, which bounds how long QBO is trusted to remember it. */
  sent_at: string;
}

export interface SyncTables {
  push_jobs: PushJobsTable;
  document_pushes: DocumentPushesTable;
  push_attempts: PushAttemptsTable;
  push_runs: PushRunsTable;
  push_run_jobs: PushRunJobsTable;
  qbo_realm_gates: QboRealmGatesTable;
  qbo_realm_permits: QboRealmPermitsTable;
  qbo_pending_creates: QboPendingCreatesTable;
}
