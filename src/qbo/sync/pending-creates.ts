import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/index.js';
import type { QboPendingCreatesTable } from '../../db/tables/sync.js';
import type { IdMapScope } from '../connection/id-map.js';

/**
 * How long QBO is trusted to replay a requestid. Intuit documents the replay ("instead of performing the operation
 * again … the service sends the same response as it did for the original request", Intuit developer blog
 * 2015-04-06 "Request ID update") but not for how long it remembers one, and integrators have reported repeats that
 * were not deduplicated (intuit/QuickBooks-V3-DotNET-SDK#352); the emulator never forgets. So a create re-sent
 * within the hour (a lease takeover, an automatic retry) relies on the replay, as Intuit recommends; an older one
 * (a failed job the user retries days later), or one that rode in a batch (whose requestid a create sent alone
 * cannot replay), is first looked for in QBO by its DocNumber (push-document.ts, createOnce). The look-up costs one
 * query, and only after a create whose answer was lost.
 */
export const REQUESTID_TRUSTED_MS = 60 * 60_000;

/** A create of the document that may have reached QBO while its answer was never recorded. */
export interface PendingCreate {
  readonly requestId: string;
  /** Its bId when it rode in a batch (a batch's requestid cannot be replayed by a create sent alone). */
  readonly batchItemId: string | null;
  readonly docNumber: string;
  /** Sent alone within REQUESTID_TRUSTED_MS: sending it again under its requestid is answered by QBO's replay. */
  readonly replayable: boolean;
}

export interface CreateSend {
  readonly requestId: string;
  readonly docNumber: string;
  /** The deleted QBO record a re-create replaces; null for the document's first create. */
  readonly replacesQboId: string | null;
}

/** The pending create of one document in one realm, as the single-document write sees it. */
export interface CreateLedger {
  /** The pending create of this kind (first create, or re-create of `replacesQboId`), if any. */
  pending(replacesQboId: string | null): Promise<PendingCreate | undefined>;
  /** Remembered BEFORE the create is sent, so any later push of the document sends it under the same requestid. */
  record(send: CreateSend): Promise<void>;
  /** QBO refused the create outright: nothing was made under that requestid, and a replay would only repeat the refusal. */
  release(requestId: string): Promise<void>;
}

function rowsFor(db: Kysely<Database>, scope: IdMapScope, documentIds: readonly string[]) {
  return db
    .selectFrom('qbo_pending_creates')
    .selectAll()
    .where('org_id', '=', scope.orgId)
    .where('realm_id', '=', scope.realmId)
    .where('document_id', 'in', [...documentIds]);
}

interface PendingSend extends CreateSend {
  readonly documentId: string;
  readonly batchItemId: string | null;
}

async function upsert(db: Kysely<Database>, scope: IdMapScope, sends: readonly PendingSend[], at: Date): Promise<void> {
  if (sends.length === 0) return;
  const sentAt = at.toISOString();
  await db
    .insertInto('qbo_pending_creates')
    .values(
      sends.map((send) => ({
        org_id: scope.orgId,
        realm_id: scope.realmId,
        document_id: send.documentId,
        doc_number: send.docNumber,
        request_id: send.requestId,
        batch_item_id: send.batchItemId,
        replaces_qbo_id: send.replacesQboId,
        sent_at: sentAt,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['org_id', 'realm_id', 'document_id']).doUpdateSet((eb) => ({
        doc_number: eb.ref('excluded.doc_number'),
        request_id: eb.ref('excluded.request_id'),
        batch_item_id: eb.ref('excluded.batch_item_id'),
        replaces_qbo_id: eb.ref('excluded.replaces_qbo_id'),
        sent_at: eb.ref('excluded.sent_at'),
      })),
    )
    .execute();
}

type PendingRow = Selectable<QboPendingCreatesTable>;

function pendingOf(row: PendingRow | undefined, replacesQboId: string | null, now: Date): PendingCreate | undefined {
  // A row about another record (a create whose id was recorded since, then deleted in QBO) is not this create.
  if (!row || row.replaces_qbo_id !== replacesQboId) return undefined;
  const age = now.getTime() - new Date(row.sent_at).getTime();
  return {
    requestId: row.request_id,
    batchItemId: row.batch_item_id,
    docNumber: row.doc_number,
    replayable: row.batch_item_id === null && age < REQUESTID_TRUSTED_MS,
  };
}

export function createLedger(db: Kysely<Database>, scope: IdMapScope, documentId: string, now: () => Date): CreateLedger {
  return {
    async pending(replacesQboId) {
      return pendingOf(await rowsFor(db, scope, [documentId]).executeTakeFirst(), replacesQboId, now());
    },
    record: (send) => upsert(db, scope, [{ ...send, documentId, batchItemId: null }], now()),
    async release(requestId) {
      await db
        .deleteFrom('qbo_pending_creates')
        .where('org_id', '=', scope.orgId)
        .where('realm_id', '=', scope.realmId)
        .where('document_id', '=', documentId)
        .where('request_id', '=', requestId)
        .execute();
    },
  };
}

export interface BatchedCreate {
  readonly documentId: string;
  readonly bId: string;
  readonly docNumber: string;
}

/** The pending first creates of several documents, in one query (a bulk batch checks all of its creates). */
export async function pendingFirstCreates(db: Kysely<Database>, scope: IdMapScope, documentIds: readonly string[], now: Date): Promise<Map<string, PendingCreate>> {
  const out = new Map<string, PendingCreate>();
  if (documentIds.length === 0) return out;
  for (const row of await rowsFor(db, scope, documentIds).execute()) {
    const pending = pendingOf(row, null, now);
    if (pending !== undefined) out.set(row.document_id, pending);
  }
  return out;
}

/** Before a batch is sent: each create in it is pending under the batch's requestid and its bId (one statement). */
export async function recordBatchedCreates(
  db: Kysely<Database>,
  scope: IdMapScope,
  batchRequestId: string,
  creates: readonly BatchedCreate[],
  at: Date,
): Promise<void> {
  await upsert(
    db,
    scope,
    creates.map((create) => ({ ...create, requestId: batchRequestId, batchItemId: create.bId, replacesQboId: null })),
    at,
  );
}

/** QBO's ids for these documents are recorded: no create of them is pending any more. */
export async function clearPendingCreates(db: Kysely<Database>, scope: IdMapScope, documentIds: readonly string[]): Promise<void> {
  if (documentIds.length === 0) return;
  await db
    .deleteFrom('qbo_pending_creates')
    .where('org_id', '=', scope.orgId)
    .where('realm_id', '=', scope.realmId)
    .where('document_id', 'in', [...documentIds])
    .execute();
}
