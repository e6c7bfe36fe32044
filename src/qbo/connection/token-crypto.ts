import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../client/index.js';
import type { DecryptedTokens, EncryptedTokens } from './types.js';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const ENVELOPE_VERSION = 'wr1';
export const SECRET_KEY_FILE = 'secret.key';
/** The key being rotated away from; present only until every stored token is re-encrypted. */
export const PREVIOUS_SECRET_KEY_FILE = 'secret.key.previous';

export interface SecretKey {
  /** Derived from the key itself, so an envelope names the key that can open it without revealing it. */
  readonly id: string;
  readonly key: Buffer;
}

/** Encrypt with `current`; decrypt with whichever key an envelope names, so keys can rotate. */
export interface Keyring {
  readonly current: SecretKey;
  readonly previous: readonly SecretKey[];
}

export type DecryptFailure = 'malformed' | 'unknown_key' | 'tampered';

export function secretKey(key: Buffer): SecretKey {
  if (key.length !== KEY_BYTES) throw new RangeError(`A token key is ${KEY_BYTES} bytes, got ${key.length}`);
  const id = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return Object.freeze({ id, key: Buffer.from(key) });
}

/** Accepts 64 hex characters or base64/base64url of 32 bytes. */
export function parseSecretKey(text: string): SecretKey {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return secretKey(Buffer.from(trimmed, 'hex'));
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length !== KEY_BYTES || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new RangeError('The token key must be 32 bytes, written as 64 hex characters or base64');
  }
  return secretKey(bytes);
}

export class TokenCipher {
  readonly #keyring: Keyring;

  constructor(keyring: Keyring) {
    this.#keyring = Object.freeze({ current: keyring.current, previous: Object.freeze([...keyring.previous]) });
  }

  get currentKeyId(): string {
    return this.#keyring.current.id;
  }

  /** `context` is bound as associated data: a ciphertext copied to another row or field will not open. */
  encrypt(plaintext: string, context: string): string {
    const { id, key } = this.#keyring.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [ENVELOPE_VERSION, id, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  decrypt(envelope: string, context: string): Result<string, DecryptFailure> {
    const parts = envelope.split('.');
    const [version, keyId, iv, tag, ciphertext] = parts;
    if (parts.length !== 5 || version !== ENVELOPE_VERSION || !keyId || !iv || !tag || ciphertext === undefined) {
      return err('malformed');
    }
    const key = [this.#keyring.current, ...this.#keyring.previous].find((k) => k.id === keyId);
    if (key === undefined) return err('unknown_key');
    try {
      const decipher = createDecipheriv(ALGORITHM, key.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
      return ok(plaintext.toString('utf8'));
    } catch {
      return err('tampered');
    }
  }

  /** True when an envelope was written with an older key and should be re-encrypted. */
  needsReencryption(envelope: string): boolean {
    return envelope.split('.')[1] !== this.#keyring.current.id;
  }
}

function tokenContext(connectionId: string, field: 'access' | 'refresh'): string {
  return `qbo-connection:${connectionId}:${field}_token`;
}

export function encryptTokens(cipher: TokenCipher, connectionId: string, tokens: DecryptedTokens): EncryptedTokens {
  return {
    accessTokenEnc: cipher.encrypt(tokens.accessToken, tokenContext(connectionId, 'access')),
    refreshTokenEnc: cipher.encrypt(tokens.refreshToken, tokenContext(connectionId, 'refresh')),
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
  };
}

export function decryptTokens(
  cipher: TokenCipher,
  connectionId: string,
  row: EncryptedTokens,
): Result<DecryptedTokens, DecryptFailure> {
  const access = cipher.decrypt(row.accessTokenEnc, tokenContext(connectionId, 'access'));
  if (!access.ok) return access;
  const refresh = cipher.decrypt(row.refreshTokenEnc, tokenContext(connectionId, 'refresh'));
  if (!refresh.ok) return refresh;
  return ok({
    accessToken: access.value,
    refreshToken: refresh.value,
    accessTokenExpiresAt: row.accessTokenExpiresAt,
    refreshTokenExpiresAt: row.refreshTokenExpiresAt,
  });
}

export interface KeyEnv {
  readonly WORKROOM_SECRET_KEY?: string | undefined;
  /** Comma-separated keys that may still open old envelopes after a rotation. */
  readonly WORKROOM_SECRET_KEY_PREVIOUS?: string | undefined;
}

function keyFromEnv(env: KeyEnv): string | undefined {
  const text = env.WORKROOM_SECRET_KEY;
  return text !== undefined && text.trim() !== '' ? text : undefined;
}

/** The key file loadOrCreateKey reads when WORKROOM_SECRET_KEY is not set, or null when the environment holds the key. */
export function keyFileNeeded(dataDir: string, env: KeyEnv): string | null {
  return keyFromEnv(env) === undefined ? join(dataDir, SECRET_KEY_FILE) : null;
}

/**
 * The key comes from WORKROOM_SECRET_KEY; without it (the embedded default) one is generated once into
 * `<dataDir>/secret.key`, readable by the owner only.
 */
export async function loadOrCreateKey(dataDir: string, env: KeyEnv = process.env): Promise<Keyring> {
  const previous = (env.WORKROOM_SECRET_KEY_PREVIOUS ?? '')
    .split(',')
    .filter((text) => text.trim() !== '')
    .map(parseSecretKey);
  const fromEnv = keyFromEnv(env);
  if (fromEnv !== undefined) return { current: parseSecretKey(fromEnv), previous };
  const path = join(dataDir, SECRET_KEY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
  }
  // The mode given to writeFile is filtered by the umask; make sure the file really is owner-only.
  await chmod(path, 0o600);
  // An unfinished `rotate-key` leaves the old key here; it still opens whatever was not re-encrypted yet.
  const rotating = await readOptional(join(dataDir, PREVIOUS_SECRET_KEY_FILE));
  return { current: parseSecretKey(await readFile(path, 'utf8')), previous: rotating === undefined ? previous : [...previous, parseSecretKey(rotating)] };
}

export function generateSecretKeyText(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/**
 * First half of rotating the generated key file: the old key moves to `secret.key.previous`, a new one
 * takes its place (written to a temp file and renamed, so a crash never leaves a half-written key).
 * When a previous rotation did not finish, nothing new is generated: it is resumed instead.
 */
export async function beginKeyFileRotation(dataDir: string): Promise<{ resumed: boolean }> {
  const path = join(dataDir, SECRET_KEY_FILE);
  const previousPath = join(dataDir, PREVIOUS_SECRET_KEY_FILE);
  const pending = await readOptional(previousPath);
  const old = await readOptional(path);
  // A crash between saving the old key and writing the new one leaves both files holding the same key.
  const newKeyWritten = pending !== undefined && (old === undefined || parseSecretKey(pending).id !== parseSecretKey(old).id);
  if (newKeyWritten) return { resumed: true };
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (old !== undefined && pending === undefined) await writeOwnerOnly(previousPath, old);
  const temp = `${path}.tmp`;
  await writeOwnerOnly(temp, `${generateSecretKeyText()}\n`);
  await rename(temp, path);
  return { resumed: false };
}

/** Second half: once no stored token needs the old key, it is deleted. */
export async function finishKeyFileRotation(dataDir: string): Promise<void> {
  await rm(join(dataDir, PREVIOUS_SECRET_KEY_FILE), { force: true });
}

async function writeOwnerOnly(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600);
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
