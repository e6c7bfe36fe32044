import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/index.js';
import type { QboPartyDuplicatesTable } from '../../db/tables/month-end.js';
import { err, ok, type QboClient, type Result } from '../client/index.js';
import type { IdMapScope } from '../connection/id-map.js';
import { PARTY_ENTITY, PARTY_WORDS } from './party-link.js';
import { nearDuplicateKey, nearDuplicateProbeQuery, normalizePartyName, type PartyCandidate, type PartyRole } from './party-match.js';
import { POSSIBLE_DUPLICATE_CODE } from './month-end-words.js';
import { failureFromQboError, PUSH_FAILURE_TITLES, type PushFailure, qboStep } from './push-errors.js';

/**
 * "Possible duplicate": before a push CREATES a customer/vendor, QBO records whose name has the same letters and
 * digits (punctuation, spacing and case dropped: "Smith LLC" vs "Smith, LLC") stop it. The user then links the
 * party to one of them or chooses Create anyway; nothing is ever created next to a close name silently.
 */

export interface DuplicateCandidate {
  readonly qboId: string;
  readonly displayName: string;
}

export type DuplicateCheck =
  | { readonly kind: 'clear' }
  /** The user chose Create anyway for this very name: who and when. */
  | {
      readonly kind: 'create_anyway';
      readonly candidates: readonly DuplicateCandidate[];
      readonly decidedBy: string | null;
      readonly decidedAt: string | null;
    }
  | { readonly kind: 'possible_duplicate'; readonly candidates: readonly DuplicateCandidate[]; readonly message: string };

/** Records that differ from `name` only in punctuation, spacing or case; exact (normalised) matches are not duplicates. */
export function closeNameMatches<T extends PartyCandidate>(name: string, candidates: readonly T[]): T[] {
  const key = nearDuplicateKey(name);
  if (key === '') return [];
  const exact = normalizePartyName(name);
  return candidates.filter((c) => nearDuplicateKey(c.DisplayName) === key && normalizePartyName(c.DisplayName) !== exact);
}

const quoted = (candidates: readonly DuplicateCandidate[]): string => candidates.map((c) => `“${c.displayName}”`).join(', ');

export function possibleDuplicateMessage(role: PartyRole, name: string, candidates: readonly DuplicateCandidate[]): string {
  const words = PARTY_WORDS[role];
  const names = quoted(candidates);
  const which = candidates.length === 1 ? `the ${words.qbo} ${names}` : `the ${words.qbo}s ${names}`;
  return (
    `Possible duplicate: QuickBooks already has ${which}, whose name differs from “${name}” only in punctuation, spacing or case. ` +
    `Open the ${words.local} and choose Link to use that record, or Create anyway.`
  );
}

const CandidatesSchema = z.array(z.object({ qboId: z.string(), displayName: z.string() }));

export interface PartyDuplicate {
  readonly role: PartyRole;
  readonly localId: string;
  readonly localName: string;
  readonly candidates: readonly DuplicateCandidate[];
  readonly status: 'pending' | 'create_anyway';
  readonly flaggedAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  /** The party was renamed since: the flag no longer describes its current name. */
  readonly stale: boolean;
}

function toView(row: Selectable<QboPartyDuplicatesTable>, role: PartyRole, currentName: string | undefined): PartyDuplicate {
  return {
    role,
    localId: row.local_id,
    localName: row.local_name,
    candidates: CandidatesSchema.parse(JSON.parse(row.candidates)),
    status: row.status,
    flaggedAt: row.flagged_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    stale: currentName !== undefined && nearDuplicateKey(currentName) !== row.name_key,
  };
}

function rowQuery(db: Kysely<Database>, scope: IdMapScope, role: PartyRole, localId: string) {
  return db
    .selectFrom('qbo_party_duplicates')
    .selectAll()
    .where('org_id', '=', scope.orgId)
    .where('realm_id', '=', scope.realmId)
    .where('entity_type', '=', role)
    .where('local_id', '=', localId);
}

export interface DuplicateCheckInput {
  readonly scope: IdMapScope;
  readonly role: PartyRole;
  readonly localId: string;
  /** The name the push would create the party under. */
  readonly name: string;
  /** QBO records a lookup found for the name (e.g. nearDuplicateProbeQuery's rows, or pickPartyMatch's possibleDuplicates). */
  readonly candidates: readonly PartyCandidate[];
}

/**
 * The push engine calls this right before creating a customer/vendor. 'possible_duplicate' means: do not create;
 * fail the push with POSSIBLE_DUPLICATE_CODE and the message. The flag is kept so the client/vendor page can offer
 * Link or Create anyway; after Create anyway for the same name the answer is 'create_anyway'.
 */
export async function checkPossibleDuplicate(db: Kysely<Database>, input: DuplicateCheckInput, now: Date): Promise<DuplicateCheck> {
  const close = closeNameMatches(input.name, input.candidates);
  if (close.length === 0) return { kind: 'clear' };
  const key = nearDuplicateKey(input.name);
  const existing = await rowQuery(db, input.scope, input.role, input.localId).executeTakeFirst();
  const candidates = close.map((c) => ({ qboId: c.Id, displayName: c.DisplayName }));
  if (existing?.status === 'create_anyway' && existing.name_key === key) {
    return { kind: 'create_anyway', candidates, decidedBy: existing.decided_by, decidedAt: existing.decided_at };
  }
  const at = now.toISOString();
  const values = {
    local_name: input.name,
    name_key: key,
    candidates: JSON.stringify(candidates),
    status: 'pending' as const,
    flagged_at: at,
    decided_by: null,
    decided_at: null,
  };
  await db
    .insertInto('qbo_party_duplicates')
    .values({ org_id: input.scope.orgId, realm_id: input.scope.realmId, entity_type: input.role, local_id: input.localId, ...values })
    .onConflict((oc) => oc.columns(['org_id', 'realm_id', 'entity_type', 'local_id']).doUpdateSet(values))
    .execute();
  return { kind: 'possible_duplicate', candidates, message: possibleDuplicateMessage(input.role, input.name, candidates) };
}

/** The flag for a party, if a push raised one; `currentName` marks it stale after a rename. */
export async function findPartyDuplicate(
  db: Kysely<Database>,
  scope: IdMapScope,
  role: PartyRole,
  localId: string,
  currentName?: string,
): Promise<PartyDuplicate | undefined> {
  const row = await rowQuery(db, scope, role, localId).executeTakeFirst();
  return row ? toView(row, role, currentName) : undefined;
}

/** "Create anyway": the next push may create the party under the flagged name. */
export async function decideCreateAnyway(
  db: Kysely<Database>,
  scope: IdMapScope,
  role: PartyRole,
  localId: string,
  userId: string | null,
  now: Date,
): Promise<Result<PartyDuplicate, 'not_flagged'>> {
  const at = now.toISOString();
  const updated = await db
    .updateTable('qbo_party_duplicates')
    .set({ status: 'create_anyway', decided_by: userId, decided_at: at })
    .where('org_id', '=', scope.orgId)
    .where('realm_id', '=', scope.realmId)
    .where('entity_type', '=', role)
    .where('local_id', '=', localId)
    .returningAll()
    .executeTakeFirst();
  return updated ? ok(toView(updated, role, undefined)) : err('not_flagged');
}

export interface GuardDeps {
  readonly db: Kysely<Database>;
  readonly client: Pick<QboClient, 'query'>;
  readonly scope: IdMapScope;
  readonly now?: () => Date;
}

export interface GuardSubject {
  readonly role: PartyRole;
  readonly localId: string;
  readonly name: string;
}

/** May the push create the party? 'create_anyway' carries the sentence that tells the user why it was created. */
export type CreationClearance = { readonly kind: 'clear' } | { readonly kind: 'create_anyway'; readonly note: string };

const NAME_FIELD: Readonly<Record<PartyRole, string>> = { customer: 'clientInformation.name', vendor: 'name' };

/**
 * The push engine's hook, right before it creates a customer/vendor: go ahead, or the "Possible duplicate" failure
 * to end the push with. Without `candidates` (a whole-list sync passes its list) QBO is probed for names starting
 * like this one. A probe that fails stops the push too (retryable when QBO was only busy): creating blind could
 * make exactly the silent duplicate this guard exists to prevent.
 */
export async function guardPartyCreation(
  deps: GuardDeps,
  subject: GuardSubject,
  candidates?: readonly PartyCandidate[],
): Promise<Result<CreationClearance, PushFailure>> {
  let pool = candidates;
  if (pool === undefined) {
    const probe = nearDuplicateProbeQuery(subject.name, subject.role);
    if (probe === null) return ok({ kind: 'clear' });
    const found = await qboStep(() => deps.client.query(PARTY_ENTITY[subject.role], () => probe));
    if (!found.ok) return err(failureFromQboError(found.error, { role: subject.role }));
    pool = found.value.items;
  }
  const check = await checkPossibleDuplicate(deps.db, { scope: deps.scope, ...subject, candidates: pool }, deps.now?.() ?? new Date());
  if (check.kind === 'clear') return ok({ kind: 'clear' });
  const words = PARTY_WORDS[subject.role];
  if (check.kind === 'create_anyway') {
    const user = check.decidedBy === null ? undefined : await deps.db.selectFrom('users').select('email').where('id', '=', check.decidedBy).executeTakeFirst();
    const who = `${user === undefined ? '' : ` by ${user.email}`}${check.decidedAt === null ? '' : ` on ${check.decidedAt.slice(0, 10)}`}`;
    return ok({
      kind: 'create_anyway',
      note: `Created as a new QuickBooks ${words.qbo} because Create anyway was chosen${who}, although QuickBooks also has ${quoted(check.candidates)}.`,
    });
  }
  return err({
    code: POSSIBLE_DUPLICATE_CODE,
    title: PUSH_FAILURE_TITLES.possible_duplicate,
    message: check.message,
    // The Sync Center shows the detail under the message: the records to choose from, with their ids.
    detail: `Close ${words.qbo} names in QuickBooks: ${check.candidates.map((c) => `“${c.displayName}” (id ${c.qboId})`).join(', ')}`,
    element: NAME_FIELD[subject.role],
    retryable: false,
    definitiveRejection: true,
  });
}
