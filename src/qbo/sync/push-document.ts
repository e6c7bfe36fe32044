import { Decimal } from 'decimal.js';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/index.js';
import type { DocumentPushesTable } from '../../db/tables/sync.js';
import type { DocumentType } from '../../domain/lifecycle.js';
import type { Organisation, WorkroomDocument } from '../../domain/model.js';
import {
  deriveRequestId,
  type ProviderEstimate,
  type ProviderInvoice,
  type ProviderPurchaseOrder,
  type QboClient,
  type QboUpdateBody,
  type QboWriteBody,
  RequestIdSchema,
  type RequestId,
  type Result,
} from '../client/index.js';
import type { IdMapScope } from '../connection/id-map.js';
import {
  buildEstimate,
  buildInvoice,
  buildPurchaseOrder,
  compareTotals,
  requiredItemAccounts,
  requireFinal,
  type FinalDocument,
  type MappingNames,
  type MappingProblem,
  type QboCompany,
  type QboRefOut,
  type QboUpdateTarget,
  type TotalsDifference,
  type WorkroomTotals,
} from '../mapping/index.js';
import { atomically } from './job-queue.js';
import { loadMappings, type MappingSet } from './mapping-store.js';
import { clearPendingCreates, createLedger, type CreateLedger } from './pending-creates.js';
import type { PartyRole } from './party-match.js';
import { customerSubject, resolveParty, vendorSubject, type PartyAction, type PartyResolution, type PartySubject } from './party-sync.js';
import { resolveServiceItems, SERVICE_ITEM_ENTITY } from './item-resolver.js';
import { readAsNeeded, readPushRow, type PushReads } from './push-reads.js';
import { failureFromProblems, failureFromQboError, PUSH_FAILURE_TITLES, qboStep, type PushFailure } from './push-errors.js';

/** Every QBO call a push can make; a QboClient, or a fake in tests. */
export type PushClient = Pick<QboClient, 'query' | 'read' | 'create' | 'update'>;

export type PushEntity = 'Invoice' | 'Estimate' | 'PurchaseOrder';
export type PushedTransaction = ProviderInvoice | ProviderEstimate | ProviderPurchaseOrder;

export const PUSH_ENTITY: Readonly<Record<DocumentType, PushEntity>> = {
  invoice: 'Invoice',
  estimate: 'Estimate',
  purchase_order: 'PurchaseOrder',
};

/** The company file a push goes to, with the facts the builders need (read from the connection, no call). */
export interface PushTarget {
  readonly org: Organisation;
  readonly realmId: string;
  readonly company: QboCompany;
  readonly mappings: MappingSet;
}

/** The target for a realm: the company's facts as the connection keeps them (no call), the mapping saved for that realm. */
export async function loadPushTarget(db: Kysely<Database>, org: Organisation, realmId: string, company: QboCompany): Promise<PushTarget> {
  return {
    org,
    realmId,
    company: { taxModel: company.taxModel, homeCurrency: company.homeCurrency },
    mappings: await loadMappings(db, org.id, realmId, org.taxModel),
  };
}

export interface PushDeps {
  readonly db: Kysely<Database>;
  readonly client: PushClient;
  readonly now?: () => Date;
  /** Where preparing reads Workroom's records; by default each when needed (push-reads.ts). */
  readonly reads?: PushReads;
}

export interface PushRequest {
  readonly documentId: string;
  /** The job's requestid: every write of this push derives a stable requestid from it, so a retry replays. */
  readonly requestIdBase: string;
  readonly jobId?: string | null;
}

/** The document a push is about, as far as it could be read. */
export interface PushSubject {
  readonly documentId: string;
  readonly documentType: DocumentType;
  readonly number: string;
  readonly revision: number;
}

/** Everything decided before the one document write; the Sync Center's bulk push sends `body` in a batch. */
export interface PreparedPush {
  readonly subject: PushSubject;
  readonly entity: PushEntity;
  readonly operation: 'create' | 'update';
  /** For an update: a full update (sparse false) with Id and the remembered SyncToken. */
  readonly body: QboWriteBody;
  readonly sparse: false;
  readonly requestId: RequestId;
  readonly workroomTotals: WorkroomTotals;
  readonly party: PartyResolution;
  /** The remembered records the body refers to, so they can be looked up afresh if QBO no longer accepts them. */
  readonly references: { readonly role: PartyRole; readonly partyLocalId: string; readonly itemAccountIds: readonly string[] };
  /** The same body against a newer SyncToken, after QBO answered 5010 Stale Object. */
  readonly rebuildFor: (target: QboUpdateTarget) => QboUpdateBody;
  /** The same document as a create, for an update whose QBO record was deleted there. */
  readonly recreate: () => QboWriteBody;
}

export type PrepareResult = { readonly ok: true; readonly value: PreparedPush } | { readonly ok: false; readonly error: PushFailure; readonly subject: PushSubject | null };

type AnyFinal = FinalDocument<'invoice'> | FinalDocument<'estimate'> | FinalDocument<'purchase_order'>;

function finalOf(doc: WorkroomDocument): Result<AnyFinal, MappingProblem[]> {
  switch (doc.type) {
    case 'invoice':
      return requireFinal(doc, 'invoice');
    case 'estimate':
      return requireFinal(doc, 'estimate');
    case 'purchase_order':
      return requireFinal(doc, 'purchase_order');
  }
}

interface Names extends MappingNames {
  readonly vendorNames: ReadonlyMap<string, string>;
}

/** One builder call for any document type; `existing` makes it a full update. */
function buildBody(
  doc: AnyFinal,
  target: PushTarget,
  names: Names,
  partyRef: QboRefOut,
  items: ReadonlyMap<string, string>,
  existing?: QboUpdateTarget,
): Result<QboWriteBody, MappingProblem[]> {
  const { company, mappings } = target;
  if (doc.type === 'purchase_order') {
    const ctx = { ...names, company, accounts: mappings.accounts, tax: mappings.tax, vendorRef: partyRef };
    return existing === undefined ? buildPurchaseOrder(doc, ctx) : buildPurchaseOrder(doc, ctx, existing);
  }
  const ctx = { ...names, company, accounts: mappings.accounts, tax: mappings.tax, customerRef: partyRef, itemByAccountId: items };
  if (doc.type === 'invoice') return existing === undefined ? buildInvoice(doc, ctx) : buildInvoice(doc, ctx, existing);
  return existing === undefined ? buildEstimate(doc, ctx) : buildEstimate(doc, ctx, existing);
}

const PLACEHOLDER: QboRefOut = { value: '0' };

/** Every mapping problem of a build with placeholder refs: what would refuse the push before any QBO call. */
function dryRunProblems(doc: AnyFinal, target: PushTarget, names: Names): MappingProblem[] | null {
  const accounts = doc.type === 'purchase_order' ? undefined : requiredItemAccounts(doc, target.mappings.accounts, names);
  const placeholderItems = new Map((accounts?.ok ? accounts.value : []).map((id) => [id, PLACEHOLDER.value]));
  const built = buildBody(doc, target, names, PLACEHOLDER, placeholderItems);
  return built.ok ? null : built.error;
}

async function namesFor(reads: PushReads, doc: WorkroomDocument): Promise<Names> {
  return { ...(await reads.names()), vendorNames: new Map(doc.vendorId === null ? [] : [[doc.vendorId, doc.partyName]]) };
}

/**
 * Why a push of this document would be refused before reaching QBO (a draft, another currency, an account or tax
 * code left unmapped), or null when it would go out. Workroom's records only, no QBO call: the document page says
 * it before the user clicks, in the words the refusal itself would use.
 */
export async function refusalBeforePush(db: Kysely<Database>, target: PushTarget, doc: WorkroomDocument): Promise<PushFailure | null> {
  const final = finalOf(doc);
  if (!final.ok) return failureFromProblems(final.error);
  const reads = readAsNeeded(db, target.org, { orgId: target.org.id, realmId: target.realmId });
  const problems = dryRunProblems(final.value, target, await namesFor(reads, doc));
  return problems === null ? null : failureFromProblems(problems);
}

/**
 * Phase 1 of a push: load the document, refuse what must never reach QBO (a draft, another currency, a missing
 * account or tax mapping) before any call, then find or create the customer/vendor and the service items, and
 * build the body: a create, or a full update of the QBO record this document already became in this realm.
 */
export async function preparePush(deps: PushDeps, target: PushTarget, request: PushRequest): Promise<PrepareResult> {
  const { db } = deps;
  const scope: IdMapScope = { orgId: target.org.id, realmId: target.realmId };
  const reads = deps.reads ?? readAsNeeded(db, target.org, scope);
  const doc = await reads.document(request.documentId);
  if (!doc) {
    const error: PushFailure = {
      code: 'document_not_found',
      title: PUSH_FAILURE_TITLES.document_not_found,
      message: `Document ${request.documentId} no longer exists in Workroom`,
      retryable: false,
      definitiveRejection: true,
    };
    return { ok: false, error, subject: null };
  }
  const subject: PushSubject = { documentId: doc.id, documentType: doc.type, number: doc.number, revision: doc.revision };
  const fail = (error: PushFailure): PrepareResult => ({ ok: false, error, subject });

  const final = finalOf(doc);
  if (!final.ok) return fail(failureFromProblems(final.error));
  const names = await namesFor(reads, doc);

  // A dry run with placeholder refs reports every mapping problem at once, before anything is written to QBO. With
  // the party and items already remembered nothing is written first, and the one real build reports the same.
  const accounts = final.value.type === 'purchase_order' ? undefined : requiredItemAccounts(final.value, target.mappings.accounts, names);
  const role: PartyRole = doc.type === 'purchase_order' ? 'vendor' : 'customer';
  const partyId = role === 'vendor' ? doc.vendorId : doc.clientId;
  const itemsKnown = accounts === undefined || (accounts.ok && accounts.value.every((id) => reads.rememberedItems().has(id)));
  if (!itemsKnown || partyId === null || reads.rememberedParty(role, partyId) === undefined) {
    const problems = dryRunProblems(final.value, target, names);
    if (problems !== null) return fail(failureFromProblems(problems));
  }

  const partyDeps = { db, client: deps.client, scope, requestIdBase: request.requestIdBase, ...(deps.now ? { now: deps.now } : {}) };
  const partySubject = await partySubjectOf(reads, role, partyId);
  if (!partySubject) return fail(missingParty(role, doc));
  const party = await resolveParty(partyDeps, partySubject, { remembered: reads.rememberedParty(role, partySubject.localId) });
  if (!party.ok) return fail(party.error);

  let items: ReadonlyMap<string, string> = new Map();
  if (accounts?.ok) {
    const resolved = await resolveServiceItems(partyDeps, accounts.value, reads.rememberedItems());
    if (!resolved.ok) return fail(resolved.error);
    items = resolved.value;
  }

  const row = await reads.pushRow(doc.id);
  const existing = row?.qbo_id != null && row.sync_token != null ? { Id: row.qbo_id, SyncToken: row.sync_token } : undefined;
  const partyRef: QboRefOut = { value: party.value.qboId };
  const body = buildBody(final.value, target, names, partyRef, items, existing);
  if (!body.ok) return fail(failureFromProblems(body.error));
  const entity = PUSH_ENTITY[doc.type];
  return {
    ok: true,
    value: {
      subject,
      entity,
      operation: existing === undefined ? 'create' : 'update',
      body: body.value,
      sparse: false,
      requestId: writeRequestId(request.requestIdBase, entity, existing),
      workroomTotals: doc.totals,
      party: party.value,
      references: { role, partyLocalId: partySubject.localId, itemAccountIds: [...items.keys()] },
      rebuildFor: (newer) => {
        const rebuilt = buildBody(final.value, target, names, partyRef, items, newer);
        // The same inputs built once already; only Id and SyncToken differ.
        if (!rebuilt.ok) throw new Error(`rebuilding ${doc.number} for a newer SyncToken failed`);
        return { ...rebuilt.value, Id: newer.Id, SyncToken: newer.SyncToken };
      },
      recreate: () => {
        const rebuilt = buildBody(final.value, target, names, partyRef, items);
        if (!rebuilt.ok) throw new Error(`rebuilding ${doc.number} as a create failed`);
        return rebuilt.value;
      },
    },
  };
}

async function partySubjectOf(reads: PushReads, role: PartyRole, partyId: string | null): Promise<PartySubject | undefined> {
  if (partyId === null) return undefined;
  if (role === 'vendor') {
    const vendor = await reads.vendor(partyId);
    return vendor && vendorSubject(vendor);
  }
  const client = await reads.client(partyId);
  return client && customerSubject(client);
}

/**
 * Stable per job; an update's also names the SyncToken it was built against. A create goes out under this only when
 * no earlier create of the document is pending (createOnce).
 */
function writeRequestId(base: string, entity: PushEntity, existing: QboUpdateTarget | undefined): RequestId {
  return existing === undefined ? deriveRequestId(base, entity, 'create') : deriveRequestId(base, entity, 'update', existing.Id, existing.SyncToken);
}

function missingParty(role: 'customer' | 'vendor', doc: WorkroomDocument): PushFailure {
  const title = PUSH_FAILURE_TITLES[`${role}_not_found`];
  return {
    code: `${role}_not_found`,
    title,
    message: `${title}: ${doc.number} has no ${role === 'customer' ? 'client' : 'vendor'} in Workroom`,
    element: role === 'customer' ? 'clientId' : 'vendorId',
    retryable: false,
    definitiveRejection: true,
  };
}

/**
 * Phase 2: the one document write. A create (createOnce: never a second record), or a full update; when QBO says
 * the SyncToken is stale (someone edited the record in QBO), the record is read again and the update repeated
 * once against its new SyncToken, under a new requestid (QBO would otherwise replay the 5010 answer). When QBO
 * answers an update with 610 Object Not Found, the record is read: if it is gone, it was deleted in QBO and the
 * document is created again (the response's new Id replaces the old one when recorded); if it is still there, the
 * 610 was about a customer, vendor or item the body refers to, and the failure stands for pushDocument to heal.
 * An answer that does not hold what was sent is QBO replaying an earlier attempt (answerHoldsBody): the record is
 * brought up to date with one more full update.
 */
export async function writePush(client: PushClient, prepared: PreparedPush, creates: CreateLedger): Promise<Result<PushedTransaction, PushFailure>> {
  const { entity, body, requestId } = prepared;
  if (prepared.operation === 'create') return createOnce(client, prepared, creates, { body, requestId, replaces: null });
  const first = await qboStep<PushedTransaction>(() => client.update(entity, body as QboUpdateBody, { requestId, sparse: false }));
  if (first.ok) return bringUpToDate(client, prepared, first.value);
  const refused = { ok: false, error: failureFromQboError(first.error) } as const;
  const id = String(body['Id']);
  if (first.error.code === 'qbo_not_found') return recreateIfDeleted(client, prepared, creates, id, refused);
  if (first.error.code !== 'qbo_stale_sync_token') return refused;
  return updateLatest(client, prepared, id, 'stale');
}

/** QBO's answer to a write of this push, or the record brought up to date when the answer holds an earlier revision. */
export async function bringUpToDate(client: PushClient, prepared: PreparedPush, answer: PushedTransaction): Promise<Result<PushedTransaction, PushFailure>> {
  return answerHoldsBody(prepared.body, answer) ? { ok: true, value: answer } : updateLatest(client, prepared, answer.Id, 'replayed');
}

/** Reads the record for its current SyncToken and sends this push's body as a full update of it, once. */
async function updateLatest(
  client: PushClient,
  prepared: PreparedPush,
  id: string,
  why: 'stale' | 'replayed' | 'adopted',
): Promise<Result<PushedTransaction, PushFailure>> {
  const current = await qboStep<PushedTransaction>(() => client.read(prepared.entity, id));
  if (!current.ok) return { ok: false, error: failureFromQboError(current.error) };
  const newer = { Id: current.value.Id, SyncToken: current.value.SyncToken };
  const requestId = deriveRequestId(prepared.requestId, why, newer.SyncToken);
  const written = await qboStep<PushedTransaction>(() => client.update(prepared.entity, prepared.rebuildFor(newer), { requestId, sparse: false }));
  return written.ok ? written : { ok: false, error: failureFromQboError(written.error) };
}

interface CreateAttempt {
  readonly body: QboWriteBody;
  /** Used when no create of the document is pending; a pending one's requestid wins. */
  readonly requestId: RequestId;
  /** The deleted record a re-create replaces; null for the first create. */
  readonly replaces: string | null;
}

/**
 * A create that never makes a second record, whichever job, worker or retry sends it. Its requestid is stored per
 * document before it is sent (pending-creates.ts), and every later create of the document goes out under that same
 * requestid until QBO's id is recorded, so QBO replays the first instead of creating again. Where the replay cannot
 * be relied on (the earlier create rode in a batch, or was sent longer ago than QBO is trusted to remember), the
 * record is first looked for by the DocNumber it carried and taken as the answer when found. A create QBO refused
 * outright releases its requestid, so the user's fix is not answered with the old refusal.
 */
async function createOnce(client: PushClient, prepared: PreparedPush, creates: CreateLedger, attempt: CreateAttempt): Promise<Result<PushedTransaction, PushFailure>> {
  const pending = await creates.pending(attempt.replaces);
  if (pending !== undefined && !pending.replayable) {
    const found = await findCreated(client, prepared, pending.docNumber);
    if (!found.ok) return found;
    if (found.value !== undefined) {
      return answerHoldsBody(attempt.body, found.value) ? { ok: true, value: found.value } : updateLatest(client, prepared, found.value.Id, 'adopted');
    }
  }
  const requestId = pending !== undefined && pending.batchItemId === null ? RequestIdSchema.parse(pending.requestId) : attempt.requestId;
  if (pending?.requestId !== requestId) {
    await creates.record({ requestId, docNumber: docNumberOf(attempt.body, prepared), replacesQboId: attempt.replaces });
  }
  const created = await qboStep<PushedTransaction>(() => client.create(prepared.entity, attempt.body, { requestId }));
  if (!created.ok) {
    const error = failureFromQboError(created.error);
    if (error.definitiveRejection) await creates.release(requestId);
    return { ok: false, error };
  }
  return answerHoldsBody(attempt.body, created.value) ? created : updateLatest(client, prepared, created.value.Id, 'replayed');
}

/** The DocNumber a create sends: what to look for in QBO if its answer is lost. */
export function docNumberOf(body: QboWriteBody, prepared: Pick<PreparedPush, 'subject'>): string {
  return typeof body['DocNumber'] === 'string' ? body['DocNumber'] : prepared.subject.number;
}

/**
 * The record an earlier create of this document made, if QBO has exactly one with its DocNumber for the same
 * customer or vendor. A number typed by hand for another party is not ours; two candidates cannot be told apart,
 * so the create then goes out under its requestid as usual.
 */
async function findCreated(client: PushClient, prepared: PreparedPush, docNumber: string): Promise<Result<PushedTransaction | undefined, PushFailure>> {
  // https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
  const page = await qboStep(() => client.query(prepared.entity, (q) => q.where('DocNumber', '=', docNumber)));
  if (!page.ok) return { ok: false, error: failureFromQboError(page.error) };
  const party = prepared.party.qboId;
  const partyField = prepared.entity === 'PurchaseOrder' ? 'VendorRef' : 'CustomerRef';
  const ours = (page.value.items as PushedTransaction[]).filter((record) => refOf(asRecord(record)[partyField]) === party);
  return { ok: true, value: ours.length === 1 ? ours[0] : undefined };
}

// Lines that carry the document's money; QBO adds its own SubTotalLineDetail to every answer.
const MONEY_LINES: ReadonlySet<string> = new Set(['SalesItemLineDetail', 'ItemBasedExpenseLineDetail', 'AccountBasedExpenseLineDetail']);

const asRecord = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
const refOf = (value: unknown): string => {
  const id = asRecord(value)['value'];
  return typeof id === 'string' ? id : '';
};

/** Each money line as text: amount, description, item or account, tax code. */
function lineSignatures(lines: unknown): string[] {
  if (!Array.isArray(lines)) return [];
  return lines.flatMap((line: unknown) => {
    const { DetailType, Amount, Description, ...rest } = asRecord(line);
    if (typeof DetailType !== 'string' || !MONEY_LINES.has(DetailType)) return [];
    const detail = asRecord(rest[DetailType]);
    const amount = typeof Amount === 'number' || typeof Amount === 'string' ? new Decimal(Amount).toFixed(2) : '';
    const posting = refOf(detail['ItemRef'] ?? detail['AccountRef']);
    return [[amount, typeof Description === 'string' ? Description : '', posting, refOf(detail['TaxCodeRef'])].join('\u0000')];
  });
}

/**
 * Whether QBO's answer holds what the write sent: its date and its lines (amount, description, item or account
 * and tax code, in order).
 * QBO answers a write repeated under an earlier requestid with that write's record, so after a worker died
 * between QBO's answer and recording it, and the document was edited before the job was taken over, the answer
 * holds the older revision.
 */
export function answerHoldsBody(body: QboWriteBody, response: { readonly TxnDate?: string | undefined; readonly Line?: readonly unknown[] }): boolean {
  if (typeof body['TxnDate'] === 'string' && response.TxnDate !== undefined && response.TxnDate !== body['TxnDate']) return false;
  const sent = lineSignatures(body['Line']);
  const answered = lineSignatures(response.Line);
  return sent.length === answered.length && sent.every((signature, i) => signature === answered[i]);
}

async function recreateIfDeleted(
  client: PushClient,
  prepared: PreparedPush,
  creates: CreateLedger,
  id: string,
  refused: { readonly ok: false; readonly error: PushFailure },
): Promise<Result<PushedTransaction, PushFailure>> {
  // https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#read-an-invoice
  const current = await qboStep<PushedTransaction>(() => client.read(prepared.entity, id));
  if (current.ok) return refused;
  if (current.error.code !== 'qbo_not_found') return { ok: false, error: failureFromQboError(current.error) };
  return createOnce(client, prepared, creates, { body: prepared.recreate(), requestId: deriveRequestId(prepared.requestId, 'recreate', id), replaces: id });
}

/** How a write ended up in QBO: an update answered with another Id means the old record was deleted and recreated. */
export function writtenOperation(prepared: Pick<PreparedPush, 'operation' | 'body'>, response: Pick<PushedTransaction, 'Id'>): PushOperation {
  if (prepared.operation === 'create') return 'created';
  return response.Id === String(prepared.body['Id']) ? 'updated' : 'recreated';
}

/** created; updated in place; or created again because the record an earlier push made was deleted in QBO. */
export const PUSH_OPERATIONS = ['created', 'updated', 'recreated'] as const;
export type PushOperation = (typeof PUSH_OPERATIONS)[number];

/** What the document page and the Sync Center show about a document's latest push to the connected company. */
export interface DocumentPushState {
  readonly documentId: string;
  readonly documentType: DocumentType;
  readonly realmId: string;
  readonly status: 'pushed' | 'failed';
  readonly qboId: string | null;
  readonly syncToken: string | null;
  readonly qboDocNumber: string | null;
  readonly pushedRevision: number | null;
  readonly pushedAt: string | null;
  readonly operation: PushOperation | null;
  readonly totals: {
    readonly workroomTotal: string;
    readonly qboTotal: string;
    /** QBO minus Workroom, to the cent. */
    readonly difference: string;
    readonly reason: string | null;
    readonly differences: TotalsDifference[];
  } | null;
  readonly party: { readonly qboId: string | null; readonly action: PartyAction; readonly note: string | null } | null;
  readonly error: {
    readonly code: string;
    readonly qboCode: string | null;
    readonly title: string;
    readonly message: string;
    readonly detail: string | null;
    readonly element: string | null;
  } | null;
  readonly lastJobId: string | null;
  readonly attemptedAt: string;
}

function parseDifferences(text: string | null): TotalsDifference[] {
  if (text === null) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as TotalsDifference[]) : [];
  } catch {
    return [];
  }
}

export function toPushState(row: Selectable<DocumentPushesTable>): DocumentPushState {
  const operation = PUSH_OPERATIONS.find((op) => op === row.operation) ?? null;
  const action = row.party_action as PartyAction | null;
  return {
    documentId: row.document_id,
    documentType: row.document_type as DocumentType,
    realmId: row.realm_id,
    status: row.status,
    qboId: row.qbo_id,
    syncToken: row.sync_token,
    qboDocNumber: row.qbo_doc_number,
    pushedRevision: row.pushed_revision,
    pushedAt: row.pushed_at,
    operation,
    totals:
      row.workroom_total === null || row.qbo_total === null
        ? null
        : {
            workroomTotal: row.workroom_total,
            qboTotal: row.qbo_total,
            difference: row.total_difference ?? '0.00',
            reason: row.totals_reason,
            differences: parseDifferences(row.totals_detail),
          },
    party: action === null ? null : { qboId: row.party_qbo_id, action, note: row.party_note },
    error:
      row.status === 'failed' && row.error_code !== null
        ? {
            code: row.error_code,
            qboCode: row.error_qbo_code,
            title: row.error_title ?? PUSH_FAILURE_TITLES.quickbooks,
            message: row.error_message ?? '',
            detail: row.error_detail,
            element: row.error_element,
          }
        : null,
    lastJobId: row.last_job_id,
    attemptedAt: row.attempted_at,
  };
}

export async function readPushState(db: Kysely<Database>, scope: IdMapScope, documentId: string): Promise<DocumentPushState | null> {
  const row = await readPushRow(db, scope, documentId);
  return row ? toPushState(row) : null;
}

export interface RecordOptions {
  readonly jobId?: string | null;
  readonly now?: Date;
}

/** One answered write to record: what was sent, what QBO answered, and the job that sent it. */
export interface PushAnswer {
  readonly prepared: PreparedPush;
  readonly response: PushedTransaction;
  readonly jobId: string | null;
}

/** The columns a successful push sets; on conflict each takes the new row's value. */
const PUSHED_COLUMNS = [
  'document_type',
  'status',
  'qbo_id',
  'sync_token',
  'qbo_doc_number',
  'pushed_revision',
  'pushed_at',
  'operation',
  'workroom_total',
  'qbo_total',
  'total_difference',
  'totals_reason',
  'totals_detail',
  'party_qbo_id',
  'party_action',
  'party_note',
  'error_code',
  'error_qbo_code',
  'error_title',
  'error_message',
  'error_detail',
  'error_element',
  'last_job_id',
  'attempted_at',
  'updated_at',
] as const satisfies readonly (keyof DocumentPushesTable)[];

function pushedRow(target: Pick<PushTarget, 'org' | 'realmId' | 'company'>, { prepared, response, jobId }: PushAnswer, at: string): Insertable<DocumentPushesTable> {
  const differences = compareTotals(prepared.workroomTotals, response, { documentType: prepared.subject.documentType, company: target.company });
  const workroomTotal = new Decimal(prepared.workroomTotals.total).toFixed(2);
  const qboTotal = response.TotalAmt === undefined ? workroomTotal : new Decimal(response.TotalAmt).toFixed(2);
  return {
    org_id: target.org.id,
    realm_id: target.realmId,
    document_id: prepared.subject.documentId,
    document_type: prepared.subject.documentType,
    status: 'pushed',
    qbo_id: response.Id,
    sync_token: response.SyncToken,
    qbo_doc_number: response.DocNumber ?? null,
    pushed_revision: prepared.subject.revision,
    pushed_at: at,
    operation: writtenOperation(prepared, response),
    workroom_total: workroomTotal,
    qbo_total: qboTotal,
    total_difference: new Decimal(qboTotal).minus(workroomTotal).toFixed(2),
    totals_reason: differences.length === 0 ? null : differences.map((d) => `${d.field}: ${d.reason}`).join('; '),
    totals_detail: JSON.stringify(differences),
    party_qbo_id: prepared.party.qboId,
    party_action: prepared.party.action,
    party_note: prepared.party.note,
    error_code: null,
    error_qbo_code: null,
    error_title: null,
    error_message: null,
    error_detail: null,
    error_element: null,
    last_job_id: jobId,
    attempted_at: at,
    updated_at: at,
  };
}

/**
 * Phase 3: remember what QBO answered — its id and SyncToken for the next re-push, the revision pushed — and
 * compare QBO's recomputed totals with Workroom's, storing every difference to the cent with its reason. With the
 * id recorded, no create of the document is pending any more.
 */
export async function recordPushResult(
  db: Kysely<Database>,
  target: Pick<PushTarget, 'org' | 'realmId' | 'company'>,
  prepared: PreparedPush,
  response: PushedTransaction,
  options: RecordOptions = {},
): Promise<DocumentPushState> {
  const states = await recordPushResults(db, target, [{ prepared, response, jobId: options.jobId ?? null }], options.now ?? new Date());
  const state = states.get(prepared.subject.documentId);
  if (state === undefined) throw new Error(`the push of ${prepared.subject.number} was not recorded`);
  return state;
}

/** recordPushResult for the answers of a whole batch: two statements, whatever their number. */
export async function recordPushResults(
  db: Kysely<Database>,
  target: Pick<PushTarget, 'org' | 'realmId' | 'company'>,
  answers: readonly PushAnswer[],
  now: Date,
): Promise<Map<string, DocumentPushState>> {
  if (answers.length === 0) return new Map();
  const at = now.toISOString();
  const scope = { orgId: target.org.id, realmId: target.realmId };
  return atomically(db, async (trx) => {
    const rows = await trx
      .insertInto('document_pushes')
      .values(answers.map((answer) => pushedRow(target, answer, at)))
      .onConflict((oc) =>
        oc
          .columns(['org_id', 'realm_id', 'document_id'])
          .doUpdateSet((eb) => Object.fromEntries(PUSHED_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)]))),
      )
      .returningAll()
      .execute();
    // One transaction on PostgreSQL. On SQLite a crash between the two leaves the pending row of a create whose id is
    // recorded: it is never reused, since the document's next create re-creates that id (createLedger.pending).
    await clearPendingCreates(trx, scope, answers.map((answer) => answer.prepared.subject.documentId));
    return new Map(rows.map((row) => [row.document_id, toPushState(row)]));
  });
}

/** A failed attempt: QBO's code and verbatim message are kept; the ids of an earlier successful push stay. */
export async function recordPushFailure(
  db: Kysely<Database>,
  scope: IdMapScope,
  subject: Pick<PushSubject, 'documentId' | 'documentType'>,
  failure: PushFailure,
  options: RecordOptions = {},
): Promise<DocumentPushState> {
  const at = (options.now ?? new Date()).toISOString();
  const values = {
    document_type: subject.documentType,
    status: 'failed' as const,
    error_code: failure.code,
    error_qbo_code: failure.qboCode ?? null,
    error_title: failure.title,
    error_message: failure.message,
    error_detail: failure.detail ?? null,
    error_element: failure.element ?? null,
    last_job_id: options.jobId ?? null,
    attempted_at: at,
    updated_at: at,
  };
  const row = await db
    .insertInto('document_pushes')
    .values({ org_id: scope.orgId, realm_id: scope.realmId, document_id: subject.documentId, ...values })
    .onConflict((oc) => oc.columns(['org_id', 'realm_id', 'document_id']).doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPushState(row);
}

export type PushOutcome =
  | { readonly ok: true; readonly state: DocumentPushState; readonly response: PushedTransaction }
  | { readonly ok: false; readonly error: PushFailure; readonly state: DocumentPushState | null };

/**
 * QBO refused a reference in the body: a remembered customer, vendor or item was made inactive or deleted in QBO
 * (610 Object Not Found, or 2500 naming the ref). Lookups are skipped for remembered records, so forget them and
 * look again: the lookup reports an inactive customer plainly, and repairs a deactivated Workroom item.
 */
export function isStaleReference(failure: PushFailure): boolean {
  if (failure.code === 'qbo_not_found') return true;
  return failure.code === 'qbo_invalid_reference' && /ItemRef|CustomerRef|VendorRef/.test(`${failure.element ?? ''} ${failure.detail ?? ''}`);
}

export async function forgetReferences(db: Kysely<Database>, scope: IdMapScope, prepared: Pick<PreparedPush, 'references'>): Promise<void> {
  const { role, partyLocalId, itemAccountIds } = prepared.references;
  await db
    .deleteFrom('qbo_id_map')
    .where('org_id', '=', scope.orgId)
    .where('realm_id', '=', scope.realmId)
    .where((eb) =>
      eb.or([
        eb.and([eb('entity_type', '=', role), eb('local_id', '=', partyLocalId)]),
        ...(itemAccountIds.length === 0 ? [] : [eb.and([eb('entity_type', '=', SERVICE_ITEM_ENTITY), eb('local_id', 'in', [...itemAccountIds])])]),
      ]),
    )
    .execute();
}

/**
 * All three phases for one document: prepare, write, record (success or failure). When QBO no longer accepts a
 * remembered customer, vendor or item, they are forgotten and the push is prepared and written once more under
 * fresh requestids (QBO replays the refusal for the old ones).
 */
export async function pushDocument(deps: PushDeps, target: PushTarget, request: PushRequest): Promise<PushOutcome> {
  const scope = { orgId: target.org.id, realmId: target.realmId };
  const now = deps.now ?? (() => new Date());
  const record = () => ({ jobId: request.jobId ?? null, now: now() });
  let attempt = request;
  for (let healed = false; ; healed = true) {
    const prepared = await preparePush(deps, target, attempt);
    if (!prepared.ok) {
      const state = prepared.subject === null ? null : await recordPushFailure(deps.db, scope, prepared.subject, prepared.error, record());
      return { ok: false, error: prepared.error, state };
    }
    const written = await writePush(deps.client, prepared.value, createLedger(deps.db, scope, prepared.value.subject.documentId, now));
    if (written.ok) {
      return { ok: true, state: await recordPushResult(deps.db, target, prepared.value, written.value, record()), response: written.value };
    }
    if (healed || !isStaleReference(written.error)) {
      return { ok: false, error: written.error, state: await recordPushFailure(deps.db, scope, prepared.value.subject, written.error, record()) };
    }
    await forgetReferences(deps.db, scope, prepared.value);
    attempt = { ...request, requestIdBase: deriveRequestId(request.requestIdBase, 'fresh-references') };
  }
}
