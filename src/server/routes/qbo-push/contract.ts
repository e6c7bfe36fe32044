/**
 * Push to QuickBooks and Sync clients / vendors: the routes' shapes, shared by the server and the web UI.
 * Browser-safe (zod only).
 */
import { z } from 'zod';

export const QBO_PUSH_ROUTES = {
  pushState: { method: 'GET', path: '/api/qbo/documents/:id/push' },
  push: { method: 'POST', path: '/api/qbo/documents/:id/push' },
  syncClients: { method: 'POST', path: '/api/qbo/sync/clients' },
  syncVendors: { method: 'POST', path: '/api/qbo/sync/vendors' },
} as const;

export const PushParamsSchema = z.object({ id: z.string().min(1).max(64) }).strict();

const Money = z.string().describe('decimal string to the cent');

export const TotalsDifferenceSchema = z.object({
  field: z.enum(['subtotal', 'tax', 'total']),
  workroom: Money,
  qbo: Money,
  difference: Money.describe('QuickBooks minus Workroom'),
  reason: z.string(),
});

export const PARTY_ACTION_VALUES = ['remembered', 'matched', 'created', 'created_renamed'] as const;

export const PushErrorSchema = z.object({
  code: z.string().describe('catalog code (qbo_business_validation…) or the mapping problem (account_not_specified…)'),
  qboCode: z.string().nullable().describe("QuickBooks' own error code, e.g. 6000"),
  title: z.string().describe("the help page's troubleshooting heading, e.g. Tax code mismatch"),
  message: z.string().describe("QuickBooks' own message, verbatim, or Workroom's reason for refusing"),
  detail: z.string().nullable(),
  element: z.string().nullable().describe('the QuickBooks element or Workroom field at fault'),
});
export type PushError = z.infer<typeof PushErrorSchema>;

export const DocumentPushStateSchema = z.object({
  documentId: z.string(),
  documentType: z.enum(['estimate', 'invoice', 'purchase_order']),
  realmId: z.string(),
  status: z.enum(['pushed', 'failed']).describe('how the latest attempt ended'),
  qboId: z.string().nullable(),
  syncToken: z.string().nullable(),
  qboDocNumber: z.string().nullable(),
  pushedRevision: z.number().int().nullable(),
  pushedAt: z.string().nullable(),
  operation: z.enum(['created', 'updated', 'recreated']).nullable().describe('recreated: the record an earlier push made was deleted in QuickBooks'),
  totals: z
    .object({
      workroomTotal: Money,
      qboTotal: Money,
      difference: Money,
      reason: z.string().nullable(),
      differences: z.array(TotalsDifferenceSchema),
    })
    .nullable(),
  party: z.object({ qboId: z.string().nullable(), action: z.enum(PARTY_ACTION_VALUES), note: z.string().nullable() }).nullable(),
  error: PushErrorSchema.nullable(),
  lastJobId: z.string().nullable(),
  attemptedAt: z.string(),
});
export type DocumentPushStateView = z.infer<typeof DocumentPushStateSchema>;

export const PushStateResponseSchema = z.object({
  connection: z.enum(['not_connected', 'connected', 'needs_reconnect', 'disconnected']),
  company: z.object({ realmId: z.string(), name: z.string() }).nullable(),
  documentRevision: z.number().int(),
  /** The latest push to the current (or last) company; null when never pushed there. */
  state: DocumentPushStateSchema.nullable(),
  /**
   * While connected: why a push now would be refused before reaching QuickBooks (a draft, another currency, an
   * account or tax code left unmapped), in the refusal's own words; null when it would go out.
   */
  refusal: PushErrorSchema.nullable(),
});
export type PushStateResponse = z.infer<typeof PushStateResponseSchema>;

export const PushResultSchema = z.object({
  /** queued: QBO asked to wait (it retries by itself) or another worker holds the job. */
  status: z.enum(['pushed', 'failed', 'queued']),
  jobId: z.string(),
  /** The sentence for the green confirmation or the red error. */
  message: z.string(),
  error: PushErrorSchema.nullable(),
  state: DocumentPushStateSchema.nullable(),
});
export type PushResult = z.infer<typeof PushResultSchema>;

const PartySyncEntrySchema = z.object({
  localId: z.string(),
  name: z.string(),
  qboId: z.string().nullable(),
  qboName: z.string().nullable(),
  action: z.enum(PARTY_ACTION_VALUES).nullable(),
  note: z.string().nullable(),
});

export const PartySyncReportSchema = z.object({
  role: z.enum(['customer', 'vendor']),
  realmId: z.string(),
  total: z.number().int(),
  matched: z.array(PartySyncEntrySchema),
  created: z.array(PartySyncEntrySchema),
  conflicts: z.array(z.object({ localId: z.string(), name: z.string(), title: z.string(), message: z.string(), field: z.string().nullable() })),
});
export type PartySyncReportView = z.infer<typeof PartySyncReportSchema>;
