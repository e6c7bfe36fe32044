import type { Generated } from 'kysely';

export type PushJobStatus = 'queued' | 'pushing' | 'pushed' | 'failed' | 'dismissed';

/** One push of one document to one realm: the Sync Center's history row and the worker's unit of work. */
export interface PushJobsTable {
  id: string;
  org_id: string;
  realm_id: string;
  document_id: string;
  document_type: string;
  /** The document revision this job pushes; a later edit makes a new job. */
  document_revision: number;
  status: PushJobStatus;
  attempts: Generated<number>;
  /** Earliest time a worker may take it (backoff after transient faults). */
  run_after: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  /** Stable across attempts so QBO replays instead of creating twice. */
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
}

export interface SyncTables {
  push_jobs: PushJobsTable;
}
