import { createHash, randomBytes } from 'node:crypto';
import { err, type Result } from '../client/index.js';

export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

/** Who started an authorization: the callback must come back to the same browser session and org. */
export interface StateOwner {
  readonly orgId: string;
  readonly userId: string;
  readonly sessionId: string;
}

export type StateRejection = 'missing' | 'unknown' | 'used' | 'expired' | 'other_session';

export type ConsumeOutcome = { ok: true; owner: StateOwner } | { ok: false; reason: Exclude<StateRejection, 'missing'> };

/**
 * Pending authorizations keyed by the sha256 of the state (the raw value is never stored). `consume` must
 * mark a state used exactly once, even under concurrent callbacks, and burn it whatever the outcome.
 */
export interface OAuthStateStorePort {
  save(stateHash: string, owner: StateOwner, createdAt: Date, expiresAt: Date): Promise<void>;
  consume(stateHash: string, caller: { orgId: string; sessionId: string }, now: Date): Promise<ConsumeOutcome>;
}

export function hashState(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex');
}

/** A fresh unguessable state for the authorize URL, remembered for 10 minutes for this session and org. */
export async function issueOAuthState(store: OAuthStateStorePort, owner: StateOwner, now: Date = new Date()): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  await store.save(hashState(state), owner, now, new Date(now.getTime() + OAUTH_STATE_TTL_MS));
  return state;
}

export async function consumeOAuthState(
  store: OAuthStateStorePort,
  state: string | undefined,
  caller: { orgId: string; sessionId: string },
  now: Date = new Date(),
): Promise<Result<StateOwner, StateRejection>> {
  if (state === undefined || state.length === 0 || state.length > 200) return err('missing');
  const outcome = await store.consume(hashState(state), caller, now);
  return outcome.ok ? { ok: true, value: outcome.owner } : err(outcome.reason);
}

interface PendingState {
  readonly owner: StateOwner;
  readonly expiresAt: Date;
  used: boolean;
}

/** The same contract in memory, for tests and single-process tools. */
export class InMemoryOAuthStateStore implements OAuthStateStorePort {
  readonly #states = new Map<string, PendingState>();

  save(stateHash: string, owner: StateOwner, _createdAt: Date, expiresAt: Date): Promise<void> {
    this.#states.set(stateHash, { owner, expiresAt, used: false });
    return Promise.resolve();
  }

  consume(stateHash: string, caller: { orgId: string; sessionId: string }, now: Date): Promise<ConsumeOutcome> {
    return Promise.resolve(this.#consume(stateHash, caller, now));
  }

  #consume(stateHash: string, caller: { orgId: string; sessionId: string }, now: Date): ConsumeOutcome {
    const pending = this.#states.get(stateHash);
    if (pending === undefined) return { ok: false, reason: 'unknown' };
    if (pending.used) return { ok: false, reason: 'used' };
    pending.used = true;
    if (pending.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
    if (pending.owner.sessionId !== caller.sessionId || pending.owner.orgId !== caller.orgId) {
      return { ok: false, reason: 'other_session' };
    }
    return { ok: true, owner: pending.owner };
  }
}
