import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { err, ok, QboError, type QboClient, type Result } from '../client/index.js';
import type { QboConnectionService } from '../connection/connection-service.js';
import type { IdMapScope } from '../connection/id-map.js';
import { QboIdMap } from '../connection/id-map.js';
import { decideCreateAnyway, findPartyDuplicate, possibleDuplicateMessage, type PartyDuplicate } from './duplicate-guard.js';
import {
  findLocalParty,
  findManualLink,
  linkedParties,
  linkParty,
  type LocalParty,
  pageOfChoices,
  PARTY_ENTITY,
  PARTY_SEARCH_PAGE_SIZE,
  PARTY_WORDS,
  partySearchQuery,
  unlinkParty,
} from './party-link.js';
import type { PartyRole } from './party-match.js';

/** The client/vendor page's QuickBooks panel: its link, the type-ahead, Link / Unlink, and Create anyway. */

export type LinkKind = 'clients' | 'vendors';
const ROLE_OF: Readonly<Record<LinkKind, PartyRole>> = { clients: 'customer', vendors: 'vendor' };

export interface LinkView {
  readonly kind: LinkKind;
  readonly id: string;
  readonly name: string;
  readonly company: { readonly realmId: string; readonly name: string; readonly connected: boolean } | null;
  readonly link: {
    readonly qboId: string;
    readonly displayName: string | null;
    readonly active: boolean | null;
    readonly url: string | null;
    /** Set when the link was made by hand: who and when. */
    readonly linkedByEmail: string | null;
    readonly linkedAt: string | null;
  } | null;
  readonly duplicate:
    | (Pick<PartyDuplicate, 'status' | 'localName' | 'flaggedAt' | 'decidedAt' | 'stale'> & {
        readonly candidates: { qboId: string; displayName: string }[];
        readonly message: string;
      })
    | null;
  readonly notice: string | null;
}

export interface SearchChoice {
  readonly qboId: string;
  readonly displayName: string;
  readonly active: boolean;
  readonly email: string | null;
  readonly linkedTo: LocalParty | null;
}

export type LinkServiceError =
  | { readonly kind: 'not_found'; readonly message: string }
  /** 409: not connected, linked elsewhere, inactive record, nothing to decide. */
  | { readonly kind: 'conflict'; readonly message: string }
  /** 502: QuickBooks failed; its message verbatim. */
  | { readonly kind: 'qbo'; readonly message: string };

interface Context {
  readonly role: PartyRole;
  readonly party: LocalParty;
  readonly company: LinkView['company'];
  readonly scope: IdMapScope | null;
}

export class PartyLinkService {
  readonly #db: Kysely<Database>;
  readonly #qbo: QboConnectionService;
  readonly #now: () => Date;

  constructor(deps: { db: Kysely<Database>; qbo: QboConnectionService; now?: () => Date }) {
    this.#db = deps.db;
    this.#qbo = deps.qbo;
    this.#now = deps.now ?? (() => new Date());
  }

  async view(orgId: string, kind: LinkKind, id: string): Promise<Result<LinkView, LinkServiceError>> {
    const context = await this.#context(orgId, kind, id);
    if (!context.ok) return context;
    return ok(await this.#view(orgId, kind, context.value));
  }

  async search(orgId: string, kind: LinkKind, id: string, text: string, page: number): Promise<Result<{ items: SearchChoice[]; page: number; hasMore: boolean }, LinkServiceError>> {
    const context = await this.#context(orgId, kind, id);
    if (!context.ok) return context;
    const client = await this.#client(orgId);
    if (!client.ok) return client;
    const { role } = context.value;
    const scope = { orgId, realmId: client.value.realmId };
    let rows;
    try {
      rows = (await client.value.query(PARTY_ENTITY[role], () => partySearchQuery(role, text, page))).items;
    } catch (error) {
      return qboFailure(error);
    }
    const { items, hasMore } = pageOfChoices(rows, PARTY_SEARCH_PAGE_SIZE);
    const owners = await linkedParties(this.#db, scope, role, items.map((r) => r.Id));
    return ok({
      page,
      hasMore,
      items: items.map((r) => ({
        qboId: r.Id,
        displayName: r.DisplayName,
        active: r.Active !== false,
        email: r.PrimaryEmailAddr?.Address ?? null,
        linkedTo: owners.get(r.Id) ?? null,
      })),
    });
  }

  /** Reads the record first: it must exist and be active, and its current SyncToken is remembered with the id. */
  async link(orgId: string, kind: LinkKind, id: string, qboId: string, userId: string | null): Promise<Result<LinkView, LinkServiceError>> {
    const context = await this.#context(orgId, kind, id);
    if (!context.ok) return context;
    const client = await this.#client(orgId);
    if (!client.ok) return client;
    const { role } = context.value;
    const words = PARTY_WORDS[role];
    let record;
    try {
      record = await client.value.read(PARTY_ENTITY[role], qboId);
    } catch (error) {
      if (error instanceof QboError && (error.code === 'qbo_not_found' || error.code === 'qbo_invalid_reference')) {
        return err({ kind: 'conflict', message: `QuickBooks has no ${words.qbo} with id ${qboId}: ${error.message}` });
      }
      return qboFailure(error);
    }
    if (record.Active === false) {
      return err({ kind: 'conflict', message: `The QuickBooks ${words.qbo} “${record.DisplayName}” is inactive. Make it active in QuickBooks first, or pick another record.` });
    }
    const scope = { orgId, realmId: client.value.realmId };
    const linked = await linkParty(this.#db, scope, { role, localId: id, qboId: record.Id, qboName: record.DisplayName, syncToken: record.SyncToken, userId }, this.#now());
    if (!linked.ok) {
      return err(linked.error.kind === 'not_found' ? notFound(kind) : { kind: 'conflict', message: linked.error.message });
    }
    return this.view(orgId, kind, id);
  }

  async unlink(orgId: string, kind: LinkKind, id: string): Promise<Result<LinkView, LinkServiceError>> {
    const context = await this.#context(orgId, kind, id);
    if (!context.ok) return context;
    if (context.value.scope === null) return err({ kind: 'conflict', message: 'QuickBooks was never connected, so there is nothing to unlink.' });
    await unlinkParty(this.#db, context.value.scope, context.value.role, id);
    return this.view(orgId, kind, id);
  }

  /** "Create anyway" after a Possible duplicate: the next push creates the party under its current name. */
  async createAnyway(orgId: string, kind: LinkKind, id: string, userId: string): Promise<Result<LinkView, LinkServiceError>> {
    const context = await this.#context(orgId, kind, id);
    if (!context.ok) return context;
    const { scope, role } = context.value;
    const flagged = scope === null ? undefined : await findPartyDuplicate(this.#db, scope, role, id, context.value.party.name);
    if (scope === null || flagged === undefined) return err({ kind: 'conflict', message: 'No push has flagged this name as a possible duplicate.' });
    if (flagged.stale) {
      return err({ kind: 'conflict', message: 'The name changed since the push flagged it; push again to check the new name.' });
    }
    const decided = await decideCreateAnyway(this.#db, scope, role, id, userId, this.#now());
    if (!decided.ok) return err({ kind: 'conflict', message: 'No push has flagged this name as a possible duplicate.' });
    return this.view(orgId, kind, id);
  }

  async #context(orgId: string, kind: LinkKind, id: string): Promise<Result<Context, LinkServiceError>> {
    const role = ROLE_OF[kind];
    const party = await findLocalParty(this.#db, orgId, role, id);
    if (!party) return err(notFound(kind));
    const status = await this.#qbo.status(orgId);
    const company = status.company === null ? null : { realmId: status.company.realmId, name: status.company.name, connected: status.status === 'connected' };
    return ok({ role, party, company, scope: company === null ? null : { orgId, realmId: company.realmId } });
  }

  async #client(orgId: string): Promise<Result<QboClient, LinkServiceError>> {
    const client = await this.#qbo.getClientFor(orgId);
    return client.ok ? client : err({ kind: 'conflict', message: client.error.message });
  }

  async #view(orgId: string, kind: LinkKind, context: Context): Promise<LinkView> {
    const { role, party, company, scope } = context;
    const base = { kind, id: party.id, name: party.name, company };
    if (scope === null) return { ...base, link: null, duplicate: null, notice: null };
    const remembered = await new QboIdMap(this.#db).lookup(scope, role, party.id);
    const flagged = remembered ? undefined : await findPartyDuplicate(this.#db, scope, role, party.id, party.name);
    const duplicate =
      flagged === undefined
        ? null
        : {
            status: flagged.status,
            localName: flagged.localName,
            flaggedAt: flagged.flaggedAt,
            decidedAt: flagged.decidedAt,
            stale: flagged.stale,
            candidates: [...flagged.candidates],
            message: possibleDuplicateMessage(role, flagged.localName, flagged.candidates),
          };
    if (!remembered) return { ...base, link: null, duplicate, notice: null };
    let notice: string | null = null;
    let live: { displayName: string; active: boolean; url: string } | null = null;
    if (company?.connected === true) {
      const client = await this.#qbo.getClientFor(orgId);
      if (client.ok && client.value.realmId === scope.realmId) {
        try {
          const record = await client.value.read(PARTY_ENTITY[role], remembered.qboId);
          live = { displayName: record.DisplayName, active: record.Active !== false, url: client.value.recordUrl(PARTY_ENTITY[role], record.Id) };
        } catch (error) {
          if (!(error instanceof QboError)) throw error;
          notice = `QuickBooks could not show the linked ${PARTY_WORDS[role].qbo} just now: ${error.message}`;
        }
      } else if (!client.ok) {
        notice = client.error.message;
      }
    }
    const manual = await findManualLink(this.#db, scope, role, party.id);
    const byHand = manual?.qboId === remembered.qboId ? manual : undefined;
    return {
      ...base,
      link: {
        qboId: remembered.qboId,
        displayName: live?.displayName ?? null,
        active: live?.active ?? null,
        url: live?.url ?? null,
        linkedByEmail: byHand?.linkedByEmail ?? null,
        linkedAt: byHand?.linkedAt ?? null,
      },
      duplicate,
      notice,
    };
  }
}

function notFound(kind: LinkKind): LinkServiceError {
  return { kind: 'not_found', message: `No such ${kind === 'clients' ? 'client' : 'vendor'} in your organisation` };
}

function qboFailure(error: unknown): { ok: false; error: LinkServiceError } {
  if (error instanceof QboError) {
    return err(error.code === 'qbo_needs_reconnect' ? { kind: 'conflict', message: error.message } : { kind: 'qbo', message: `QuickBooks: ${error.message}` });
  }
  throw error;
}
