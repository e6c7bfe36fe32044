import { createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

/**
 * Intuit's OpenID issuer. intuit-oauth's validateIdToken accepts only this exact value, so the emulator
 * keeps it even though its own host differs (the JWKS is served locally at /op/v1/jwks).
 */
export const INTUIT_ISSUER = 'https://oauth.platform.intuit.com/op/v1';

export interface JsonWebKey {
  kty: string;
  n: string;
  e: string;
  kid: string;
  use: 'sig';
  alg: 'RS256';
}

export interface IdTokenClaims {
  sub: string;
  aud: string[];
  realmid: string;
  auth_time: number;
  iat: number;
  exp: number;
  iss: string;
}

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** RS256 signer for id_tokens; the key pair is made per emulator instance, never stored. */
export class IdTokenSigner {
  readonly kid = randomUUID();
  readonly #privateKey: KeyObject;
  readonly #jwk: JsonWebKey;

  constructor() {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.#privateKey = privateKey;
    const exported = createPublicKey(privateKey).export({ format: 'jwk' });
    this.#jwk = { kty: 'RSA', n: String(exported.n), e: String(exported.e), kid: this.kid, use: 'sig', alg: 'RS256' };
  }

  sign(claims: IdTokenClaims): string {
    const signingInput = `${base64UrlJson({ alg: 'RS256', kid: this.kid })}.${base64UrlJson(claims)}`;
    const signature = sign('sha256', Buffer.from(signingInput), this.#privateKey).toString('base64url');
    return `${signingInput}.${signature}`;
  }

  jwks(): { keys: JsonWebKey[] } {
    return { keys: [{ ...this.#jwk }] };
  }
}
