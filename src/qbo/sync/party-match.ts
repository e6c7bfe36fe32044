import { QboQuery } from '../client/index.js';
import { QBO_DISPLAY_NAME_MAX, qboDisplayName } from '../mapping/index.js';

export type PartyRole = 'customer' | 'vendor';

/**
 * The key two names must share to be the same party: NFC, trimmed, inner whitespace collapsed, lower-cased.
 * Punctuation is kept, so "Smith LLC" and "Smith, LLC" stay two parties (that is nearDuplicateKey's job).
 */
export function normalizePartyName(name: string): string {
  return qboDisplayName(name.normalize('NFC')).replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Letters and digits only, lower-cased: "Smith, LLC" and "smith llc" share it. Used only to stop a push with
 * "Possible duplicate" before creating a party (duplicate-guard.ts), never to match silently.
 */
export function nearDuplicateKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

const CONFLICT_SUFFIX: Readonly<Record<PartyRole, string>> = { customer: ' (Customer)', vendor: ' (Vendor)' };

/**
 * The rule for QBO error 6240 (DisplayName already used by another list): DisplayName is unique across customers,
 * vendors and employees, so when a lookup found no customer yet creation fails with 6240, the name belongs to a
 * vendor or employee. We then create the customer once more as "<name> (Customer)" (vendors: "<name> (Vendor)"),
 * report that it was done, and look for that name too on later pushes, so the same party is reused and never
 * duplicated. If the suffixed name is also refused, we stop and report the conflict for the user to resolve.
 */
export function conflictDisplayName(name: string, role: PartyRole): string {
  const suffix = CONFLICT_SUFFIX[role];
  const base = qboDisplayName(name);
  return `${base.slice(0, QBO_DISPLAY_NAME_MAX - suffix.length).trimEnd()}${suffix}`;
}

export type DuplicateNameDecision =
  | { readonly action: 'retry'; readonly displayName: string; readonly note: string }
  | { readonly action: 'give_up'; readonly reason: string };

/** What to do after QBO answered 6240 to a create that used `attempted` as the DisplayName. */
export function onDuplicateName(name: string, role: PartyRole, attempted: string): DuplicateNameDecision {
  const fallback = conflictDisplayName(name, role);
  if (normalizePartyName(attempted) !== normalizePartyName(fallback)) {
    const other = role === 'customer' ? 'a vendor or employee' : 'a customer or employee';
    return {
      action: 'retry',
      displayName: fallback,
      note: `"${qboDisplayName(name)}" is already used by ${other} in QuickBooks, so the ${role} was created as "${fallback}"`,
    };
  }
  return {
    action: 'give_up',
    reason: `both "${qboDisplayName(name)}" and "${fallback}" are already used in QuickBooks; rename the ${role} in Workroom or link it to the existing record`,
  };
}

/** The DisplayNames a lookup must cover: the name itself, then the name a past 6240 conflict gave it. */
export function partyLookupNames(name: string, role: PartyRole): [string, string] {
  return [qboDisplayName(name), conflictDisplayName(name, role)];
}

/**
 * Query for both names, inactive records included (QBO hides them by default, yet their names still block
 * creation). QBO compares strings case-insensitively; the query builder escapes quotes (O'Brien).
 * https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
 */
export function partyLookupQuery(name: string, role: PartyRole): QboQuery {
  return QboQuery.select(role === 'customer' ? 'Customer' : 'Vendor')
    .where('DisplayName', 'IN', partyLookupNames(name, role))
    .where('Active', 'IN', [true, false]);
}

/**
 * A cheap probe for near duplicates: records whose name starts with the same leading letters and digits
 * ("Smith" for "Smith, LLC"), to be filtered by closeNameMatches. A difference inside the first word is not caught.
 * Null when the name does not start with a letter or digit.
 */
export function nearDuplicateProbeQuery(name: string, role: PartyRole): QboQuery | null {
  const prefix = /^[\p{L}\p{N}]+/u.exec(name.trim())?.[0];
  if (prefix === undefined) return null;
  return QboQuery.select(role === 'customer' ? 'Customer' : 'Vendor').where('DisplayName', 'LIKE', `${prefix}%`);
}

export interface PartyCandidate {
  readonly Id: string;
  readonly DisplayName: string;
  readonly Active?: boolean | undefined;
}

export type PartyMatch<T extends PartyCandidate> =
  | { readonly kind: 'matched'; readonly party: T; readonly viaConflictName: boolean; readonly inactive: boolean }
  | { readonly kind: 'ambiguous'; readonly parties: readonly T[] }
  | { readonly kind: 'none'; readonly possibleDuplicates: readonly T[] };

function sameSpelling(a: string, b: string): boolean {
  return qboDisplayName(a.normalize('NFC')).toLowerCase() === qboDisplayName(b.normalize('NFC')).toLowerCase();
}

/**
 * Picks the QBO record for a Workroom party name from query results. The exact name wins over the
 * "(Customer)"/"(Vendor)" fallback; among equals an active record wins; of two active records that both match
 * (they can differ only in inner whitespace) the one spelt as the name is the party, else they are ambiguous and
 * left to the user. With no match, records whose near-duplicate key equals the name's are returned so the caller
 * can stop with "Possible duplicate".
 */
export function pickPartyMatch<T extends PartyCandidate>(name: string, role: PartyRole, candidates: readonly T[]): PartyMatch<T> {
  const [primary, fallback] = partyLookupNames(name, role);
  for (const [lookupName, viaConflictName] of [
    [primary, false],
    [fallback, true],
  ] as const) {
    const key = normalizePartyName(lookupName);
    const hits = candidates.filter((c) => normalizePartyName(c.DisplayName) === key);
    const active = hits.filter((c) => c.Active !== false);
    // QBO's name lookup keeps inner whitespace, so a single push finds the record spelt as the name; a whole-list
    // sync must pick the same one. Only records spelt otherwise are left to the user.
    const spelt = active.length > 1 ? active.filter((c) => sameSpelling(c.DisplayName, lookupName)) : active;
    if (active.length > 1 && spelt.length !== 1) return { kind: 'ambiguous', parties: active };
    const party = spelt[0] ?? hits[0];
    if (party) return { kind: 'matched', party, viaConflictName, inactive: party.Active === false };
  }
  const near = nearDuplicateKey(name);
  return { kind: 'none', possibleDuplicates: candidates.filter((c) => near !== '' && nearDuplicateKey(c.DisplayName) === near) };
}
