import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { err, ok, type DeepLinkEntity, type Result } from '../client/index.js';
import type { QboConnectionService } from '../connection/connection-service.js';
import { type Dismissal, dismissJob } from './dismiss.js';
import type { DriftRow } from './drift.js';
import { buildDriftReport, type DriftReport } from './drift-report.js';
import { enqueuePush } from './job-queue.js';
import type { Worker } from './worker.js';

/** Finances → Sync Center → Drift: the report, Re-push, and Dismiss for a failed push fixed by hand. */

export type DriftServiceError =
  /** 409: not connected / needs reconnecting, or the job cannot be dismissed. */
  | { readonly kind: 'conflict'; readonly message: string }
  | { readonly kind: 'not_found'; readonly message: string }
  | { readonly kind: 'invalid'; readonly field: string; readonly message: string }
  /** 502: QuickBooks failed; its message verbatim. */
  | { readonly kind: 'qbo'; readonly message: string };

export interface DriftReportView extends DriftReport {
  readonly companyName: string;
  readonly rows: readonly (DriftRow & { readonly qboUrl: string | null })[];
}

export interface RepushOutcome {
  readonly documentId: string;
  readonly jobId: string;
  readonly status: 'queued' | 'pushing' | 'pushed' | 'failed' | 'dismissed';
  readonly message: string | null;
}

export interface RepushResult {
  readonly results: readonly RepushOutcome[];
  readonly skipped: readonly { readonly documentId: string; readonly reason: string }[];
}

const DEEP_LINK: Readonly<Record<DriftRow['subjectType'], DeepLinkEntity>> = {
  invoice: 'Invoice',
  estimate: 'Estimate',
  purchase_order: 'PurchaseOrder',
  client: 'Customer',
  vendor: 'Vendor',
};

export class DriftService {
  readonly #db: Kysely<Database>;
  readonly #qbo: QboConnectionService;
  readonly #worker: Worker | undefined;
  readonly #now: () => Date;
  readonly #chunkSize: number | undefined;

  constructor(deps: { db: Kysely<Database>; qbo: QboConnectionService; worker?: Worker; now?: () => Date; chunkSize?: number }) {
    this.#db = deps.db;
    this.#qbo = deps.qbo;
    this.#worker = deps.worker;
    this.#now = deps.now ?? (() => new Date());
    this.#chunkSize = deps.chunkSize;
  }

  async report(orgId: string): Promise<Result<DriftReportView, DriftServiceError>> {
    const client = await this.#qbo.getClientFor(orgId);
    if (!client.ok) return err({ kind: 'conflict', message: client.error.message });
    const company = (await this.#qbo.status(orgId)).company;
    const scope = { orgId, realmId: client.value.realmId };
    const report = await buildDriftReport(this.#db, client.value, scope, {
      now: this.#now(),
      ...(this.#chunkSize === undefined ? {} : { chunkSize: this.#chunkSize }),
    });
    if (!report.ok) {
      const error = report.error;
      return err(error.code === 'qbo_needs_reconnect' ? { kind: 'conflict', message: error.message } : { kind: 'qbo', message: `QuickBooks: ${error.message}` });
    }
    const deleted = new Set(['deleted_in_qbo', 'party_missing_in_qbo']);
    return ok({
      ...report.value,
      companyName: company?.name ?? '',
      rows: report.value.rows.map((row) => ({
        ...row,
        qboUrl: row.qboId === null || deleted.has(row.kind) ? null : client.value.recordUrl(DEEP_LINK[row.subjectType], row.qboId),
      })),
    });
  }

  /**
   * Queues a push of each document's current revision to the connected company (a document already queued is not
   * queued twice), then runs them on this process's worker so the page can say how each ended.
   */
  async repush(orgId: string, userId: string, documentIds: readonly string[]): Promise<Result<RepushResult, DriftServiceError>> {
    const client = await this.#qbo.getClientFor(orgId);
    if (!client.ok) return err({ kind: 'conflict', message: client.error.message });
    const realmId = client.value.realmId;
    const docs = await this.#db
      .selectFrom('documents')
      .select(['id', 'type', 'status', 'revision', 'number'])
      .where('org_id', '=', orgId)
      .where('id', 'in', [...documentIds])
      .execute();
    const byId = new Map(docs.map((d) => [d.id, d]));
    const skipped: { documentId: string; reason: string }[] = [];
    const jobs: { documentId: string; jobId: string }[] = [];
    for (const documentId of new Set(documentIds)) {
      const doc = byId.get(documentId);
      if (!doc) {
        skipped.push({ documentId, reason: 'No such document in your organisation.' });
        continue;
      }
      if (doc.status === 'draft') {
        skipped.push({ documentId, reason: `${doc.number} is a draft; finalize or approve it before pushing.` });
        continue;
      }
      const { job } = await enqueuePush(
        this.#db,
        { orgId, realmId, documentId, documentType: doc.type, documentRevision: doc.revision, startedBy: userId },
        this.#now(),
      );
      jobs.push({ documentId, jobId: job.id });
    }
    if (this.#worker !== undefined) await this.#worker.runNow(jobs.map((j) => j.jobId));
    const settled =
      jobs.length === 0
        ? []
        : await this.#db.selectFrom('push_jobs').select(['id', 'status', 'qbo_message']).where('id', 'in', jobs.map((j) => j.jobId)).execute();
    const status = new Map(settled.map((s) => [s.id, s]));
    return ok({
      skipped,
      results: jobs.map(({ documentId, jobId }) => ({
        documentId,
        jobId,
        status: status.get(jobId)?.status ?? 'queued',
        message: status.get(jobId)?.qbo_message ?? null,
      })),
    });
  }

  async dismiss(orgId: string, userId: string, jobId: string, reason: string): Promise<Result<Dismissal, DriftServiceError>> {
    const dismissed = await dismissJob(this.#db, { orgId, jobId, reason, userId }, this.#now());
    if (dismissed.ok) return dismissed;
    const error = dismissed.error;
    if (error.kind === 'not_found') return err({ kind: 'not_found', message: 'No such push in your organisation' });
    if (error.kind === 'invalid_reason') return err({ kind: 'invalid', field: 'reason', message: error.message });
    return err({ kind: 'conflict', message: error.message });
  }
}
