import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';

/** Where a remembered id belongs: ids are per organisation AND per company file (realm). */
export interface IdMapScope {
  readonly orgId: string;
  readonly realmId: string;
}

export interface RememberedId {
  readonly qboId: string;
  readonly syncToken: string | null;
}

/**
 * The QBO id (and SyncToken) a Workroom record became in one realm. Reconnecting to the same realm finds
 * them again; another realm has its own, initially empty, set.
 */
export class QboIdMap {
  constructor(private readonly db: Kysely<Database>) {}

  async remember(
    scope: IdMapScope,
    entityType: string,
    localId: string,
    remembered: RememberedId,
    now: string = new Date().toISOString(),
  ): Promise<void> {
    await this.db
      .insertInto('qbo_id_map')
      .values({
        org_id: scope.orgId,
        realm_id: scope.realmId,
        entity_type: entityType,
        local_id: localId,
        qbo_id: remembered.qboId,
        sync_token: remembered.syncToken,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['org_id', 'realm_id', 'entity_type', 'local_id'])
          .doUpdateSet({ qbo_id: remembered.qboId, sync_token: remembered.syncToken, updated_at: now }),
      )
      .execute();
  }

  async lookup(scope: IdMapScope, entityType: string, localId: string): Promise<RememberedId | undefined> {
    const row = await this.db
      .selectFrom('qbo_id_map')
      .select(['qbo_id', 'sync_token'])
      .where('org_id', '=', scope.orgId)
      .where('realm_id', '=', scope.realmId)
      .where('entity_type', '=', entityType)
      .where('local_id', '=', localId)
      .executeTakeFirst();
    return row ? { qboId: row.qbo_id, syncToken: row.sync_token } : undefined;
  }

  /** Every remembered id of one type, e.g. to skip lookups for a whole client list. */
  async lookupMany(scope: IdMapScope, entityType: string, localIds: readonly string[]): Promise<Map<string, RememberedId>> {
    if (localIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('qbo_id_map')
      .select(['local_id', 'qbo_id', 'sync_token'])
      .where('org_id', '=', scope.orgId)
      .where('realm_id', '=', scope.realmId)
      .where('entity_type', '=', entityType)
      .where('local_id', 'in', [...localIds])
      .execute();
    return new Map(rows.map((r) => [r.local_id, { qboId: r.qbo_id, syncToken: r.sync_token }]));
  }
}
