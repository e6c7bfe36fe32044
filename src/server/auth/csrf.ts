import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendError } from '../errors.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The origin of a URL; an unparseable one counts as the opaque origin "null". */
function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * Why a state-changing request looks forged by another site, or undefined when it does not.
 *
 * Browsers stamp every cross-origin POST/PUT/DELETE with Origin (and, today, Sec-Fetch-Site), which a
 * page cannot forge. A request carrying neither did not come from a web page (curl, scripts, the
 * tests) and cannot ride on a victim's cookie, so it passes. Same origin means the public URL's
 * origin, or the host the browser itself addressed (covers 127.0.0.1 vs localhost and the Vite proxy).
 */
export function crossSiteReason(request: FastifyRequest, publicOrigin: string): string | undefined {
  const site = header(request, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site is ${site}`;
  const origin = header(request, 'origin') ?? originOf(header(request, 'referer'));
  if (origin === undefined) return undefined;
  if (origin === publicOrigin) return undefined;
  const host = hostOf(origin);
  if (host !== undefined && host === header(request, 'host')) return undefined;
  return `Origin ${origin} is not this site`;
}

/**
 * CSRF protection for every state-changing request (the session cookie is also SameSite=Lax). GETs are
 * exempt and change nothing, which keeps Intuit's redirect to the OAuth callback working.
 */
export function registerCsrfProtection(app: FastifyInstance, publicUrl: string): void {
  const publicOrigin = new URL(publicUrl).origin;
  app.addHook('onRequest', async (request, reply) => {
    if (!STATE_CHANGING.has(request.method)) return;
    const reason = crossSiteReason(request, publicOrigin);
    if (reason === undefined) return;
    request.log.warn({ csrf: reason, url: request.routeOptions.url }, 'cross-site request refused');
    return sendError(reply, 403, {
      error: 'forbidden',
      message: `This request came from another site (${reason}), so it was refused. Use Workroom from its own address.`,
    });
  });
}
