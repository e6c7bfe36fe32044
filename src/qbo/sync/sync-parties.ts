import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { listClients } from '../../domain/store/clients.js';
import { listVendors } from '../../domain/store/vendors.js';
import type { QboClient, Result } from '../client/index.js';
import { QboIdMap, type IdMapScope } from '../connection/id-map.js';
import type { PartyCandidate, PartyRole } from './party-match.js';
import { failureFromQboError, headedFailureMessage, qboStep, type PushFailure } from './push-errors.js';
import { customerSubject, resolveParty, vendorSubject, type PartyAction, type PartySubject } from './party-sync.js';

export type PartySyncClient = Pick<QboClient, 'query' | 'queryAll' | 'create'>;

export interface PartySyncEntry {
  readonly localId: string;
  /** The Workroom name (clientInformation.name for clients). */
  readonly name: string;
  readonly qboId: string | null;
  /** The QBO DisplayName linked or created; null for a conflict. */
  readonly qboName: string | null;
  readonly action: PartyAction | null;
  readonly note: string | null;
}

export interface PartySyncConflict {
  readonly localId: string;
  readonly name: string;
  readonly title: string;
  readonly message: string;
  readonly field: string | null;
}

/** What "Sync clients" / "Sync vendors" did, party by party. */
export interface PartySyncReport {
  readonly role: PartyRole;
  readonly realmId: string;
  readonly total: number;
  /** Linked to an existing QBO record (now, or remembered from before and still there). */
  readonly matched: PartySyncEntry[];
  readonly created: PartySyncEntry[];
  readonly conflicts: PartySyncConflict[];
}

export interface PartySyncDeps {
  readonly db: Kysely<Database>;
  readonly client: PartySyncClient;
  readonly scope: IdMapScope;
  readonly now?: () => Date;
}

const ENTITY: Readonly<Record<PartyRole, 'Customer' | 'Vendor'>> = { customer: 'Customer', vendor: 'Vendor' };
const PAGE = 100;

async function localParties(db: Kysely<Database>, orgId: string, role: PartyRole): Promise<PartySubject[]> {
  const out: PartySubject[] = [];
  for (let page = 1; ; page += 1) {
    const batch =
      role === 'customer'
        ? (await listClients(db, orgId, { page, pageSize: PAGE })).items.map(customerSubject)
        : (await listVendors(db, orgId, { page, pageSize: PAGE })).items.map(vendorSubject);
    out.push(...batch);
    if (batch.length < PAGE) return out;
  }
}

/**
 * Links every Workroom client (or vendor) to a QBO customer (vendor) for the connected company, creating the
 * ones QBO lacks, with the same rules as a document push (party-sync.ts). QBO's list is read once, inactive
 * records included, and matched locally, so the whole run costs one query per 1000 QBO records plus one create
 * per new party. A remembered link is kept only while its record is still in QBO and active.
 */
export async function syncParties(deps: PartySyncDeps, role: PartyRole): Promise<Result<PartySyncReport, PushFailure>> {
  const subjects = await localParties(deps.db, deps.scope.orgId, role);
  // https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
  const listed = await qboStep(() => deps.client.queryAll(ENTITY[role], (q) => q.where('Active', 'IN', [true, false])));
  if (!listed.ok) return { ok: false, error: failureFromQboError(listed.error) };
  const candidates: (PartyCandidate & { SyncToken?: string })[] = [...listed.value];
  const live = new Map(candidates.filter((c) => c.Active !== false).map((c) => [c.Id, c]));
  const remembered = await new QboIdMap(deps.db).lookupMany(
    deps.scope,
    role,
    subjects.map((s) => s.localId),
  );

  const requestIdBase = randomUUID();
  const matched: PartySyncEntry[] = [];
  const created: PartySyncEntry[] = [];
  const conflicts: PartySyncConflict[] = [];
  for (const subject of subjects) {
    const known = remembered.get(subject.localId);
    const stillThere = known === undefined ? undefined : live.get(known.qboId);
    if (stillThere) {
      matched.push({ localId: subject.localId, name: subject.name, qboId: stillThere.Id, qboName: stillThere.DisplayName, action: 'remembered', note: null });
      continue;
    }
    const resolved = await resolveParty(
      { db: deps.db, client: deps.client, scope: deps.scope, requestIdBase, ...(deps.now ? { now: deps.now } : {}) },
      subject,
      { candidates, ignoreRemembered: true },
    );
    if (!resolved.ok) {
      // A transient or connection failure would fail every remaining party the same way: stop and say so.
      if (resolved.error.retryable || resolved.error.code === 'qbo_needs_reconnect') return { ok: false, error: resolved.error };
      conflicts.push({
        localId: subject.localId,
        name: subject.name,
        title: resolved.error.title,
        message: headedFailureMessage(resolved.error),
        field: resolved.error.element ?? null,
      });
      continue;
    }
    const { value } = resolved;
    const entry: PartySyncEntry = { localId: subject.localId, name: subject.name, qboId: value.qboId, qboName: value.displayName, action: value.action, note: value.note };
    if (value.action === 'created' || value.action === 'created_renamed') {
      created.push(entry);
      // A second Workroom party of the same name links to this record instead of making another.
      candidates.push({ Id: value.qboId, DisplayName: value.displayName, Active: true });
      live.set(value.qboId, { Id: value.qboId, DisplayName: value.displayName, Active: true });
    } else {
      matched.push(entry);
    }
  }
  return { ok: true, value: { role, realmId: deps.scope.realmId, total: subjects.length, matched, created, conflicts } };
}
