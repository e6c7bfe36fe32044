import { hostname } from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Database, DialectName } from '../../db/index.js';
import { newId } from '../../db/index.js';
import {
  InProcessRealmLimiter,
  QBO_REALM_LIMITS,
  QboError,
  type LimitKind,
  type RealmLimiter,
  type RealmLimits,
  type Release,
} from '../client/index.js';

export interface RealmGateOptions {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly limits?: Partial<RealmLimits>;
  /** Names this process in the permits table (diagnostics only). */
  readonly holder?: string;
  /**
   * How long a granted call counts as in flight if its process dies before releasing it. Longer than any
   * request may run (the transport gives up after 100 s, Intuit after 120 s).
   */
  readonly permitLeaseMs?: number;
  readonly now?: () => number;
  readonly onError?: (err: unknown) => void;
  /**
   * Longest wait for the per-minute window a call sits out here; beyond it the call is refused with QBO's own
   * rate-limit error (no request sent), so the job goes back to the queue until the window has room and the
   * worker's slot serves another company meanwhile.
   */
  readonly maxWindowWaitMs?: number;
}

/** Permits that left the window are swept this often per realm and process… */
const SWEEP_EVERY_MS = 10_000;
/** …and only well after they left the window: a process whose clock runs behind still counts them. */
const SWEEP_MARGIN_MS = 5 * 60_000;
/**
 * When a permit's call ended: its release, or for a process that died holding it, the lease's end (its call
 * reached QBO before then, if at all). A permit counts in the window until a window has passed since then.
 */
const windowEnd = sql<string>`coalesce(released_at, expires_at)`;
const POLL_MIN_MS = 10;
const POLL_MAX_MS = 200;
/** Even a full window is looked at again this often, so a clock adjustment or a swept permit is noticed. */
const WAIT_MAX_MS = 1_000;

interface GateStats {
  inFlight: number;
  inWindow: number;
  batchesInWindow: number;
  oldest: string | null;
  oldestBatch: string | null;
}

export function defaultHolder(): string {
  return `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;
}

/**
 * QBO's per-realm limits (10 in flight, 500 requests and 40 batches per minute) kept across every process that
 * shares the database. Each granted call is a row in qbo_realm_permits: in flight until released (or its lease
 * runs out because its process died), and counted in the sliding window until a window has passed since it
 * ended. QBO counts a call when it arrives, which is some time after we granted it (connection set-up, a slow
 * network, a paused process): a window measured from the grant would let a late arrival and the next minute's
 * first calls share one QBO minute. Every arrival lies between grant and release, so counting from the release
 * can never fall short. Admission is one conditional INSERT, serialised per realm by a row lock on PostgreSQL and
 * by the write lock on SQLite, so two processes can never both take the last slot.
 *
 * Within a process, one caller per realm at a time talks to the database (FIFO); the rest wait their turn in
 * memory, so a crowded realm costs one polling query per process, not one per waiting call.
 */
export class DbRealmGate implements RealmLimiter {
  readonly #db: Kysely<Database>;
  readonly #dialect: DialectName;
  readonly #limits: RealmLimits;
  readonly #holder: string;
  readonly #leaseMs: number;
  readonly #now: () => number;
  readonly #onError: (err: unknown) => void;
  readonly #turns = new Map<string, Promise<void>>();
  readonly #wakers = new Map<string, Set<() => void>>();
  readonly #lastSweep = new Map<string, number>();
  /** Realms whose window this process found full, and until when (its own clock). */
  readonly #fullUntil = new Map<string, number>();
  readonly #maxWindowWaitMs: number;

  constructor(options: RealmGateOptions) {
    this.#db = options.db;
    this.#dialect = options.dialect;
    this.#limits = Object.freeze({ ...QBO_REALM_LIMITS, ...options.limits });
    this.#holder = options.holder ?? defaultHolder();
    this.#leaseMs = options.permitLeaseMs ?? 130_000;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? (() => undefined);
    this.#maxWindowWaitMs = options.maxWindowWaitMs ?? 5_000;
  }

  /**
   * Realms this process last found at their per-minute budget, while that lasts. The worker claims no new jobs
   * for them meanwhile, so one busy company does not tie up the slots other companies' pushes could use.
   */
  busyRealms(): string[] {
    const now = this.#now();
    for (const [realmId, until] of this.#fullUntil) if (until <= now) this.#fullUntil.delete(realmId);
    return [...this.#fullUntil.keys()];
  }

  acquire(realmId: string, kind: LimitKind): Promise<Release> {
    // A queue per kind: a batch waiting for the batch budget must not hold up plain requests behind it.
    const key = `${realmId}:${kind}`;
    const previous = this.#turns.get(key) ?? Promise.resolve();
    const mine = previous.then(() => this.#admit(realmId, kind));
    const turn = mine.then(
      () => undefined,
      () => undefined,
    );
    this.#turns.set(key, turn);
    void turn.then(() => {
      if (this.#turns.get(key) === turn) this.#turns.delete(key);
    });
    return mine;
  }

  async #admit(realmId: string, kind: LimitKind): Promise<Release> {
    for (let attempt = 0; ; attempt += 1) {
      const now = this.#now();
      await this.#sweep(realmId, now);
      const permitId = await this.#tryInsert(realmId, kind, now);
      if (permitId !== undefined) return this.#releaser(realmId, permitId);
      const wait = await this.#waitMs(realmId, kind, now, attempt);
      if (wait.window > this.#maxWindowWaitMs) {
        throw new QboError({
          code: 'qbo_rate_limited',
          message: `Workroom held this request back: the QuickBooks company is at its limit of ${kind === 'batch' ? `${this.#limits.maxBatchesPerWindow} batch requests` : `${this.#limits.maxPerWindow} requests`} a minute; it goes out by itself when the minute allows`,
          retryAfterMs: wait.window,
        });
      }
      await this.#wait(realmId, wait.sleep);
    }
  }

  async #tryInsert(realmId: string, kind: LimitKind, nowMs: number): Promise<string | undefined> {
    const id = newId();
    const now = new Date(nowMs).toISOString();
    const horizon = new Date(nowMs - this.#limits.windowMs).toISOString();
    const expires = new Date(nowMs + this.#leaseMs).toISOString();
    const limits = this.#limits;
    const insert = (db: Kysely<Database>) => {
      const permit = db
        .selectNoFrom([
          sql<string>`${id}`.as('id'),
          sql<string>`${realmId}`.as('realm_id'),
          sql<string>`${kind}`.as('kind'),
          sql<string>`${this.#holder}`.as('holder'),
          sql<string>`${now}`.as('acquired_at'),
          sql<string>`${expires}`.as('expires_at'),
          sql<null>`null`.as('released_at'),
        ])
        .where(
          sql<number>`(select count(*) from qbo_realm_permits where realm_id = ${realmId} and released_at is null and expires_at > ${now})`,
          '<',
          limits.maxInFlight,
        )
        .where(
          sql<number>`(select count(*) from qbo_realm_permits where realm_id = ${realmId} and ${windowEnd} > ${horizon})`,
          '<',
          limits.maxPerWindow,
        )
        .where(
          sql<number>`(select count(*) from qbo_realm_permits where realm_id = ${realmId} and kind = 'batch' and ${windowEnd} > ${horizon})`,
          '<',
          kind === 'batch' ? limits.maxBatchesPerWindow : Number.MAX_SAFE_INTEGER,
        );
      return db
        .insertInto('qbo_realm_permits')
        .columns(['id', 'realm_id', 'kind', 'holder', 'acquired_at', 'expires_at', 'released_at'])
        .expression(permit)
        .executeTakeFirst();
    };
    let inserted: bigint;
    if (this.#dialect === 'postgres') {
      // Read committed would let two processes both see "9 in flight"; the gate row lock makes them take turns.
      inserted = await this.#db.transaction().execute(async (trx) => {
        await trx
          .insertInto('qbo_realm_gates')
          .values({ realm_id: realmId, updated_at: now })
          .onConflict((oc) => oc.column('realm_id').doNothing())
          .execute();
        await trx.selectFrom('qbo_realm_gates').select('realm_id').where('realm_id', '=', realmId).forUpdate().execute();
        return (await insert(trx))?.numInsertedOrUpdatedRows ?? 0n;
      });
    } else {
      // One statement under SQLite's database write lock is already exclusive across processes.
      inserted = (await insert(this.#db))?.numInsertedOrUpdatedRows ?? 0n;
    }
    return inserted > 0n ? id : undefined;
  }

  async #stats(realmId: string, nowMs: number): Promise<GateStats> {
    const now = new Date(nowMs).toISOString();
    const horizon = new Date(nowMs - this.#limits.windowMs).toISOString();
    // A call still in flight leaves the window no sooner than a full window from now, however it ends.
    const leaves = sql<string>`case when released_at is null and expires_at > ${now} then ${now} else ${windowEnd} end`;
    const row = await this.#db
      .selectFrom('qbo_realm_permits')
      .select([
        sql<number>`sum(case when released_at is null and expires_at > ${now} then 1 else 0 end)`.as('in_flight'),
        sql<number>`sum(case when ${windowEnd} > ${horizon} then 1 else 0 end)`.as('in_window'),
        sql<number>`sum(case when kind = 'batch' and ${windowEnd} > ${horizon} then 1 else 0 end)`.as('batches_in_window'),
        sql<string | null>`min(case when ${windowEnd} > ${horizon} then ${leaves} end)`.as('oldest'),
        sql<string | null>`min(case when kind = 'batch' and ${windowEnd} > ${horizon} then ${leaves} end)`.as('oldest_batch'),
      ])
      .where('realm_id', '=', realmId)
      .executeTakeFirst();
    return {
      inFlight: Number(row?.in_flight ?? 0),
      inWindow: Number(row?.in_window ?? 0),
      batchesInWindow: Number(row?.batches_in_window ?? 0),
      oldest: row?.oldest ?? null,
      oldestBatch: row?.oldest_batch ?? null,
    };
  }

  /**
   * How long until the window's oldest call ages out when the window is full (`window`, 0 when it is not), and
   * how long to sleep before looking again: a short, growing poll when only the in-flight cap is reached.
   */
  async #waitMs(realmId: string, kind: LimitKind, nowMs: number, attempt: number): Promise<{ window: number; sleep: number }> {
    const stats = await this.#stats(realmId, nowMs);
    const windowEnds = (oldest: string | null): number =>
      oldest === null ? POLL_MIN_MS : Math.max(POLL_MIN_MS, Date.parse(oldest) + this.#limits.windowMs - nowMs + 1);
    const waits: number[] = [];
    if (stats.inWindow >= this.#limits.maxPerWindow) {
      waits.push(windowEnds(stats.oldest));
      this.#fullUntil.set(realmId, nowMs + windowEnds(stats.oldest));
    }
    if (kind === 'batch' && stats.batchesInWindow >= this.#limits.maxBatchesPerWindow) waits.push(windowEnds(stats.oldestBatch));
    if (waits.length > 0) {
      const window = Math.max(...waits);
      return { window, sleep: Math.min(WAIT_MAX_MS, window) };
    }
    const poll = Math.min(POLL_MAX_MS, POLL_MIN_MS * 2 ** Math.min(attempt, 5));
    return { window: 0, sleep: Math.round(poll / 2 + Math.random() * (poll / 2)) };
  }

  /** Sleeps, but a release of the same realm in this process ends the sleep early. */
  #wait(realmId: string, ms: number): Promise<void> {
    const wakers = this.#wakers.get(realmId) ?? new Set<() => void>();
    this.#wakers.set(realmId, wakers);
    let wake: () => void = () => undefined;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
      wakers.add(wake);
    }).finally(() => {
      wakers.delete(wake);
      if (wakers.size === 0) this.#wakers.delete(realmId);
    });
  }

  #releaser(realmId: string, permitId: string): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#db
        .updateTable('qbo_realm_permits')
        .set({ released_at: new Date(this.#now()).toISOString() })
        .where('id', '=', permitId)
        .execute()
        // The permit's lease frees the slot anyway if this write is lost.
        .catch(this.#onError)
        .finally(() => {
          for (const wake of this.#wakers.get(realmId) ?? []) wake();
        });
    };
  }

  async #sweep(realmId: string, nowMs: number): Promise<void> {
    if (nowMs - (this.#lastSweep.get(realmId) ?? 0) < SWEEP_EVERY_MS) return;
    this.#lastSweep.set(realmId, nowMs);
    const horizon = new Date(nowMs - this.#limits.windowMs - SWEEP_MARGIN_MS).toISOString();
    await this.#db
      .deleteFrom('qbo_realm_permits')
      .where('realm_id', '=', realmId)
      .where(windowEnd, '<=', horizon)
      .execute();
  }
}

/** Both halves in front of every QBO call: this process's own queue first, then the gate shared by all processes. */
export class LayeredRealmLimiter implements RealmLimiter {
  constructor(private readonly layers: readonly RealmLimiter[]) {}

  async acquire(realmId: string, kind: LimitKind): Promise<Release> {
    const held: Release[] = [];
    try {
      for (const layer of this.layers) held.push(await layer.acquire(realmId, kind));
    } catch (err) {
      for (const release of [...held].reverse()) release();
      throw err;
    }
    return () => {
      for (const release of [...held].reverse()) release();
    };
  }
}

export interface SharedRealmLimiter extends RealmLimiter {
  /** See DbRealmGate.busyRealms: what a worker should not claim jobs for right now. */
  busyRealms(): string[];
}

/** The limiter a product process uses: QBO's limits for this process, and across processes through the database. */
export function createSharedRealmLimiter(options: RealmGateOptions): SharedRealmLimiter {
  const gate = new DbRealmGate(options);
  const layers = new LayeredRealmLimiter([
    new InProcessRealmLimiter(options.limits ?? {}, options.now ? { now: options.now, setTimer: systemTimer } : undefined),
    gate,
  ]);
  return { acquire: (realmId, kind) => layers.acquire(realmId, kind), busyRealms: () => gate.busyRealms() };
}

function systemTimer(callback: () => void, ms: number): () => void {
  const handle = setTimeout(callback, ms);
  handle.unref();
  return () => clearTimeout(handle);
}
