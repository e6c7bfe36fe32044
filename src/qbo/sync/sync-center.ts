import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { PushAttemptOutcome, PushAttemptTrigger, PushJobStatus } from '../../db/tables/sync.js';
import type { DocumentType } from '../../domain/lifecycle.js';
import { err, ok, qboRecordUrl, type DeepLinkEntity, type QboPlatform, type Result } from '../client/index.js';
import type { ConnectionState, QboConnectionService } from '../connection/connection-service.js';
import { pushAllApproved, type PushAllApprovedResult } from './bulk-push.js';
import { dismissalsFor, type Dismissal } from './dismiss.js';
import { requeueFailedJobs } from './job-queue.js';
import { activeRun, createRun, readRunProgress, type RunProgress } from './progress.js';

const DEEP_LINK: Readonly<Record<DocumentType, DeepLinkEntity>> = {
  invoice: 'Invoice',
  estimate: 'Estimate',
  purchase_order: 'PurchaseOrder',
};

export interface Person {
  readonly id: string;
  readonly email: string | null;
}

/** One push of one document revision, as the Sync Center lists it. */
export interface SyncJobView {
  readonly id: string;
  readonly documentId: string;
  readonly documentType: DocumentType;
  /** Null when the document was deleted since. */
  readonly documentNumber: string | null;
  readonly partyName: string | null;
  readonly documentRevision: number;
  readonly status: PushJobStatus;
  readonly attempts: number;
  /** A transient fault is being retried by itself, next at `nextAttemptAt`. */
  readonly retrying: boolean;
  readonly nextAttemptAt: string | null;
  readonly startedBy: Person | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
  readonly realmId: string;
  readonly qboId: string | null;
  /** The record in the QBO web app of the connection's environment (sandbox or production host). */
  readonly qboUrl: string | null;
  readonly error: { readonly code: string; readonly message: string; readonly detail: string | null } | null;
  /** Why a failed push was set aside (fixed by hand in QBO), who did it and when; only on dismissed jobs. */
  readonly dismissal: DismissalView | null;
}

export interface DismissalView {
  readonly reason: string;
  readonly by: Person | null;
  readonly at: string;
}

export interface SyncAttemptView {
  readonly attempt: number;
  readonly trigger: PushAttemptTrigger;
  readonly startedBy: Person | null;
  readonly workerId: string;
  readonly requestId: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly outcome: PushAttemptOutcome | 'running';
  readonly qboId: string | null;
  readonly error: { readonly code: string; readonly message: string; readonly detail: string | null } | null;
}

export interface SyncJobDetail extends SyncJobView {
  readonly attemptHistory: SyncAttemptView[];
}

export interface HistoryQuery {
  readonly page: number;
  readonly pageSize: number;
  /** 'queued' includes jobs being pushed right now. */
  readonly status?: 'queued' | 'pushed' | 'failed' | 'dismissed' | undefined;
  readonly type?: DocumentType | undefined;
  readonly clientId?: string | undefined;
  readonly vendorId?: string | undefined;
  /** Part of the document number. */
  readonly q?: string | undefined;
}

export interface SyncHealth {
  readonly failed: number;
  readonly queued: number;
  readonly retrying: number;
  readonly lastSuccessAt: string | null;
  readonly connection: {
    readonly status: ConnectionState;
    readonly companyName: string | null;
    readonly environment: 'sandbox' | 'production' | null;
    readonly realmId: string | null;
    readonly message: string | null;
  };
  readonly activeRun: RunProgress | null;
}

export type SyncActionError =
  | { readonly kind: 'not_found' }
  | { readonly kind: 'not_failed'; readonly status: PushJobStatus }
  | { readonly kind: 'not_connected'; readonly message: string };

export interface SyncCenterDeps {
  readonly db: Kysely<Database>;
  readonly qbo: QboConnectionService;
  readonly platform: QboPlatform;
  /** The in-process worker, woken when something is queued (a worker elsewhere finds it at its next poll). */
  readonly wake?: () => void;
  readonly now?: () => Date;
}

interface Connected {
  readonly realmId: string;
  readonly environment: 'sandbox' | 'production';
}

/**
 * Finances → Sync Center: the push history with each attempt and who started it, the health card, retries
 * and "Push all approved". Everything is read from the database, so it shows the work of every worker process.
 */
export class SyncCenter {
  readonly #deps: SyncCenterDeps;
  readonly #now: () => Date;

  constructor(deps: SyncCenterDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  async history(orgId: string, query: HistoryQuery): Promise<{ items: SyncJobView[]; total: number; page: number; pageSize: number }> {
    const link = await this.#linker(orgId);
    const search = query.q?.trim().toLowerCase();
    const base = this.#jobs(orgId)
      .$if(query.status === 'queued', (qb) => qb.where('j.status', 'in', ['queued', 'pushing']))
      .$if(query.status !== undefined && query.status !== 'queued', (qb) => qb.where('j.status', '=', query.status ?? 'failed'))
      .$if(query.type !== undefined, (qb) => qb.where('j.document_type', '=', query.type ?? ''))
      .$if(query.clientId !== undefined, (qb) => qb.where('d.client_id', '=', query.clientId ?? ''))
      .$if(query.vendorId !== undefined, (qb) => qb.where('d.vendor_id', '=', query.vendorId ?? ''))
      .$if(search !== undefined && search !== '', (qb) => qb.where(sql<boolean>`lower(d.number) like ${`%${escapeLike(search ?? '')}%`} escape '\\'`));
    const [rows, count] = await Promise.all([
      base
        .orderBy('j.created_at', 'desc')
        // A bulk run queues many at the same instant: the later number first, the id keeps pages stable.
        .orderBy('d.number', 'desc')
        .orderBy('j.id', 'desc')
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize)
        .execute(),
      base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    const dismissals = await this.#dismissals(orgId, rows);
    return {
      items: rows.map((row) => toView(row, link, dismissals.get(row.id))),
      total: Number(count?.n ?? 0),
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async job(orgId: string, jobId: string): Promise<SyncJobDetail | undefined> {
    const row = await this.#jobs(orgId).where('j.id', '=', jobId).executeTakeFirst();
    if (!row) return undefined;
    const attempts = await this.#deps.db
      .selectFrom('push_attempts as a')
      .leftJoin('users as u', 'u.id', 'a.started_by')
      .selectAll('a')
      .select('u.email as started_by_email')
      .where('a.job_id', '=', jobId)
      .where('a.org_id', '=', orgId)
      .orderBy('a.attempt', 'desc')
      .orderBy('a.started_at', 'desc')
      .execute();
    const dismissals = await this.#dismissals(orgId, [row]);
    return {
      ...toView(row, await this.#linker(orgId), dismissals.get(row.id)),
      attemptHistory: attempts.map((a) => ({
        attempt: a.attempt,
        trigger: a.trigger,
        startedBy: a.started_by === null ? null : { id: a.started_by, email: a.started_by_email },
        workerId: a.worker_id,
        requestId: a.request_id,
        startedAt: a.started_at,
        finishedAt: a.finished_at,
        outcome: a.outcome ?? 'running',
        qboId: a.qbo_id,
        error: a.qbo_code === null ? null : { code: a.qbo_code, message: a.qbo_message ?? '', detail: a.qbo_detail },
      })),
    };
  }

  async health(orgId: string): Promise<SyncHealth> {
    const connection = await this.#deps.qbo.status(orgId);
    const realmId = connection.company?.realmId;
    const counts = await this.#deps.db
      .selectFrom('push_jobs')
      .select([
        sql<number>`sum(case when status = 'failed' then 1 else 0 end)`.as('failed'),
        sql<number>`sum(case when status in ('queued', 'pushing') then 1 else 0 end)`.as('queued'),
        sql<number>`sum(case when status = 'queued' and qbo_code is not null then 1 else 0 end)`.as('retrying'),
        sql<string | null>`max(case when status = 'pushed' then finished_at end)`.as('last_success'),
      ])
      .where('org_id', '=', orgId)
      .$if(realmId !== undefined, (qb) => qb.where('realm_id', '=', realmId ?? ''))
      .executeTakeFirst();
    return {
      failed: Number(counts?.failed ?? 0),
      queued: Number(counts?.queued ?? 0),
      retrying: Number(counts?.retrying ?? 0),
      lastSuccessAt: counts?.last_success ?? null,
      connection: {
        status: connection.status,
        companyName: connection.company?.name ?? null,
        environment: connection.company?.environment ?? null,
        realmId: realmId ?? null,
        message: connection.message,
      },
      activeRun: (await activeRun(this.#deps.db, orgId)) ?? null,
    };
  }

  /** The user's Retry on one failed push; their name goes on the attempt it starts. */
  async retry(orgId: string, jobId: string, userId: string | null): Promise<Result<SyncJobView, SyncActionError>> {
    const existing = await this.#deps.db.selectFrom('push_jobs').select(['status', 'realm_id']).where('org_id', '=', orgId).where('id', '=', jobId).executeTakeFirst();
    if (!existing) return err({ kind: 'not_found' });
    if (existing.status !== 'failed') return err({ kind: 'not_failed', status: existing.status });
    const connected = await this.#connected(orgId);
    if (!connected.ok) return connected;
    const requeued = await requeueFailedJobs(this.#deps.db, orgId, [jobId], this.#now(), { requestedBy: userId, trigger: 'retry' });
    if (requeued.length === 0) {
      const now = await this.#deps.db.selectFrom('push_jobs').select('status').where('id', '=', jobId).executeTakeFirst();
      return err({ kind: 'not_failed', status: now?.status ?? 'queued' });
    }
    this.#deps.wake?.();
    const row = await this.#jobs(orgId).where('j.id', '=', jobId).executeTakeFirstOrThrow();
    return ok(toView(row, await this.#linker(orgId)));
  }

  /** "Retry all failed": every failed push to the connected company, as one run with a progress bar. */
  async retryAll(orgId: string, userId: string | null): Promise<Result<{ runId: string | null; total: number }, SyncActionError>> {
    const connected = await this.#connected(orgId);
    if (!connected.ok) return connected;
    const now = this.#now();
    const ids = await requeueFailedJobs(this.#deps.db, orgId, 'all', now, { realmId: connected.value.realmId, requestedBy: userId, trigger: 'retry_all' });
    if (ids.length === 0) return ok({ runId: null, total: 0 });
    const runId = await createRun(this.#deps.db, { orgId, realmId: connected.value.realmId, kind: 'retry_all', startedBy: userId, jobIds: ids, now });
    await this.#deps.db.updateTable('push_jobs').set({ bulk_run_id: runId }).where('id', 'in', ids).execute();
    this.#deps.wake?.();
    return ok({ runId, total: ids.length });
  }

  async pushAllApproved(orgId: string, userId: string | null): Promise<Result<PushAllApprovedResult, SyncActionError>> {
    const connected = await this.#connected(orgId);
    if (!connected.ok) return connected;
    const result = await pushAllApproved(this.#deps.db, { orgId, realmId: connected.value.realmId, userId, now: this.#now() });
    if (result.total > 0) this.#deps.wake?.();
    return ok(result);
  }

  progress(orgId: string, runId: string): Promise<RunProgress | undefined> {
    return readRunProgress(this.#deps.db, orgId, runId);
  }

  async #connected(orgId: string): Promise<Result<Connected, SyncActionError>> {
    const connection = await this.#deps.qbo.status(orgId);
    if (connection.status !== 'connected' || connection.company === null) {
      return err({ kind: 'not_connected', message: connection.message ?? 'Connect QuickBooks in Settings → Apps first.' });
    }
    return ok({ realmId: connection.company.realmId, environment: connection.company.environment });
  }

  #dismissals(orgId: string, rows: readonly JobRow[]): Promise<Map<string, Dismissal>> {
    const dismissed = rows.filter((r) => r.status === 'dismissed').map((r) => r.id);
    return dismissalsFor(this.#deps.db, orgId, dismissed);
  }

  /** Deep links need the realm's environment, which only the connection knows; older realms get none. */
  async #linker(orgId: string): Promise<(realmId: string, type: DocumentType, qboId: string) => string | null> {
    const connection = await this.#deps.qbo.status(orgId);
    const company = connection.company;
    if (company === null) return () => null;
    const endpoints = this.#deps.platform.environments[company.environment];
    return (realmId, type, qboId) => (realmId === company.realmId ? qboRecordUrl(endpoints, DEEP_LINK[type], qboId) : null);
  }

  #jobs(orgId: string) {
    return this.#deps.db
      .selectFrom('push_jobs as j')
      .leftJoin('documents as d', 'd.id', 'j.document_id')
      .leftJoin('clients as c', 'c.id', 'd.client_id')
      .leftJoin('vendors as v', 'v.id', 'd.vendor_id')
      .leftJoin('users as u', 'u.id', 'j.started_by')
      .select([
        'j.id',
        'j.document_id',
        'j.document_type',
        'j.document_revision',
        'j.status',
        'j.attempts',
        'j.run_after',
        'j.started_by',
        'j.created_at',
        'j.updated_at',
        'j.finished_at',
        'j.realm_id',
        'j.qbo_id',
        'j.qbo_code',
        'j.qbo_message',
        'j.qbo_detail',
        'd.number',
        'c.info_name as client_name',
        'v.name as vendor_name',
        'u.email as started_by_email',
      ])
      .where('j.org_id', '=', orgId);
  }
}

interface JobRow {
  id: string;
  document_id: string;
  document_type: string;
  document_revision: number;
  status: PushJobStatus;
  attempts: number;
  run_after: string;
  started_by: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  realm_id: string;
  qbo_id: string | null;
  qbo_code: string | null;
  qbo_message: string | null;
  qbo_detail: string | null;
  number: string | null;
  client_name: string | null;
  vendor_name: string | null;
  started_by_email: string | null;
}

function toView(row: JobRow, link: (realmId: string, type: DocumentType, qboId: string) => string | null, dismissal?: Dismissal): SyncJobView {
  const type = row.document_type as DocumentType;
  const retrying = row.status === 'queued' && row.qbo_code !== null;
  return {
    id: row.id,
    documentId: row.document_id,
    documentType: type,
    documentNumber: row.number,
    partyName: row.client_name ?? row.vendor_name,
    documentRevision: row.document_revision,
    status: row.status,
    attempts: Number(row.attempts),
    retrying,
    nextAttemptAt: row.status === 'queued' ? row.run_after : null,
    startedBy: row.started_by === null ? null : { id: row.started_by, email: row.started_by_email },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    realmId: row.realm_id,
    qboId: row.qbo_id,
    qboUrl: row.status === 'pushed' && row.qbo_id !== null ? link(row.realm_id, type, row.qbo_id) : null,
    error: row.qbo_code === null || row.status === 'pushed' ? null : { code: row.qbo_code, message: row.qbo_message ?? '', detail: row.qbo_detail },
    dismissal:
      row.status === 'dismissed' && dismissal !== undefined
        ? {
            reason: dismissal.reason,
            by: dismissal.dismissedBy === null ? null : { id: dismissal.dismissedBy, email: dismissal.dismissedByEmail },
            at: dismissal.dismissedAt,
          }
        : null,
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
