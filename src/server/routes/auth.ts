import type { FastifyReply } from 'fastify';
import { api, SESSION_COOKIE } from '../api/contract.js';
import { findUserByEmail, getOrganisation, passwordHashOf, setPasswordHash, toUser } from '../../domain/store/organisations.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/passwords.js';
import { sessionOf } from '../auth/plugin.js';
import { admitPasswordAttempt, clearPasswordAttempts, currentPasswordKey, loginKey, retryAfterText } from '../auth/password-throttle.js';
import { createSession, deleteExpiredSessions, deleteOtherSessions, deleteSession, deleteSessionByToken } from '../auth/sessions.js';
import { sendError, sendFailure } from '../errors.js';
import { bind } from './define.js';
import { typed, type RouteRegistrar } from './deps.js';

/** The one answer to a throttled password guess, log-in or password form: 429, Retry-After, and when to try again. */
function refuseGuess(reply: FastifyReply, retryAfterSeconds: number, tooMany: string): FastifyReply {
  return sendError(reply.header('retry-after', String(retryAfterSeconds)), 429, {
    error: 'rate_limited',
    message: `${tooMany}. Try again ${retryAfterText(retryAfterSeconds)}.`,
  });
}

export const authRoutes: RouteRegistrar = (app, { db, secureCookies }) => {
  const r = typed(app);

  r.route({
    ...bind(api.login),
    handler: async (req, reply) => {
      const admission = await admitPasswordAttempt(db, loginKey(req.body.email, req.ip));
      if (!admission.allowed) {
        return refuseGuess(reply, admission.retryAfterSeconds, 'Too many log-in attempts for this email');
      }
      const user = await findUserByEmail(db, req.body.email);
      // Unknown emails still pay for one scrypt, so timing does not reveal which accounts exist.
      const ok = await verifyPassword(req.body.password, user?.password_hash ?? (await dummyPasswordHash()));
      const organisation = user && ok && user.removed_at === null ? await getOrganisation(db, user.org_id) : undefined;
      if (!user || !organisation) return sendError(reply, 401, { error: 'unauthorized', message: 'wrong email or password' });
      await clearPasswordAttempts(db, admission.key);
      // Session fixation: whatever session the browser arrived with ends here; only the fresh one is valid.
      const previous = req.cookies[SESSION_COOKIE];
      if (previous !== undefined) await deleteSessionByToken(db, previous);
      const session = await createSession(db, user);
      await deleteExpiredSessions(db);
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies,
        expires: session.expiresAt,
      });
      return { user: toUser(user), organisation };
    },
  });

  r.route({
    ...bind(api.logout),
    handler: async (req, reply) => {
      await deleteSession(db, sessionOf(req).sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies });
      return reply.code(204).send();
    },
  });

  r.route({
    ...bind(api.changePassword),
    handler: async (req, reply) => {
      const { user, sessionId } = sessionOf(req);
      const admission = await admitPasswordAttempt(db, currentPasswordKey(user.id));
      if (!admission.allowed) {
        return refuseGuess(reply, admission.retryAfterSeconds, 'Too many wrong current passwords');
      }
      const current = await passwordHashOf(db, user.id);
      if (current === undefined || !(await verifyPassword(req.body.currentPassword, current))) {
        return sendFailure(reply, { kind: 'invalid', violations: [{ field: 'currentPassword', message: 'is not your current password' }] });
      }
      await clearPasswordAttempts(db, admission.key);
      await setPasswordHash(db, user.id, await hashPassword(req.body.newPassword));
      // Whoever else held a session (another browser, someone who learnt the old password) must log in again.
      await deleteOtherSessions(db, user.id, sessionId);
      return reply.code(204).send();
    },
  });

  r.route({
    ...bind(api.me),
    handler: (req) => {
      const { user, organisation } = sessionOf(req);
      return Promise.resolve({ user, organisation });
    },
  });
};
