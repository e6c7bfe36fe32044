/**
 * Finances → Sync Center over HTTP: every route's path and zod shapes, shared by the server and the page
 * (browser-safe: zod and pure domain modules only), so the two cannot drift.
 */
import { z } from 'zod';
import { DOCUMENT_TYPES } from '../../../domain/lifecycle.js';

export const PUSH_JOB_STATUSES = ['queued', 'pushing', 'pushed', 'failed', 'dismissed'] as const;
/** The history filter: 'queued' also matches pushes in progress. */
export const HISTORY_STATUS_FILTERS = ['queued', 'pushed', 'failed', 'dismissed'] as const;
export const ATTEMPT_TRIGGERS = ['push', 'bulk', 'retry', 'retry_all', 'auto_retry', 'lease_expired'] as const;
export const ATTEMPT_OUTCOMES = ['running', 'pushed', 'failed', 'retry_scheduled', 'abandoned'] as const;

/** How the history says why an attempt ran. */
export const TRIGGER_LABELS: Readonly<Record<(typeof ATTEMPT_TRIGGERS)[number], string>> = {
  push: 'Push to QuickBooks',
  bulk: 'Push all approved',
  retry: 'Retry',
  retry_all: 'Retry all failed',
  auto_retry: 'Automatic retry',
  lease_expired: 'Taken over after a worker stopped',
};

const Id = z.string().min(1).max(64);

export const PersonSchema = z.object({ id: z.string(), email: z.string().nullable() });

const PushErrorSchema = z.object({
  code: z.string(),
  /** QuickBooks' own message, verbatim (with the help page's heading in front). */
  message: z.string(),
  detail: z.string().nullable(),
});

export const SyncJobSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  documentType: z.enum(DOCUMENT_TYPES),
  documentNumber: z.string().nullable(),
  partyName: z.string().nullable(),
  documentRevision: z.number().int(),
  status: z.enum(PUSH_JOB_STATUSES),
  attempts: z.number().int(),
  retrying: z.boolean().describe('A transient fault (429, 5xx, timeout) is being retried automatically'),
  nextAttemptAt: z.string().nullable(),
  startedBy: PersonSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  realmId: z.string(),
  qboId: z.string().nullable(),
  qboUrl: z.string().nullable().describe('The record in the QuickBooks web app (sandbox or production host)'),
  error: PushErrorSchema.nullable(),
  dismissal: z
    .object({ reason: z.string(), by: PersonSchema.nullable(), at: z.string() })
    .nullable()
    .describe('Why a failed push was set aside (fixed by hand in QuickBooks), who did it and when'),
});
export type SyncJob = z.infer<typeof SyncJobSchema>;

export const SyncAttemptSchema = z.object({
  attempt: z.number().int(),
  trigger: z.enum(ATTEMPT_TRIGGERS),
  startedBy: PersonSchema.nullable().describe('Who asked for this attempt (automatic retries name the user whose push they continue)'),
  workerId: z.string(),
  requestId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  outcome: z.enum(ATTEMPT_OUTCOMES),
  qboId: z.string().nullable(),
  error: PushErrorSchema.nullable(),
});
export type SyncAttempt = z.infer<typeof SyncAttemptSchema>;

export const SyncJobDetailSchema = SyncJobSchema.extend({ attemptHistory: z.array(SyncAttemptSchema) });
export type SyncJobDetail = z.infer<typeof SyncJobDetailSchema>;

export const SyncHistoryQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
    status: z.enum(HISTORY_STATUS_FILTERS).optional(),
    type: z.enum(DOCUMENT_TYPES).optional(),
    clientId: Id.optional(),
    vendorId: Id.optional(),
    q: z.string().trim().max(200).optional().describe('Part of the document number'),
  })
  .strict();
export type SyncHistoryQuery = z.input<typeof SyncHistoryQuerySchema>;

export const SyncHistorySchema = z.object({
  items: z.array(SyncJobSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type SyncHistory = z.infer<typeof SyncHistorySchema>;

export const RunProgressSchema = z.object({
  runId: z.string(),
  kind: z.enum(['bulk_push', 'retry_all']),
  total: z.number().int(),
  pushed: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
  done: z.boolean(),
  startedBy: z.string().nullable(),
  startedAt: z.string(),
});
export type RunProgress = z.infer<typeof RunProgressSchema>;

export const SyncHealthSchema = z.object({
  failed: z.number().int().describe('Failed pushes needing attention'),
  queued: z.number().int(),
  retrying: z.number().int(),
  lastSuccessAt: z.string().nullable(),
  connection: z.object({
    status: z.enum(['not_connected', 'connected', 'needs_reconnect', 'disconnected']),
    companyName: z.string().nullable(),
    environment: z.enum(['sandbox', 'production']).nullable(),
    realmId: z.string().nullable(),
    message: z.string().nullable(),
  }),
  activeRun: RunProgressSchema.nullable(),
});
export type SyncHealth = z.infer<typeof SyncHealthSchema>;

export const PushAllApprovedResultSchema = z.object({
  runId: z.string().nullable().describe('Null when every approved document is already in QuickBooks'),
  total: z.number().int(),
  queued: z.number().int(),
  retried: z.number().int(),
  alreadyQueued: z.number().int(),
});
export type PushAllApprovedResult = z.infer<typeof PushAllApprovedResultSchema>;

export const RetryAllResultSchema = z.object({ runId: z.string().nullable(), total: z.number().int() });
export type RetryAllResult = z.infer<typeof RetryAllResultSchema>;

export const JobParamsSchema = z.object({ id: Id }).strict();

export const SYNC_CENTER_ROUTES = {
  history: { method: 'GET', path: '/api/sync-center/jobs' },
  job: { method: 'GET', path: '/api/sync-center/jobs/:id' },
  retry: { method: 'POST', path: '/api/sync-center/jobs/:id/retry' },
  retryAll: { method: 'POST', path: '/api/sync-center/retry-failed' },
  pushAllApproved: { method: 'POST', path: '/api/sync-center/push-all-approved' },
  health: { method: 'GET', path: '/api/sync-center/health' },
  run: { method: 'GET', path: '/api/sync-center/runs/:id' },
  /** Server-sent events: `progress` with a RunProgress whenever it changes, ending after one with done = true. */
  runEvents: { method: 'GET', path: '/api/sync-center/runs/:id/events' },
} as const;

export const PROGRESS_EVENT = 'progress';

export function syncCenterPath(path: string, id: string): string {
  return path.replace(':id', encodeURIComponent(id));
}
