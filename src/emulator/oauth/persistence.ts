import { z } from 'zod';
import { readIfExists, writeAtomically } from '../files.js';
import type { TokenServiceSnapshot } from './token-service.js';

const nullableTime = z.number().nullable();
const SnapshotSchema = z.object({
  grants: z.array(
    z.object({
      id: z.string(),
      clientId: z.string(),
      realmId: z.string(),
      scopes: z.array(z.string()),
      createdAt: z.number(),
      hardExpiresAt: z.number(),
      revokedAt: nullableTime,
      currentRefreshToken: z.string(),
    }),
  ),
  refreshTokens: z.array(
    z.tuple([z.string(), z.object({ grantId: z.string(), issuedAt: z.number(), expiresAt: z.number(), supersededAt: nullableTime })]),
  ),
  accessTokens: z.array(z.tuple([z.string(), z.object({ grantId: z.string(), expiresAt: z.number() })])),
});

/** Reads the OAuth half's state; a missing file means a first start. A corrupt one is an error worth seeing. */
export async function readOAuthState(filePath: string): Promise<TokenServiceSnapshot | undefined> {
  const text = await readIfExists(filePath);
  return text === undefined ? undefined : SnapshotSchema.parse(JSON.parse(text));
}

export async function writeOAuthState(filePath: string, snapshot: TokenServiceSnapshot): Promise<void> {
  await writeAtomically(filePath, JSON.stringify(snapshot));
}

/** Coalesces bursts of changes into one write; `flush` writes what is pending now (shutdown, tests). */
export class DebouncedSaver {
  readonly #save: () => Promise<void>;
  readonly #debounceMs: number;
  #timer: NodeJS.Timeout | undefined;
  #saving: Promise<void> = Promise.resolve();

  constructor(save: () => Promise<void>, debounceMs = 250) {
    this.#save = save;
    this.#debounceMs = debounceMs;
  }

  markChanged(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#run().catch((err: unknown) => process.emitWarning(`emulator state not saved: ${String(err)}`));
    }, this.#debounceMs);
    this.#timer.unref();
  }

  async flush(): Promise<void> {
    if (this.#timer === undefined) return this.#saving;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    return this.#run();
  }

  #run(): Promise<void> {
    // A failed save must not block the next one.
    this.#saving = this.#saving.catch(() => undefined).then(() => this.#save());
    return this.#saving;
  }
}
