import { timingSafeEqual } from 'node:crypto';
import type { QboEnvironment } from '../contract.js';

/** An app registered on the (emulated) Intuit developer portal. */
export interface OAuthClientRegistration {
  clientId: string;
  clientSecret: string;
  /** Shown on the consent page. */
  appName: string;
  /** Exact redirect URIs, as registered on the portal's Keys tab. */
  redirectUris: readonly string[];
  /** Also accept any http://localhost:* or http://127.0.0.1:* URL (a local-development convenience). */
  allowLoopbackRedirects: boolean;
  /** Which companies this key set may connect; Intuit gives development keys sandbox companies only. */
  environments: readonly QboEnvironment[];
}

export const EMULATOR_CLIENT_ID = 'ABemulatorWorkroomQboClientId0000000000000000000';
export const EMULATOR_CLIENT_SECRET = 'emulatorWorkroomQboClientSecret000000000';

export const DEFAULT_OAUTH_CLIENT: Readonly<OAuthClientRegistration> = Object.freeze<OAuthClientRegistration>({
  clientId: EMULATOR_CLIENT_ID,
  clientSecret: EMULATOR_CLIENT_SECRET,
  appName: 'Workroom',
  redirectUris: [],
  allowLoopbackRedirects: true,
  environments: ['sandbox', 'production'],
});

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

export class OAuthClientRegistry {
  readonly #clients: ReadonlyMap<string, Readonly<OAuthClientRegistration>>;

  constructor(clients: readonly OAuthClientRegistration[] = [DEFAULT_OAUTH_CLIENT]) {
    this.#clients = new Map(clients.map((client) => [client.clientId, Object.freeze({ ...client })]));
  }

  find(clientId: string | undefined): Readonly<OAuthClientRegistration> | undefined {
    return clientId === undefined ? undefined : this.#clients.get(clientId);
  }

  /** Client authentication at the token and revoke endpoints; constant-time on the secret. */
  authenticate(clientId: string, clientSecret: string): Readonly<OAuthClientRegistration> | undefined {
    const client = this.#clients.get(clientId);
    if (!client) return undefined;
    const expected = Buffer.from(client.clientSecret);
    const given = Buffer.from(clientSecret);
    return expected.length === given.length && timingSafeEqual(expected, given) ? client : undefined;
  }
}

export function isRedirectUriAllowed(client: OAuthClientRegistration, redirectUri: string): boolean {
  if (client.redirectUris.includes(redirectUri)) return true;
  if (!client.allowLoopbackRedirects) return false;
  try {
    const url = new URL(redirectUri);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && url.hash === '';
  } catch {
    return false;
  }
}
