import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/index.js';
import type { DocumentPushesTable } from '../../db/tables/sync.js';
import type { Client, Organisation, Vendor, WorkroomDocument } from '../../domain/model.js';
import { getClient, getClients } from '../../domain/store/clients.js';
import { getDocument, getDocuments } from '../../domain/store/documents.js';
import { getVendor, getVendors } from '../../domain/store/vendors.js';
import { QboIdMap, type IdMapScope, type RememberedId } from '../connection/id-map.js';
import type { MappingNames } from '../mapping/index.js';
import { SERVICE_ITEM_ENTITY } from './item-resolver.js';
import type { PartyRole } from './party-match.js';

export type PushRow = Selectable<DocumentPushesTable>;

/** The organisation's category and tax code names the builders put in QBO's descriptions and errors. */
export type CatalogueNames = Pick<MappingNames, 'categoryNames' | 'workroomTaxCodeNames'>;

/**
 * What preparing a push reads from Workroom's database. A single push reads as it goes; a bulk batch reads the
 * same facts for all its documents up front (`readAhead`), a few queries per batch instead of ~10 per document.
 */
export interface PushReads {
  document(id: string): Promise<WorkroomDocument | undefined>;
  names(): Promise<CatalogueNames>;
  client(id: string): Promise<Client | undefined>;
  vendor(id: string): Promise<Vendor | undefined>;
  pushRow(documentId: string): Promise<PushRow | undefined>;
  /**
   * A party's QBO id as read ahead, or undefined: then party resolution looks for it itself, since an earlier
   * document of the batch may have just created or matched it.
   */
  rememberedParty(role: PartyRole, localId: string): RememberedId | undefined;
  /** Service items read ahead, by account id; an account missing here is looked up by item resolution. */
  rememberedItems(): ReadonlyMap<string, RememberedId>;
}

export async function readPushRow(db: Kysely<Database>, scope: IdMapScope, documentId: string): Promise<PushRow | undefined> {
  return (await readPushRows(db, scope, [documentId]))[0];
}

/** The last pushes of several documents to one realm; a document never pushed there has none. */
export async function readPushRows(db: Kysely<Database>, scope: IdMapScope, documentIds: readonly string[]): Promise<PushRow[]> {
  if (documentIds.length === 0) return [];
  return db
    .selectFrom('document_pushes')
    .selectAll()
    .where('org_id', '=', scope.orgId)
    .where('realm_id', '=', scope.realmId)
    .where('document_id', 'in', [...documentIds])
    .execute();
}

async function readNames(db: Kysely<Database>, orgId: string): Promise<CatalogueNames> {
  const [categories, taxCodes] = await Promise.all([
    db.selectFrom('categories').select(['id', 'name']).where('org_id', '=', orgId).execute(),
    db.selectFrom('tax_codes').select(['id', 'name']).where('org_id', '=', orgId).execute(),
  ]);
  return {
    categoryNames: new Map(categories.map((c) => [c.id, c.name])),
    workroomTaxCodeNames: new Map(taxCodes.map((c) => [c.id, c.name])),
  };
}

const NOTHING_REMEMBERED: ReadonlyMap<string, RememberedId> = new Map();

/** Each fact read when it is asked for: one push of one document. */
export function readAsNeeded(db: Kysely<Database>, org: Organisation, scope: IdMapScope): PushReads {
  return {
    document: (id) => getDocument(db, org, id),
    names: () => readNames(db, org.id),
    client: (id) => getClient(db, org.id, id),
    vendor: (id) => getVendor(db, org.id, id),
    pushRow: (documentId) => readPushRow(db, scope, documentId),
    rememberedParty: () => undefined,
    rememberedItems: () => NOTHING_REMEMBERED,
  };
}

/**
 * Everything preparing these documents reads, read once for all of them: the documents with their lines, the
 * names, their clients and vendors, their last pushes, and the QBO ids remembered for their parties and the
 * service items. A document or party that was not found is absent (deleted meanwhile), not read again.
 */
export async function readAhead(db: Kysely<Database>, org: Organisation, scope: IdMapScope, documentIds: readonly string[]): Promise<PushReads> {
  const ids = new QboIdMap(db);
  const [documents, names, pushRows, items] = await Promise.all([
    getDocuments(db, org, documentIds),
    readNames(db, org.id),
    readPushRows(db, scope, documentIds),
    db
      .selectFrom('qbo_id_map')
      .select(['local_id', 'qbo_id', 'sync_token'])
      .where('org_id', '=', scope.orgId)
      .where('realm_id', '=', scope.realmId)
      .where('entity_type', '=', SERVICE_ITEM_ENTITY)
      .execute(),
  ]);
  const clientIds = new Set<string>();
  const vendorIds = new Set<string>();
  for (const doc of documents.values()) {
    if (doc.clientId !== null) clientIds.add(doc.clientId);
    if (doc.vendorId !== null) vendorIds.add(doc.vendorId);
  }
  const [clients, vendors, customerIds, vendorQboIds] = await Promise.all([
    getClients(db, org.id, [...clientIds]),
    getVendors(db, org.id, [...vendorIds]),
    ids.lookupMany(scope, 'customer', [...clientIds]),
    ids.lookupMany(scope, 'vendor', [...vendorIds]),
  ]);
  const pushes = new Map(pushRows.map((row) => [row.document_id, row]));
  const remembered: Readonly<Record<PartyRole, ReadonlyMap<string, RememberedId>>> = { customer: customerIds, vendor: vendorQboIds };
  const itemIds: ReadonlyMap<string, RememberedId> = new Map(items.map((r) => [r.local_id, { qboId: r.qbo_id, syncToken: r.sync_token }]));
  const readDocuments = new Set(documentIds);
  // Asked about a record it did not read ahead (not one of these documents or their parties): read it now.
  const known = <T>(read: Map<string, T>, wasRead: (id: string) => boolean, otherwise: (id: string) => Promise<T | undefined>) =>
    async (id: string): Promise<T | undefined> => (wasRead(id) ? read.get(id) : otherwise(id));
  return {
    document: known(documents, (id) => readDocuments.has(id), (id) => getDocument(db, org, id)),
    names: () => Promise.resolve(names),
    client: known(clients, (id) => clientIds.has(id), (id) => getClient(db, org.id, id)),
    vendor: known(vendors, (id) => vendorIds.has(id), (id) => getVendor(db, org.id, id)),
    pushRow: known(pushes, (id) => readDocuments.has(id), (id) => readPushRow(db, scope, id)),
    rememberedParty: (role, localId) => remembered[role].get(localId),
    rememberedItems: () => itemIds,
  };
}
