import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import type { Organisation, User } from '../../domain/model.js';
import { toOrganisation, toUser } from '../../domain/store/organisations.js';

export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export interface SessionContext {
  sessionId: string;
  user: User;
  organisation: Organisation;
}

/** The cookie carries the token; the table stores only its hash. */
function sessionIdFor(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(db: Kysely<Database>, user: { id: string; org_id: string }): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db
    .insertInto('sessions')
    .values({ id: sessionIdFor(token), user_id: user.id, org_id: user.org_id, created_at: nowIso(), expires_at: expiresAt.toISOString() })
    .execute();
  return { token, expiresAt };
}

export async function resolveSession(db: Kysely<Database>, token: string): Promise<SessionContext | undefined> {
  const id = sessionIdFor(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('organisations', 'organisations.id', 'sessions.org_id')
    .select([
      'sessions.id as session_id',
      'sessions.expires_at',
      'users.id as user_id',
      'users.email',
      'users.role',
      'organisations.id',
      'organisations.name',
      'organisations.country',
      'organisations.home_currency',
      'organisations.sales_tax_rate',
      'organisations.created_at',
      'organisations.updated_at',
    ])
    .where('sessions.id', '=', id)
    .where('users.removed_at', 'is', null)
    .executeTakeFirst();
  if (!row || row.expires_at <= nowIso()) return undefined;
  return {
    sessionId: row.session_id,
    user: toUser({ id: row.user_id, email: row.email, role: row.role }),
    organisation: toOrganisation(row),
  };
}

export async function deleteSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of a user but the one they are using (after a password change). */
export async function deleteOtherSessions(db: Kysely<Database>, userId: string, keepSessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepSessionId).execute();
}

/** Ends the session a cookie token names, if it still exists. */
export async function deleteSessionByToken(db: Kysely<Database>, token: string): Promise<void> {
  await deleteSession(db, sessionIdFor(token));
}

export async function deleteExpiredSessions(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', nowIso()).execute();
}
