import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/index.js';
import { err, ok, QboQuery, type Result } from '../client/index.js';
import type { IdMapScope } from '../connection/id-map.js';
import { QboIdMap } from '../connection/id-map.js';
import { atomically } from './job-queue.js';
import type { PartyRole } from './party-match.js';

/** Linking by hand: a Workroom client/vendor tied to an existing QBO customer/vendor of the connected company. */

export const PARTY_ENTITY = { customer: 'Customer', vendor: 'Vendor' } as const satisfies Record<PartyRole, string>;

/** What the UI calls each side: a Workroom client is a QBO customer, a vendor stays a vendor. */
export const PARTY_WORDS: Readonly<Record<PartyRole, { local: string; qbo: string }>> = {
  customer: { local: 'client', qbo: 'customer' },
  vendor: { local: 'vendor', qbo: 'vendor' },
};

export const PARTY_SEARCH_PAGE_SIZE = 20;

export interface LocalParty {
  readonly id: string;
  /** The name pushes use: clientInformation.name for clients, the vendor name for vendors. */
  readonly name: string;
}

export interface QboPartyChoice {
  readonly qboId: string;
  readonly displayName: string;
  readonly active: boolean;
  readonly email: string | null;
}

/**
 * One page of the type-ahead: DisplayName containing the typed text, ordered by name. One more row than the
 * page is asked for, so the caller knows whether a next page exists without a count query. QBO's LIKE knows
 * only `%`, so a `%` typed by the user is dropped rather than treated as a wildcard.
 * https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
 */
export function partySearchQuery(role: PartyRole, text: string, page: number, pageSize: number = PARTY_SEARCH_PAGE_SIZE): QboQuery {
  const needle = text.replace(/%/g, '').trim();
  let query = QboQuery.select(PARTY_ENTITY[role]);
  if (needle !== '') query = query.where('DisplayName', 'LIKE', `%${needle}%`);
  return query
    .orderBy('DisplayName')
    .startPosition((page - 1) * pageSize + 1)
    .maxResults(pageSize + 1);
}

/** Splits the over-fetched page: the rows to show and whether a next page exists. */
export function pageOfChoices<T>(rows: readonly T[], pageSize: number = PARTY_SEARCH_PAGE_SIZE): { items: T[]; hasMore: boolean } {
  return { items: rows.slice(0, pageSize), hasMore: rows.length > pageSize };
}

export function linkedElsewhereMessage(role: PartyRole, qboName: string, other: LocalParty): string {
  const words = PARTY_WORDS[role];
  return `QuickBooks ${words.qbo} “${qboName}” is already linked to the ${words.local} “${other.name}”. Unlink it there first, or pick another record.`;
}

export type LinkFailure =
  | { readonly kind: 'not_found' }
  | { readonly kind: 'linked_elsewhere'; readonly other: LocalParty; readonly message: string };

type Db = Kysely<Database> | Transaction<Database>;

export async function findLocalParty(db: Db, orgId: string, role: PartyRole, localId: string): Promise<LocalParty | undefined> {
  if (role === 'customer') {
    const row = await db.selectFrom('clients').select(['id', 'info_name']).where('org_id', '=', orgId).where('id', '=', localId).executeTakeFirst();
    return row ? { id: row.id, name: row.info_name } : undefined;
  }
  const row = await db.selectFrom('vendors').select(['id', 'name']).where('org_id', '=', orgId).where('id', '=', localId).executeTakeFirst();
  return row ? { id: row.id, name: row.name } : undefined;
}

/** Which Workroom party each of these QBO ids is remembered for, in this company file (deleted parties drop out). */
export async function linkedParties(
  db: Db,
  scope: IdMapScope,
  role: PartyRole,
  qboIds: readonly string[],
  exceptLocalId?: string,
): Promise<Map<string, LocalParty>> {
  if (qboIds.length === 0) return new Map();
  const base = db
    .selectFrom('qbo_id_map as m')
    .where('m.org_id', '=', scope.orgId)
    .where('m.realm_id', '=', scope.realmId)
    .where('m.entity_type', '=', role)
    .where('m.qbo_id', 'in', [...qboIds])
    .$if(exceptLocalId !== undefined, (q) => q.where('m.local_id', '!=', exceptLocalId ?? ''));
  const rows =
    role === 'customer'
      ? await base
          .innerJoin('clients as p', (j) => j.onRef('p.id', '=', 'm.local_id').onRef('p.org_id', '=', 'm.org_id'))
          .select(['m.qbo_id', 'p.id', 'p.info_name as name'])
          .execute()
      : await base
          .innerJoin('vendors as p', (j) => j.onRef('p.id', '=', 'm.local_id').onRef('p.org_id', '=', 'm.org_id'))
          .select(['m.qbo_id', 'p.id', 'p.name'])
          .execute();
  return new Map(rows.map((r) => [r.qbo_id, { id: r.id, name: r.name }]));
}

export interface LinkRequest {
  readonly role: PartyRole;
  readonly localId: string;
  readonly qboId: string;
  /** Read from QBO just before linking: shown in the refusal message. */
  readonly qboName: string;
  readonly syncToken: string | null;
  readonly userId: string | null;
}

/**
 * Remembers `qboId` for the party in (org, realm), refusing an id already remembered for another party of the
 * same kind: two clients pushing to one QBO customer would merge their books silently. A pending "Possible
 * duplicate" for the party is settled by the link.
 */
export async function linkParty(db: Kysely<Database>, scope: IdMapScope, request: LinkRequest, now: Date): Promise<Result<LocalParty, LinkFailure>> {
  return atomically(db, async (trx) => {
    const party = await findLocalParty(trx, scope.orgId, request.role, request.localId);
    if (!party) return err({ kind: 'not_found' } as const);
    const other = (await linkedParties(trx, scope, request.role, [request.qboId], request.localId)).get(request.qboId);
    if (other) {
      return err({ kind: 'linked_elsewhere', other, message: linkedElsewhereMessage(request.role, request.qboName, other) } as const);
    }
    const at = now.toISOString();
    await new QboIdMap(trx).remember(scope, request.role, request.localId, { qboId: request.qboId, syncToken: request.syncToken }, at);
    const link = { qbo_id: request.qboId, display_name: request.qboName, linked_by: request.userId, linked_at: at };
    await trx
      .insertInto('qbo_party_links')
      .values({ org_id: scope.orgId, realm_id: scope.realmId, entity_type: request.role, local_id: request.localId, ...link })
      .onConflict((oc) => oc.columns(['org_id', 'realm_id', 'entity_type', 'local_id']).doUpdateSet(link))
      .execute();
    await trx
      .deleteFrom('qbo_party_duplicates')
      .where('org_id', '=', scope.orgId)
      .where('realm_id', '=', scope.realmId)
      .where('entity_type', '=', request.role)
      .where('local_id', '=', request.localId)
      .execute();
    return ok(party);
  });
}

/**
 * Forgets the remembered id, and any Possible duplicate decision with it; the next push looks the party up by
 * name again. True when there was one.
 */
export async function unlinkParty(db: Kysely<Database>, scope: IdMapScope, role: PartyRole, localId: string): Promise<boolean> {
  for (const table of ['qbo_party_links', 'qbo_party_duplicates'] as const) {
    await db
      .deleteFrom(table)
      .where('org_id', '=', scope.orgId)
      .where('realm_id', '=', scope.realmId)
      .where('entity_type', '=', role)
      .where('local_id', '=', localId)
      .execute();
  }
  const result = await db
    .deleteFrom('qbo_id_map')
    .where('org_id', '=', scope.orgId)
    .where('realm_id', '=', scope.realmId)
    .where('entity_type', '=', role)
    .where('local_id', '=', localId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface ManualLink {
  readonly qboId: string;
  readonly displayName: string;
  readonly linkedBy: string | null;
  readonly linkedByEmail: string | null;
  readonly linkedAt: string;
}

/** The hand-made link of a party, if it was linked by hand (and not since re-linked by a push). */
export async function findManualLink(db: Db, scope: IdMapScope, role: PartyRole, localId: string): Promise<ManualLink | undefined> {
  const row = await db
    .selectFrom('qbo_party_links as l')
    .leftJoin('users as u', 'u.id', 'l.linked_by')
    .select(['l.qbo_id', 'l.display_name', 'l.linked_by', 'l.linked_at', 'u.email'])
    .where('l.org_id', '=', scope.orgId)
    .where('l.realm_id', '=', scope.realmId)
    .where('l.entity_type', '=', role)
    .where('l.local_id', '=', localId)
    .executeTakeFirst();
  return row ? { qboId: row.qbo_id, displayName: row.display_name, linkedBy: row.linked_by, linkedByEmail: row.email, linkedAt: row.linked_at } : undefined;
}
