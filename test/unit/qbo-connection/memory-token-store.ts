import type {
  ConnectionTokenStore,
  EncryptedTokens,
  LockedConnection,
  StoredConnectionTokens,
} from '../../../src/qbo/connection/index.js';

/** A store with a real per-connection mutex, so two managers sharing it behave like two processes. */
export class MemoryTokenStore implements ConnectionTokenStore {
  readonly rows = new Map<string, StoredConnectionTokens>();
  readonly reconnectReasons: string[] = [];
  readonly #locks = new Map<string, Promise<void>>();

  read(connectionId: string): Promise<StoredConnectionTokens | undefined> {
    return Promise.resolve(this.rows.get(connectionId));
  }

  async withConnectionLock<T>(connectionId: string, fn: (locked: LockedConnection) => Promise<T>): Promise<T> {
    const previous = this.#locks.get(connectionId) ?? Promise.resolve();
    let unlock: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => {
      unlock = resolve;
    });
    this.#locks.set(connectionId, previous.then(() => mine));
    await previous;
    try {
      return await fn({
        read: () => Promise.resolve(this.rows.get(connectionId)),
        saveTokens: (tokens: EncryptedTokens) => {
          const row = this.rows.get(connectionId);
          if (row !== undefined) this.rows.set(connectionId, { ...row, ...tokens });
          return Promise.resolve();
        },
        markNeedsReconnect: (reason: string) => {
          this.reconnectReasons.push(reason);
          const row = this.rows.get(connectionId);
          if (row !== undefined) this.rows.set(connectionId, { ...row, status: 'needs_reconnect' });
          return Promise.resolve();
        },
      });
    } finally {
      unlock();
    }
  }
}
