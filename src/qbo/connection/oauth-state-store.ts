import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { ConsumeOutcome, OAuthStateStorePort, StateOwner } from './state.js';

const SWEEP_AFTER_MS = 24 * 60 * 60 * 1000;

/** Pending authorizations by the sha256 of their state; the raw state value is never stored. */
export class OAuthStateStore implements OAuthStateStorePort {
  constructor(private readonly db: Kysely<Database>) {}

  async save(stateHash: string, owner: StateOwner, createdAt: Date, expiresAt: Date): Promise<void> {
    // Abandoned flows would otherwise pile up; a day's margin still lets a late callback say "expired".
    const sweepBefore = new Date(createdAt.getTime() - SWEEP_AFTER_MS).toISOString();
    await this.db.deleteFrom('qbo_oauth_states').where('expires_at', '<', sweepBefore).execute();
    await this.db
      .insertInto('qbo_oauth_states')
      .values({
        state_hash: stateHash,
        org_id: owner.orgId,
        user_id: owner.userId,
        session_id: owner.sessionId,
        created_at: createdAt.toISOString(),
        expires_at: expiresAt.toISOString(),
        used_at: null,
      })
      .execute();
  }

  /**
   * Marks the state used (exactly once, even under concurrent callbacks) and checks it belongs to the
   * caller's session and org. A state presented from another session is burnt too: it has leaked.
   */
  async consume(stateHash: string, caller: { orgId: string; sessionId: string }, now: Date): Promise<ConsumeOutcome> {
    const row = await this.db
      .selectFrom('qbo_oauth_states')
      .selectAll()
      .where('state_hash', '=', stateHash)
      .executeTakeFirst();
    if (!row) return { ok: false, reason: 'unknown' };
    const claimed = await this.db
      .updateTable('qbo_oauth_states')
      .set({ used_at: now.toISOString() })
      .where('state_hash', '=', stateHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (claimed.numUpdatedRows !== 1n) return { ok: false, reason: 'used' };
    if (row.expires_at <= now.toISOString()) return { ok: false, reason: 'expired' };
    if (row.session_id !== caller.sessionId || row.org_id !== caller.orgId) return { ok: false, reason: 'other_session' };
    return { ok: true, owner: { orgId: row.org_id, userId: row.user_id, sessionId: row.session_id } };
  }
}
