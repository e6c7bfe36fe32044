/**
 * Finances → Sync Center → Drift: the month-end report of what no longer agrees between Workroom and QuickBooks,
 * Re-push, CSV export, and Dismiss for a failed push fixed by hand. Shared by the server and the page.
 * Browser-safe: zod and the pure drift module only.
 */
import { z } from 'zod';
import { DISMISS_REASON_MAX } from '../../../qbo/sync/month-end-words.js';
import { DRIFT_KIND_LABELS, DRIFT_KINDS, DRIFT_SUBJECTS, SUBJECT_LABELS } from '../../../qbo/sync/drift.js';

export { DRIFT_KIND_LABELS, DRIFT_KINDS, SUBJECT_LABELS };

export const QBO_DRIFT_ROUTES = {
  report: { method: 'GET', path: '/api/qbo/drift' },
  csv: { method: 'GET', path: '/api/qbo/drift.csv' },
  repush: { method: 'POST', path: '/api/qbo/drift/repush' },
  dismiss: { method: 'POST', path: '/api/qbo/push-jobs/:id/dismiss' },
} as const;

export const DriftDifferenceSchema = z.object({ field: z.string(), workroom: z.string(), qbo: z.string() });

export const DriftRowSchema = z.object({
  kind: z.enum(DRIFT_KINDS),
  subjectType: z.enum(DRIFT_SUBJECTS),
  subjectId: z.string(),
  label: z.string().describe('document number, or the client / vendor name'),
  partyName: z.string().nullable(),
  qboId: z.string().nullable(),
  qboUpdatedAt: z.string().nullable(),
  qboUrl: z.string().nullable().describe('the record in the QuickBooks web app'),
  differences: z.array(DriftDifferenceSchema),
  note: z.string().nullable(),
  canRepush: z.boolean(),
  failedJobId: z.string().nullable().describe('the latest push when it failed: it can be dismissed'),
});
export type DriftRowView = z.infer<typeof DriftRowSchema>;

export const DriftReportSchema = z.object({
  realmId: z.string(),
  companyName: z.string(),
  generatedAt: z.string(),
  rows: z.array(DriftRowSchema),
  counts: z.record(z.enum(DRIFT_KINDS), z.number().int()),
  checked: z.object({ pushedDocuments: z.number().int(), issuedDocuments: z.number().int(), parties: z.number().int() }),
});
export type DriftReportResponse = z.infer<typeof DriftReportSchema>;

export const RepushBodySchema = z.object({ documentIds: z.array(z.string().min(1).max(64)).min(1).max(200) }).strict();
export type RepushBody = z.infer<typeof RepushBodySchema>;

export const RepushResultSchema = z.object({
  results: z.array(
    z.object({
      documentId: z.string(),
      jobId: z.string(),
      status: z.enum(['queued', 'pushing', 'pushed', 'failed', 'dismissed']),
      message: z.string().nullable(),
    }),
  ),
  skipped: z.array(z.object({ documentId: z.string(), reason: z.string() })),
});
export type RepushResponse = z.infer<typeof RepushResultSchema>;

export const DismissParamsSchema = z.object({ id: z.string().min(1).max(64) }).strict();
export const DismissBodySchema = z.object({ reason: z.string().trim().min(1, 'say why it can be dismissed').max(DISMISS_REASON_MAX) }).strict();
export type DismissBody = z.infer<typeof DismissBodySchema>;

export const DismissalSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  documentId: z.string(),
  documentRevision: z.number().int(),
  reason: z.string(),
  dismissedBy: z.string().nullable(),
  dismissedByEmail: z.string().nullable(),
  dismissedAt: z.string(),
});
export type DismissalView = z.infer<typeof DismissalSchema>;
