import type { Clock } from '../clock.js';
import type { CompanyFile } from '../contract.js';
import { readIfExists, writeAtomically } from '../files.js';
import { SEED_COMPANIES, seedRealm } from './seed.js';
import type { RealmState, StoreSnapshot } from './types.js';

export interface EmulatorStoreOptions {
  clock: Clock;
  companies?: readonly CompanyFile[];
  /** Seed demo history (invoices, paid expenses) into the demo companies. */
  withHistory?: boolean;
  /** JSON file the state is loaded from at open and saved to (debounced) after each change. */
  filePath?: string;
  saveDebounceMs?: number;
}

/** All company files of the emulator, in memory, optionally mirrored to one JSON file. */
export class EmulatorStore {
  readonly #clock: Clock;
  readonly #companies: readonly CompanyFile[];
  readonly #withHistory: boolean;
  readonly #filePath: string | undefined;
  readonly #debounceMs: number;
  #realms = new Map<string, RealmState>();
  #saveTimer: NodeJS.Timeout | undefined;
  #saving: Promise<void> = Promise.resolve();

  private constructor(options: EmulatorStoreOptions) {
    this.#clock = options.clock;
    this.#companies = options.companies ?? SEED_COMPANIES;
    this.#withHistory = options.withHistory ?? true;
    this.#filePath = options.filePath;
    this.#debounceMs = options.saveDebounceMs ?? 250;
  }

  /** In-memory store, freshly seeded. */
  static inMemory(options: Omit<EmulatorStoreOptions, 'filePath'>): EmulatorStore {
    const store = new EmulatorStore(options);
    store.#seed();
    return store;
  }

  /** Loads the persisted state when the file exists, else seeds and writes it. */
  static async open(options: EmulatorStoreOptions): Promise<EmulatorStore> {
    const store = new EmulatorStore(options);
    const loaded = options.filePath ? await readSnapshot(options.filePath) : undefined;
    if (loaded) {
      for (const realm of loaded.realms) store.#realms.set(realm.company.realmId, realm);
    } else {
      store.#seed();
      store.markChanged();
    }
    return store;
  }

  realm(realmId: string): RealmState | undefined {
    return this.#realms.get(realmId);
  }

  realms(): RealmState[] {
    return [...this.#realms.values()];
  }

  /** Drops every change and goes back to the seeded companies. */
  reset(): void {
    this.#realms.clear();
    this.#seed();
    this.markChanged();
  }

  markChanged(): void {
    if (!this.#filePath) return;
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      void this.flush();
    }, this.#debounceMs);
    this.#saveTimer.unref();
  }

  /** Writes pending changes now (also used on shutdown). */
  async flush(): Promise<void> {
    const filePath = this.#filePath;
    if (!filePath) return;
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    const snapshot: StoreSnapshot = { version: 1, realms: this.realms() };
    const json = JSON.stringify(snapshot);
    this.#saving = this.#saving.then(() => writeAtomically(filePath, json));
    await this.#saving;
  }

  #seed(): void {
    const now = this.#clock.now();
    for (const company of this.#companies) {
      this.#realms.set(company.realmId, seedRealm(company, now, { withHistory: this.#withHistory }));
    }
  }
}

async function readSnapshot(filePath: string): Promise<StoreSnapshot | undefined> {
  const text = await readIfExists(filePath);
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as StoreSnapshot;
  if (parsed.version !== 1 || !Array.isArray(parsed.realms)) {
    throw new Error(`emulator state file ${filePath} has an unknown format`);
  }
  return parsed;
}
