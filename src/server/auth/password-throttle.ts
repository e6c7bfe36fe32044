import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId, type Database } from '../../db/index.js';

/**
 * At most this many password guesses per key within the window; a right password clears the count. Keys are
 * hashed, so neither an email nor an address is stored.
 */
export const PASSWORD_MAX_ATTEMPTS = 5;
export const PASSWORD_WINDOW_MS = 15 * 60 * 1000;

export type PasswordAdmission = { allowed: true; key: string } | { allowed: false; retryAfterSeconds: number };

/** Log-ins count per email and client IP: one network guessing cannot lock the account out for everyone. */
export function loginKey(email: string, ip: string): string {
  return createHash('sha256').update(`${email.trim().toLowerCase()}\n${ip}`).digest('hex');
}

/**
 * The password form's "current password" counts per account from any address: whoever guesses there already holds
 * a session (perhaps a stolen one) and can change networks at will.
 */
export function currentPasswordKey(userId: string): string {
  return createHash('sha256').update(`current-password\n${userId}`).digest('hex');
}

/**
 * Records the attempt before the password is checked, then counts: of N concurrent guesses at most
 * PASSWORD_MAX_ATTEMPTS see a count within the limit, so parallel requests cannot slip past it.
 */
export async function admitPasswordAttempt(db: Kysely<Database>, key: string, now = new Date()): Promise<PasswordAdmission> {
  const since = new Date(now.getTime() - PASSWORD_WINDOW_MS).toISOString();
  const recent = async () =>
    db
      .selectFrom('login_attempts')
      .select(['attempted_at'])
      .where('key_hash', '=', key)
      .where('attempted_at', '>', since)
      .orderBy('attempted_at')
      .execute();
  const refuse = (rows: { attempted_at: string }[]): PasswordAdmission => {
    const oldest = rows[0]?.attempted_at ?? now.toISOString();
    const freeAt = new Date(oldest).getTime() + PASSWORD_WINDOW_MS;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) };
  };

  const before = await recent();
  if (before.length >= PASSWORD_MAX_ATTEMPTS) return refuse(before);
  await db.insertInto('login_attempts').values({ id: newId(), key_hash: key, attempted_at: now.toISOString() }).execute();
  const after = await recent();
  if (after.length > PASSWORD_MAX_ATTEMPTS) return refuse(after);
  // Old rows of every key are dropped here, so the table stays the size of one window.
  await db.deleteFrom('login_attempts').where('attempted_at', '<=', since).execute();
  return { allowed: true, key };
}

/** A right password starts the count afresh. */
export async function clearPasswordAttempts(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('key_hash', '=', key).execute();
}

export function retryAfterText(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? 'in a minute' : `in ${minutes} minutes`;
}
