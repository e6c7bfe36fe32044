import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { DocumentType } from '../../domain/lifecycle.js';
import { err, ok, QboError, type QboEntity, type Result } from '../client/index.js';
import type { IdMapScope } from '../connection/id-map.js';
import { dismissedRevisions, isPushableAfterDismissal } from './dismiss.js';
import {
  diffPushedDocument,
  diffRememberedParty,
  DRIFT_KINDS,
  type DriftKind,
  type DriftRow,
  notPushedRow,
  type PushRecord,
  type QboDocumentState,
  type RememberedParty,
  sortDriftRows,
  type WorkroomDocumentState,
} from './drift.js';
import { type DriftClient, readByIds, type ReadByIdsOptions } from './drift-reader.js';
import { conflictDisplayName } from './party-match.js';

/**
 * The drift report for one company file: every pushed document re-read from QBO in a few batched queries, every
 * issued document never pushed there, and every remembered customer/vendor renamed, deactivated or gone in QBO.
 */

export interface DriftReport {
  readonly realmId: string;
  readonly generatedAt: string;
  readonly rows: readonly DriftRow[];
  readonly counts: Readonly<Record<DriftKind, number>>;
  /** How much was compared: pushed documents re-read, issued documents checked, remembered parties re-read. */
  readonly checked: { readonly pushedDocuments: number; readonly issuedDocuments: number; readonly parties: number };
}

type ReadTransaction = QboEntity<'Invoice'> | QboEntity<'Estimate'> | QboEntity<'PurchaseOrder'>;

interface DocumentRow {
  doc: WorkroomDocumentState;
  push: PushRecord | null;
  lastError: string | null;
  hasActiveJob: boolean;
  failedJobId: string | null;
}

/** Documents that were pushed to this realm, or are issued (and so should be there), with their push record. */
async function loadDocuments(db: Kysely<Database>, scope: IdMapScope): Promise<DocumentRow[]> {
  const rows = await db
    .selectFrom('documents as d')
    .leftJoin('document_pushes as p', (j) => j.onRef('p.document_id', '=', 'd.id').onRef('p.org_id', '=', 'd.org_id').on('p.realm_id', '=', scope.realmId))
    .leftJoin('clients as c', 'c.id', 'd.client_id')
    .leftJoin('vendors as v', 'v.id', 'd.vendor_id')
    .select([
      'd.id',
      'd.type',
      'd.number',
      'd.status',
      'd.revision',
      'd.total',
      'd.issue_date',
      'd.due_date',
      'c.info_name as client_name',
      'v.name as vendor_name',
      'p.status as push_status',
      'p.qbo_id',
      'p.sync_token',
      'p.pushed_revision',
      'p.pushed_at',
      'p.workroom_total',
      'p.qbo_total',
      'p.qbo_doc_number',
      'p.party_qbo_id',
      'p.error_message',
    ])
    .where('d.org_id', '=', scope.orgId)
    .where((eb) => eb.or([eb('d.status', '!=', 'draft'), eb('p.qbo_id', 'is not', null)]))
    .execute();
  // The latest job of each document in this realm: a queued one is on its way, a failed one can be dismissed.
  const jobs = await db
    .selectFrom('push_jobs')
    .select(['id', 'document_id', 'status', 'qbo_message', 'document_revision'])
    .where('org_id', '=', scope.orgId)
    .where('realm_id', '=', scope.realmId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  const latest = new Map<string, (typeof jobs)[number]>();
  for (const job of jobs) if (!latest.has(job.document_id)) latest.set(job.document_id, job);
  return rows.map((r) => ({
    doc: {
      id: r.id,
      type: r.type,
      number: r.number,
      status: r.status,
      revision: r.revision,
      total: r.total,
      issueDate: r.issue_date,
      dueDate: r.due_date,
      partyName: r.type === 'purchase_order' ? r.vendor_name : r.client_name,
    },
    push:
      r.qbo_id === null
        ? null
        : {
            qboId: r.qbo_id,
            syncToken: r.sync_token,
            pushedRevision: r.pushed_revision,
            pushedAt: r.pushed_at,
            workroomTotal: r.workroom_total,
            qboTotal: r.qbo_total,
            qboDocNumber: r.qbo_doc_number,
            partyQboId: r.party_qbo_id,
          },
    lastError: r.push_status === 'failed' ? r.error_message : null,
    hasActiveJob: latest.get(r.id)?.status === 'queued' || latest.get(r.id)?.status === 'pushing',
    failedJobId: latest.get(r.id)?.status === 'failed' ? (latest.get(r.id)?.id ?? null) : null,
  }));
}

async function loadRememberedParties(db: Kysely<Database>, scope: IdMapScope): Promise<RememberedParty[]> {
  const map = db
    .selectFrom('qbo_id_map as m')
    .leftJoin('qbo_party_links as l', (j) =>
      j.onRef('l.org_id', '=', 'm.org_id').onRef('l.realm_id', '=', 'm.realm_id').onRef('l.entity_type', '=', 'm.entity_type').onRef('l.local_id', '=', 'm.local_id').onRef('l.qbo_id', '=', 'm.qbo_id'),
    )
    .where('m.org_id', '=', scope.orgId)
    .where('m.realm_id', '=', scope.realmId);
  const [clients, vendors] = await Promise.all([
    map
      .where('m.entity_type', '=', 'customer')
      .innerJoin('clients as c', (j) => j.onRef('c.id', '=', 'm.local_id').onRef('c.org_id', '=', 'm.org_id'))
      .select(['c.id', 'c.info_name as name', 'm.qbo_id', 'm.sync_token', 'l.display_name as linked_name'])
      .execute(),
    map
      .where('m.entity_type', '=', 'vendor')
      .innerJoin('vendors as v', (j) => j.onRef('v.id', '=', 'm.local_id').onRef('v.org_id', '=', 'm.org_id'))
      .select(['v.id', 'v.name', 'm.qbo_id', 'm.sync_token', 'l.display_name as linked_name'])
      .execute(),
  ]);
  const remembered = (type: 'client' | 'vendor', r: (typeof clients)[number]): RememberedParty => ({
    type,
    id: r.id,
    name: r.name,
    qboId: r.qbo_id,
    syncToken: r.sync_token,
    knownNames: [conflictDisplayName(r.name, type === 'client' ? 'customer' : 'vendor'), ...(r.linked_name === null ? [] : [r.linked_name])],
  });
  return [...clients.map((r) => remembered('client', r)), ...vendors.map((r) => remembered('vendor', r))];
}

function documentState(entity: ReadTransaction, partyRef: { value: string; name?: string | undefined }, dueDate: string | undefined): QboDocumentState {
  return {
    id: entity.Id,
    syncToken: entity.SyncToken,
    totalAmt: entity.TotalAmt ?? null,
    docNumber: entity.DocNumber ?? null,
    txnDate: entity.TxnDate ?? null,
    dueDate: dueDate ?? null,
    partyRef,
    privateNote: entity.PrivateNote ?? null,
    lastUpdatedTime: entity.MetaData?.LastUpdatedTime ?? null,
  };
}

async function readDocuments(client: DriftClient, pushed: readonly DocumentRow[], options: ReadByIdsOptions): Promise<Map<string, QboDocumentState>> {
  const byId = new Map<string, QboDocumentState>();
  const idsOf = (type: DocumentType) => pushed.filter((r) => r.doc.type === type).map((r) => r.push?.qboId ?? '');
  const key = (type: DocumentType, qboId: string) => `${type}:${qboId}`;
  for (const [id, inv] of await readByIds(client, 'Invoice', idsOf('invoice'), options)) byId.set(key('invoice', id), documentState(inv, inv.CustomerRef, inv.DueDate));
  for (const [id, est] of await readByIds(client, 'Estimate', idsOf('estimate'), options)) byId.set(key('estimate', id), documentState(est, est.CustomerRef, undefined));
  for (const [id, po] of await readByIds(client, 'PurchaseOrder', idsOf('purchase_order'), options)) byId.set(key('purchase_order', id), documentState(po, po.VendorRef, po.DueDate));
  return byId;
}

export interface BuildDriftOptions extends ReadByIdsOptions {
  readonly now?: Date;
}

/** Builds the report; a QBO failure (reconnect needed, throttled…) comes back as QBO's error, never as an empty report. */
export async function buildDriftReport(
  db: Kysely<Database>,
  client: DriftClient,
  scope: IdMapScope,
  options: BuildDriftOptions = {},
): Promise<Result<DriftReport, QboError>> {
  const documents = await loadDocuments(db, scope);
  const pushed = documents.filter((d) => d.push !== null);
  const parties = await loadRememberedParties(db, scope);
  let qboDocs: Map<string, QboDocumentState>;
  const qboParties = new Map<string, { id: string; syncToken: string; displayName: string; active: boolean; lastUpdatedTime: string | null }>();
  try {
    qboDocs = await readDocuments(client, pushed, options);
    for (const role of ['Customer', 'Vendor'] as const) {
      const type = role === 'Customer' ? 'client' : 'vendor';
      const found = await readByIds(client, role, parties.filter((p) => p.type === type).map((p) => p.qboId), options);
      for (const [id, p] of found) {
        qboParties.set(`${type}:${id}`, { id, syncToken: p.SyncToken, displayName: p.DisplayName, active: p.Active !== false, lastUpdatedTime: p.MetaData?.LastUpdatedTime ?? null });
      }
    }
  } catch (error) {
    if (error instanceof QboError) return err(error);
    throw error;
  }

  const dismissed = await dismissedRevisions(db, scope);
  const rows: DriftRow[] = [];
  for (const { doc, push, lastError, hasActiveJob, failedJobId } of documents) {
    // A dismissed failure stays quiet until the document is edited again.
    const settled = !isPushableAfterDismissal(doc.revision, dismissed.get(doc.id));
    const withJob = (row: DriftRow): DriftRow => ({ ...row, failedJobId, note: row.note ?? (hasActiveJob ? 'A push is queued.' : lastError) });
    if (push !== null) {
      for (const row of diffPushedDocument(doc, push, qboDocs.get(`${doc.type}:${push.qboId}`))) {
        if (!(settled && row.kind === 'edited_in_workroom')) rows.push(withJob(row));
      }
      continue;
    }
    if (doc.status === 'draft' || settled) continue;
    rows.push(withJob(notPushedRow(doc, null)));
  }
  for (const party of parties) {
    const row = diffRememberedParty(party, qboParties.get(`${party.type}:${party.qboId}`));
    if (row) rows.push(row);
  }
  const counts = Object.fromEntries(DRIFT_KINDS.map((k) => [k, 0])) as Record<DriftKind, number>;
  for (const row of rows) counts[row.kind] += 1;
  return ok({
    realmId: scope.realmId,
    generatedAt: (options.now ?? new Date()).toISOString(),
    rows: sortDriftRows(rows),
    counts,
    checked: { pushedDocuments: pushed.length, issuedDocuments: documents.filter((d) => d.doc.status !== 'draft').length, parties: parties.length },
  });
}
