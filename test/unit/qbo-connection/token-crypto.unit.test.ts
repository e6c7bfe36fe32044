import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decryptTokens,
  encryptTokens,
  loadOrCreateKey,
  parseSecretKey,
  SECRET_KEY_FILE,
  secretKey,
  TokenCipher,
} from '../../../src/qbo/connection/index.js';

const keyA = secretKey(randomBytes(32));
const keyB = secretKey(randomBytes(32));

describe('TokenCipher', () => {
  it('round-trips and never contains the plaintext', () => {
    const cipher = new TokenCipher({ current: keyA, previous: [] });
    const envelope = cipher.encrypt('refresh-secret-value', 'ctx');
    expect(envelope).not.toContain('refresh-secret-value');
    expect(envelope.startsWith(`wr1.${keyA.id}.`)).toBe(true);
    expect(cipher.decrypt(envelope, 'ctx')).toEqual({ ok: true, value: 'refresh-secret-value' });
    expect(cipher.encrypt('same', 'ctx')).not.toBe(cipher.encrypt('same', 'ctx'));
  });

  it('detects tampering with the ciphertext or tag', () => {
    const cipher = new TokenCipher({ current: keyA, previous: [] });
    const parts = cipher.encrypt('secret', 'ctx').split('.');
    const body = Buffer.from(parts[4] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    const tampered = [...parts.slice(0, 4), body.toString('base64url')].join('.');
    expect(cipher.decrypt(tampered, 'ctx')).toEqual({ ok: false, error: 'tampered' });
    expect(cipher.decrypt('not-an-envelope', 'ctx')).toEqual({ ok: false, error: 'malformed' });
  });

  it('will not open a ciphertext moved to another context (row or field)', () => {
    const cipher = new TokenCipher({ current: keyA, previous: [] });
    expect(cipher.decrypt(cipher.encrypt('secret', 'conn-1:access'), 'conn-2:access')).toEqual({ ok: false, error: 'tampered' });
  });

  it('refuses the wrong key, and opens old envelopes after rotation', () => {
    const oldCipher = new TokenCipher({ current: keyA, previous: [] });
    const envelope = oldCipher.encrypt('secret', 'ctx');
    expect(new TokenCipher({ current: keyB, previous: [] }).decrypt(envelope, 'ctx')).toEqual({ ok: false, error: 'unknown_key' });
    const forged = envelope.replace(keyA.id, keyB.id);
    expect(new TokenCipher({ current: keyB, previous: [] }).decrypt(forged, 'ctx')).toEqual({ ok: false, error: 'tampered' });
    const rotated = new TokenCipher({ current: keyB, previous: [keyA] });
    expect(rotated.decrypt(envelope, 'ctx')).toEqual({ ok: true, value: 'secret' });
    expect(rotated.needsReencryption(envelope)).toBe(true);
    expect(rotated.needsReencryption(rotated.encrypt('x', 'ctx'))).toBe(false);
  });

  it('encrypts a token pair bound to its connection', () => {
    const cipher = new TokenCipher({ current: keyA, previous: [] });
    const tokens = {
      accessToken: 'at',
      refreshToken: 'rt',
      accessTokenExpiresAt: new Date(1000),
      refreshTokenExpiresAt: null,
    };
    const row = encryptTokens(cipher, 'conn-1', tokens);
    expect(decryptTokens(cipher, 'conn-1', row)).toEqual({ ok: true, value: tokens });
    expect(decryptTokens(cipher, 'conn-2', row).ok).toBe(false);
    const swapped = { ...row, accessTokenEnc: row.refreshTokenEnc };
    expect(decryptTokens(cipher, 'conn-1', swapped).ok).toBe(false);
  });
});

describe('loadOrCreateKey', () => {
  let dir = '';
  afterEach(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('reads WORKROOM_SECRET_KEY as hex or base64', async () => {
    const raw = randomBytes(32);
    const fromHex = await loadOrCreateKey('/nonexistent', { WORKROOM_SECRET_KEY: raw.toString('hex') });
    const fromB64 = await loadOrCreateKey('/nonexistent', { WORKROOM_SECRET_KEY: raw.toString('base64') });
    expect(fromHex.current.key.equals(raw)).toBe(true);
    expect(fromB64.current.id).toBe(fromHex.current.id);
    expect(() => parseSecretKey('too-short')).toThrow(RangeError);
    expect(() => parseSecretKey(randomBytes(16).toString('base64'))).toThrow(RangeError);
  });

  it('generates a key file once, owner-only, and reuses it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'wr-key-'));
    const first = await loadOrCreateKey(join(dir, 'data'), {});
    const second = await loadOrCreateKey(join(dir, 'data'), {});
    expect(second.current.id).toBe(first.current.id);
    const path = join(dir, 'data', SECRET_KEY_FILE);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(parseSecretKey(await readFile(path, 'utf8')).id).toBe(first.current.id);
  });

  it('keeps previous keys for rotation', async () => {
    const keyring = await loadOrCreateKey('/nonexistent', {
      WORKROOM_SECRET_KEY: randomBytes(32).toString('hex'),
      WORKROOM_SECRET_KEY_PREVIOUS: `${keyA.key.toString('hex')},${keyB.key.toString('base64')}`,
    });
    expect(keyring.previous.map((k) => k.id)).toEqual([keyA.id, keyB.id]);
  });
});
