import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { Client, Vendor } from '../../domain/model.js';
import { deriveRequestId, type QboClient, type QboError, type Result } from '../client/index.js';
import { QboIdMap, type IdMapScope, type RememberedId } from '../connection/id-map.js';
import { buildCustomer, buildVendor, qboDisplayName, type MappingProblem, type QboPartyPayload } from '../mapping/index.js';
import { guardPartyCreation } from './duplicate-guard.js';
import { onDuplicateName, partyLookupQuery, pickPartyMatch, type PartyCandidate, type PartyRole } from './party-match.js';
import { failureFromProblems, failureFromQboError, partyFieldFor, PUSH_FAILURE_TITLES, qboStep, type PushFailure } from './push-errors.js';

/** The QBO calls party resolution makes; a QboClient, or a fake in tests. */
export type PartyClient = Pick<QboClient, 'query' | 'create'>;

/**
 * - remembered: the id saved for this (org, realm) was used, no lookup;
 * - matched: an existing QBO record with the same name was found and linked;
 * - created: a new QBO record was made;
 * - created_renamed: the name belonged to another kind of party (6240), so it was created as "<name> (Customer)".
 */
export const PARTY_ACTIONS = ['remembered', 'matched', 'created', 'created_renamed'] as const;
export type PartyAction = (typeof PARTY_ACTIONS)[number];

export interface PartyResolution {
  readonly qboId: string;
  readonly displayName: string;
  readonly action: PartyAction;
  /** What a user should know about the decision, e.g. the rename after a name conflict or Create anyway; null when nothing. */
  readonly note: string | null;
}

/** One Workroom client or vendor as party resolution needs it. */
export interface PartySubject {
  readonly role: PartyRole;
  readonly localId: string;
  /** clientInformation.name (never fullName) or the vendor's name. */
  readonly name: string;
  readonly payload: (displayName?: string) => Result<QboPartyPayload, MappingProblem[]>;
}

export function customerSubject(client: Pick<Client, 'id' | 'clientInformation'>): PartySubject {
  return {
    role: 'customer',
    localId: client.id,
    name: client.clientInformation.name,
    payload: (displayName) => buildCustomer(client, displayName === undefined ? {} : { displayName }),
  };
}

export function vendorSubject(vendor: Pick<Vendor, 'id' | 'name' | 'email' | 'phone' | 'address'>): PartySubject {
  return {
    role: 'vendor',
    localId: vendor.id,
    name: vendor.name,
    payload: (displayName) => buildVendor(vendor, displayName === undefined ? {} : { displayName }),
  };
}

export interface PartyDeps {
  readonly db: Kysely<Database>;
  readonly client: PartyClient;
  readonly scope: IdMapScope;
  /** Stable per logical run (the push job's requestid): every create derives its own requestid from it. */
  readonly requestIdBase: string;
  readonly now?: () => Date;
}

export interface ResolveOptions {
  /**
   * Every QBO record of the role, fetched once by a whole-list sync. Without it, a lookup query for this
   * party's names is made.
   */
  readonly candidates?: readonly (PartyCandidate & { SyncToken?: string })[];
  /** Skip the remembered id (a sync re-checks that every link still points at a live record). */
  readonly ignoreRemembered?: boolean;
  /** The remembered id, already read (a bulk batch reads its parties' at once); undefined: look it up. */
  readonly remembered?: RememberedId | undefined;
}

const ENTITY: Readonly<Record<PartyRole, 'Customer' | 'Vendor'>> = { customer: 'Customer', vendor: 'Vendor' };
const NAME_FIELD: Readonly<Record<PartyRole, string>> = { customer: 'clientInformation.name', vendor: 'name' };
const ROLE_WORD: Readonly<Record<PartyRole, string>> = { customer: 'client', vendor: 'vendor' };

function conflict(role: PartyRole, message: string): PushFailure {
  return {
    code: `${role}_conflict`,
    title: PUSH_FAILURE_TITLES[`${role}_conflict`],
    message,
    element: NAME_FIELD[role],
    retryable: false,
    definitiveRejection: true,
  };
}

async function lookup(deps: PartyDeps, subject: PartySubject): Promise<Result<(PartyCandidate & { SyncToken?: string })[], PushFailure>> {
  const found = await qboStep(() => deps.client.query(ENTITY[subject.role], () => partyLookupQuery(subject.name, subject.role)));
  if (!found.ok) return { ok: false, error: failureFromQboError(found.error, { role: subject.role }) };
  return { ok: true, value: found.value.items };
}

/**
 * Finds or creates the QBO customer (or vendor) for a Workroom party, and remembers its id for (org, realm).
 *
 * Matching is by name, case-insensitive and trimmed (party-match.ts), through a quoted query, inactive records
 * included. A name QBO refuses as already used (6240) is looked up once more first, because a concurrent push of
 * another document for the same party may have just created it; only when no record of this role has it is the
 * name taken by another kind of party, and then the rule in party-match.ts (create as "<name> (Customer)") applies.
 * Nothing is created next to a QBO record whose name differs only in punctuation, spacing or case ("Smith LLC" vs
 * "Smith, LLC"): the push stops with "Possible duplicate" until the user links the party or chooses Create anyway
 * (duplicate-guard.ts).
 */
export async function resolveParty(deps: PartyDeps, subject: PartySubject, options: ResolveOptions = {}): Promise<Result<PartyResolution, PushFailure>> {
  const ids = new QboIdMap(deps.db);
  if (options.ignoreRemembered !== true) {
    const remembered = options.remembered ?? (await ids.lookup(deps.scope, subject.role, subject.localId));
    if (remembered) return { ok: true, value: { qboId: remembered.qboId, displayName: qboDisplayName(subject.name), action: 'remembered', note: null } };
  }
  const remember = async (qboId: string, syncToken: string | undefined) =>
    ids.remember(deps.scope, subject.role, subject.localId, { qboId, syncToken: syncToken ?? null }, (deps.now?.() ?? new Date()).toISOString());

  let pool = options.candidates;
  if (pool === undefined) {
    const found = await lookup(deps, subject);
    if (!found.ok) return found;
    pool = found.value;
  }

  const linked = linkMatch(subject, pool);
  if (linked !== undefined) {
    if (!linked.ok) return linked;
    await remember(linked.value.qboId, linked.value.syncToken);
    return { ok: true, value: linked.value.resolution };
  }

  const clearance = await guardPartyCreation(deps, subject, options.candidates);
  if (!clearance.ok) return clearance;
  const choiceNote = clearance.value.kind === 'create_anyway' ? clearance.value.note : null;
  let displayName = qboDisplayName(subject.name);
  let renameNote: string | null = null;
  for (let lookedAgain = false; ; ) {
    const payload = subject.payload(renameNote === null ? undefined : displayName);
    if (!payload.ok) return { ok: false, error: failureFromProblems(payload.error) };
    const created = await qboStep(() =>
      deps.client.create(ENTITY[subject.role], payload.value, {
        requestId: deriveRequestId(deps.requestIdBase, subject.role, subject.localId, payload.value.DisplayName),
      }),
    );
    if (created.ok) {
      await remember(created.value.Id, created.value.SyncToken);
      const note = [renameNote, choiceNote].filter((n): n is string => n !== null).join(' ') || null;
      return {
        ok: true,
        value: { qboId: created.value.Id, displayName: created.value.DisplayName, action: renameNote === null ? 'created' : 'created_renamed', note },
      };
    }
    if (created.error.code !== 'qbo_duplicate_name') return { ok: false, error: creationFailure(subject, created.error) };
    if (!lookedAgain) {
      lookedAgain = true;
      const again = await lookup(deps, subject);
      if (!again.ok) return again;
      const late = linkMatch(subject, again.value);
      if (late !== undefined) {
        if (!late.ok) return late;
        await remember(late.value.qboId, late.value.syncToken);
        return { ok: true, value: late.value.resolution };
      }
    }
    const decision = onDuplicateName(subject.name, subject.role, payload.value.DisplayName);
    if (decision.action === 'give_up') {
      return { ok: false, error: conflict(subject.role, `${PUSH_FAILURE_TITLES[`${subject.role}_conflict`]}: QuickBooks could not create it because of ${NAME_FIELD[subject.role]}: ${decision.reason}`) };
    }
    displayName = decision.displayName;
    renameNote = `${decision.note}.`;
  }
}

type Linked = Result<{ qboId: string; syncToken: string | undefined; resolution: PartyResolution }, PushFailure> | undefined;

/** A usable match among the candidates, a conflict the user must resolve, or undefined when there is none. */
function linkMatch(subject: PartySubject, pool: readonly (PartyCandidate & { SyncToken?: string })[]): Linked {
  const match = pickPartyMatch(subject.name, subject.role, pool);
  const kind = ENTITY[subject.role].toLowerCase();
  if (match.kind === 'none') return undefined;
  if (match.kind === 'ambiguous') {
    const names = match.parties.map((p) => `"${p.DisplayName}" (id ${p.Id})`).join(' and ');
    return {
      ok: false,
      error: conflict(
        subject.role,
        `${PUSH_FAILURE_TITLES[`${subject.role}_conflict`]}: QuickBooks has more than one active ${kind} named like "${qboDisplayName(subject.name)}": ${names}; ` +
          `merge or rename them in QuickBooks, or rename the ${ROLE_WORD[subject.role]} in Workroom`,
      ),
    };
  }
  if (match.inactive) {
    return {
      ok: false,
      error: conflict(
        subject.role,
        `${PUSH_FAILURE_TITLES[`${subject.role}_conflict`]}: the QuickBooks ${kind} "${match.party.DisplayName}" is inactive; ` +
          `make it active in QuickBooks, or rename the ${ROLE_WORD[subject.role]} in Workroom, then push again`,
      ),
    };
  }
  const note = match.viaConflictName
    ? `Linked to "${match.party.DisplayName}", the name Workroom gave this ${kind} after a name conflict.`
    : null;
  return {
    ok: true,
    value: {
      qboId: match.party.Id,
      syncToken: match.party.SyncToken,
      resolution: { qboId: match.party.Id, displayName: match.party.DisplayName, action: 'matched', note },
    },
  };
}

function creationFailure(subject: PartySubject, error: QboError): PushFailure {
  const base = failureFromQboError(error, { role: subject.role });
  if (base.retryable || error.code === 'qbo_needs_reconnect') return base;
  const field = partyFieldFor(error, subject.role);
  const title = PUSH_FAILURE_TITLES[`${subject.role}_not_found`];
  const blocked = field === undefined ? 'QuickBooks did not say which field' : `the field ${field} blocked it`;
  return {
    ...base,
    title,
    element: field ?? error.element,
    message: `${title}: no QuickBooks ${ENTITY[subject.role].toLowerCase()} matches "${qboDisplayName(subject.name)}" and QuickBooks refused to create one (${blocked}): ${error.message}`,
  };
}
