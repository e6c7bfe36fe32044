import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId, nowIso, type Database, type DialectName } from '../../../src/db/index.js';
import { DocumentInputSchema, type DocumentInputBody } from '../../../src/domain/documents.js';
import type { Organisation, WorkroomDocument } from '../../../src/domain/model.js';
import { createClient } from '../../../src/domain/store/clients.js';
import { applyDocumentAction, createDocument, getDocument, updateDocument } from '../../../src/domain/store/documents.js';
import { createOrganisation } from '../../../src/domain/store/organisations.js';
import { createVendor } from '../../../src/domain/store/vendors.js';
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';
import { emulatorPlatform, fetchTransport, InProcessRealmLimiter, type QboTransport } from '../../../src/qbo/client/index.js';
import { QboConnectionService, type SessionRef } from '../../../src/qbo/connection/connection-service.js';
import { secretKey, TokenCipher } from '../../../src/qbo/connection/token-crypto.js';
import { AccountMappingSchema, requireFinal } from '../../../src/qbo/mapping/index.js';
import { BULK_BATCH_SIZE, createBatchPushProcessor } from '../../../src/qbo/sync/bulk-push.js';
import { enqueuePush } from '../../../src/qbo/sync/job-queue.js';
import { saveMappings } from '../../../src/qbo/sync/mapping-store.js';
import { createPushProcessor } from '../../../src/qbo/sync/push-processor.js';
import { WORKER_CLIENT_RETRY } from '../../../src/qbo/sync/run-worker.js';
import { SyncCenter } from '../../../src/qbo/sync/sync-center.js';
import { createWorker, type Worker } from '../../../src/qbo/sync/worker.js';
import { connect, REDIRECT_URI, SANDBOX_US, testKeyHex } from '../qbo-connection/harness.js';

/**
 * One studio pushing to a fresh emulator, driven step by step by the property in push-faults.integration.test.ts.
 * Every step does what the product does for it (the push route, the Sync Center service, the worker), on one
 * test clock shared by the workers, the connection and the emulator, so leases, backoffs and token lifetimes run
 * out when the scenario says so, never by waiting.
 */

/** The emulator's injected faults the property uses; the two "commit_then" ones lose the answer of a committed write. */
export const FAULT_MODES = ['http500', 'http429', 'timeout', 'commit_then_500', 'commit_then_drop'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export type DocType = 'invoice' | 'estimate' | 'purchase_order';

export interface LineSpec {
  readonly quantity: string;
  readonly rate: string;
  readonly taxable: boolean;
}

export interface DocSpec {
  readonly type: DocType;
  /** Which of the studio's clients (estimates, invoices); purchase orders go to its one vendor. */
  readonly party: number;
  readonly lines: readonly LineSpec[];
  /** Finalized / approved at the start; otherwise a draft until an `issue` step. */
  readonly issued: boolean;
}

export type LineChange =
  | { readonly kind: 'quantity'; readonly line: number; readonly value: string }
  | { readonly kind: 'rate'; readonly line: number; readonly value: string }
  | { readonly kind: 'taxable'; readonly line: number }
  | { readonly kind: 'add'; readonly spec: LineSpec }
  | { readonly kind: 'remove'; readonly line: number };

/** Where a dying worker stops: after QBO committed and answered a document write, or just before sending it. */
export type KillPoint = 'after_answer' | 'before_send';

export type Step =
  | { readonly kind: 'edit'; readonly doc: number; readonly change: LineChange }
  | { readonly kind: 'issue'; readonly doc: number }
  /** Document ⋯ → Push to QuickBooks (also a re-push once the document is in QBO). */
  | { readonly kind: 'push'; readonly doc: number }
  /** Sync Center → Push all approved. */
  | { readonly kind: 'push_all' }
  /** Sync Center → Retry all failed. */
  | { readonly kind: 'retry_all' }
  /** The background worker polls once. */
  | { readonly kind: 'tick' }
  | { readonly kind: 'advance'; readonly ms: number }
  /** The next `count` calls get the fault; a `timeout` hangs `hangMs` before QBO drops the connection. */
  | { readonly kind: 'fault'; readonly mode: FaultMode; readonly count: number; readonly hangMs: number }
  /** Intuit revokes the studio's refresh token (e.g. the app was disconnected from the QBO side). */
  | { readonly kind: 'revoke' }
  /** The user reconnects QuickBooks, if Workroom says it needs reconnecting. */
  | { readonly kind: 'reconnect' }
  /** A worker takes due jobs (doc null) or the user's push of `doc`, and dies mid-write. */
  | { readonly kind: 'kill'; readonly at: KillPoint; readonly doc: number | null };

export interface Tally {
  sequences: number;
  steps: number;
  /** Per mode: calls the scenarios planned to fail, and calls that actually got the fault. */
  faults: Record<FaultMode, { planned: number; hit: number }>;
  revocations: number;
  kills: { tried: number } & Record<KillPoint, number>;
  leaseTakeovers: number;
  replays: number;
  singlePushes: number;
  bulkRuns: number;
  edits: number;
}

export function emptyTally(): Tally {
  const faults = Object.fromEntries(FAULT_MODES.map((m) => [m, { planned: 0, hit: 0 }])) as Tally['faults'];
  return { sequences: 0, steps: 0, faults, revocations: 0, kills: { tried: 0, after_answer: 0, before_send: 0 }, leaseTakeovers: 0, replays: 0, singlePushes: 0, bulkRuns: 0, edits: 0 };
}

/** Ids in the emulator's seeded US sandbox (docs/emulator-api.md): Design Services, Purchases, the 8 % California code. */
const INCOME_ACCOUNT = '2';
const EXPENSE_ACCOUNT = '6';
const CALIFORNIA_TAX_CODE = '2';
/** The studio's Sales Tax %: the same 8 % as the mapped QBO code, so only a rounding rule unlike QBO's could separate the totals. */
export const SALES_TAX_RATE = '8';

/** Names far apart, so the possible-duplicate stop never fires between them. */
const CLIENT_NAMES = ['Aurelian Textile Works', 'Quillfeather Builders'] as const;
const VENDOR_NAME = 'Northwind Lumber Supply';

/** Product in-call retries (3 attempts, 10 s budget), but millisecond backoffs: the waits are real sleeps in QboClient. */
const CLIENT_RETRY = { ...WORKER_CLIENT_RETRY, baseDelayMs: 1, maxDelayMs: 4 };
/** Workroom gives up on a QBO call after this long (the product waits 100 s; the emulator answers in milliseconds). */
export const CLIENT_TIMEOUT_MS = 1_000;
/** A drain round moves the clock past the lease (120 s) and the longest automatic backoff (5 min). */
const DRAIN_STEP_MS = 10 * 60_000;
const DRAIN_ROUNDS = 30;

const DOCUMENT_WRITE = /\/v3\/company\/\d+\/(invoice|estimate|purchaseorder|batch)\?/;

export class PushWorld {
  #plannedFaults: { mode: FaultMode; count: number }[] = [];
  #faultBaseline = 0;
  #revoked = false;
  #doomed = 0;

  private constructor(
    readonly db: Kysely<Database>,
    readonly dialect: DialectName,
    readonly emulator: StartedEmulator,
    readonly org: Organisation,
    readonly session: SessionRef,
    readonly service: QboConnectionService,
    readonly worker: Worker,
    readonly center: SyncCenter,
    readonly documentIds: readonly string[],
    readonly tally: Tally,
    private readonly keyHex: string,
    /** The scenario's clock (ms): it moves only when the scenario says time passes. */
    private readonly clock: { ms: number },
    /** What the server's worker reported instead of settling a job (a failed commit): none is expected. */
    readonly errors: readonly unknown[],
  ) {}

  static async open(db: Kysely<Database>, dialect: DialectName, docs: readonly DocSpec[], tally: Tally): Promise<PushWorld> {
    const emulator = await startEmulator({ port: 0, host: '127.0.0.1', withHistory: false });
    try {
      const clock = { ms: Date.now() };
      const now = () => new Date(clock.ms);
      const keyHex = testKeyHex();
      const service = makeService(db, dialect, emulator, keyHex, fetchTransport({ timeoutMs: CLIENT_TIMEOUT_MS }), () => clock.ms);
      const studio = await seedStudio(db, service);
      const documentIds: string[] = [];
      for (const spec of docs) {
        const partyId = spec.type === 'purchase_order' ? studio.vendorId : (studio.clientIds[spec.party % studio.clientIds.length] ?? '');
        const created = await createDocument(db, studio.org, DocumentInputSchema.parse(documentBody(spec.type, partyId, undefined, spec.lines)));
        if (!created.ok) throw new Error(`document: ${JSON.stringify(created.error)}`);
        documentIds.push(created.value.id);
      }
      const errors: unknown[] = [];
      const worker = createWorker({
        db,
        dialect,
        workerId: 'server',
        now,
        process: createPushProcessor({ db, dialect, qbo: service, now }),
        batch: { process: createBatchPushProcessor({ db, qbo: service, now }), size: BULK_BATCH_SIZE },
        onError: (err) => errors.push(err),
      });
      const center = new SyncCenter({ db, qbo: service, platform: emulatorPlatform(emulator.baseUrl), now });
      const world = new PushWorld(db, dialect, emulator, studio.org, studio.session, service, worker, center, documentIds, tally, keyHex, clock, errors);
      for (const [i, spec] of docs.entries()) if (spec.issued) await world.#issue(i);
      tally.sequences += 1;
      return world;
    } catch (err) {
      await emulator.close();
      throw err;
    }
  }

  get realmId(): string {
    return SANDBOX_US;
  }

  now(): Date {
    return new Date(this.clock.ms);
  }

  async document(index: number): Promise<WorkroomDocument> {
    const doc = await getDocument(this.db, this.org, this.#documentId(index));
    if (!doc) throw new Error(`document ${index} vanished`);
    return doc;
  }

  async run(step: Step): Promise<void> {
    this.tally.steps += 1;
    switch (step.kind) {
      case 'edit':
        return this.#edit(step.doc, step.change);
      case 'issue':
        return this.#issue(step.doc);
      case 'push':
        return this.#push(step.doc, this.worker);
      case 'push_all': {
        const run = await this.center.pushAllApproved(this.org.id, this.session.userId);
        if (run.ok && run.value.total > 0) this.tally.bulkRuns += 1;
        return;
      }
      case 'retry_all':
        await this.center.retryAll(this.org.id, this.session.userId);
        return;
      case 'tick':
        await this.worker.tick();
        return;
      case 'advance':
        this.#advance(step.ms);
        return;
      case 'fault':
        this.#inject(step.mode, step.count, step.hangMs);
        return;
      case 'revoke':
        this.emulator.control.revokeRealm(this.realmId);
        this.#revoked = true;
        this.tally.revocations += 1;
        return;
      case 'reconnect':
        if ((await this.service.status(this.org.id)).status === 'needs_reconnect') await this.#reconnect();
        return;
      case 'kill':
        return this.#kill(step.at, step.doc);
    }
  }

  /**
   * Time moves on in steps past every lease and backoff while the worker polls, first with whatever faults are
   * still planned, then with the faults cleared and QuickBooks reconnected if Intuit revoked the authorization.
   * Every job must then have settled: pushed, failed or dismissed.
   */
  async recover(): Promise<void> {
    await this.drain();
    this.#settleFault();
    if (this.#revoked || (await this.service.status(this.org.id)).status !== 'connected') {
      // A few tries: on a loaded machine an emulator answer can outlast the short client timeout.
      let reconnected = false;
      for (let attempt = 0; attempt < 3 && !reconnected; attempt++) reconnected = await this.#reconnect();
      if (!reconnected) throw new Error('reconnecting QuickBooks failed with no fault injected');
    }
    await this.drain();
  }

  /** What a user does next in the Sync Center: Retry all failed, then Push all approved, and the worker runs them. */
  async userRetries(): Promise<void> {
    const retried = await this.center.retryAll(this.org.id, this.session.userId);
    if (!retried.ok) throw new Error(`retry all refused: ${JSON.stringify(retried.error)}`);
    const pushed = await this.center.pushAllApproved(this.org.id, this.session.userId);
    if (!pushed.ok) throw new Error(`push all refused: ${JSON.stringify(pushed.error)}`);
    await this.drain();
  }

  async drain(): Promise<void> {
    for (let round = 0; round < DRAIN_ROUNDS && (await this.#activeJobs()) > 0; round++) {
      this.#advance(DRAIN_STEP_MS);
      while ((await this.worker.tick()) > 0);
    }
  }

  /** Counts what the emulator saw over the whole scenario, then shuts it down. */
  async close(): Promise<void> {
    this.#settleFault();
    const counters = this.emulator.control.api.counters(this.realmId)[this.realmId];
    this.tally.replays += counters?.replays ?? 0;
    const takeovers = await this.db
      .selectFrom('push_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', this.org.id)
      .where('trigger', '=', 'lease_expired')
      .executeTakeFirst();
    this.tally.leaseTakeovers += Number(takeovers?.n ?? 0);
    await this.emulator.close();
  }

  #documentId(index: number): string {
    const id = this.documentIds[index % this.documentIds.length];
    if (id === undefined) throw new Error('a scenario needs at least one document');
    return id;
  }

  async #activeJobs(): Promise<number> {
    const row = await this.db
      .selectFrom('push_jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', this.org.id)
      .where('status', 'in', ['queued', 'pushing'])
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  #advance(ms: number): void {
    this.clock.ms += ms;
    this.emulator.clock.advance(ms);
  }

  async #issue(index: number): Promise<void> {
    const doc = await this.document(index);
    if (doc.status !== 'draft') return;
    const issued = await applyDocumentAction(this.db, this.org, doc.id, doc.type === 'purchase_order' ? 'approve' : 'finalize');
    if (!issued.ok) throw new Error(`issue: ${JSON.stringify(issued.error)}`);
  }

  async #edit(index: number, change: LineChange): Promise<void> {
    const doc = await this.document(index);
    const lines: LineSpec[] = doc.lines.map((l) => ({ quantity: l.quantity, rate: l.rate, taxable: l.taxable }));
    const at = (i: number) => i % lines.length;
    const line = lines[at('line' in change ? change.line : 0)];
    if (line === undefined) throw new Error('a document without lines');
    switch (change.kind) {
      case 'quantity':
        lines[at(change.line)] = { ...line, quantity: change.value };
        break;
      case 'rate':
        lines[at(change.line)] = { ...line, rate: change.value };
        break;
      case 'taxable':
        lines[at(change.line)] = { ...line, taxable: !line.taxable };
        break;
      case 'add':
        lines.push(change.spec);
        break;
      case 'remove':
        // An issued document keeps at least one line.
        if (lines.length > 1) lines.splice(at(change.line), 1);
        break;
    }
    const partyId = (doc.type === 'purchase_order' ? doc.vendorId : doc.clientId) ?? '';
    const updated = await updateDocument(this.db, this.org, doc.id, DocumentInputSchema.parse(documentBody(doc.type, partyId, doc.number, lines)));
    if (!updated.ok) throw new Error(`edit: ${JSON.stringify(updated.error)}`);
    this.tally.edits += 1;
  }

  /** The push route: refused (409) unless connected and the document is issued; else queue it and run it now. */
  async #push(index: number, worker: Worker): Promise<void> {
    const doc = await this.document(index);
    const connection = await this.service.status(this.org.id);
    if (connection.status !== 'connected' || connection.company === null) return;
    if (!requireFinal(doc, doc.type).ok) return;
    const { job } = await enqueuePush(
      this.db,
      { orgId: this.org.id, realmId: connection.company.realmId, documentId: doc.id, documentType: doc.type, documentRevision: doc.revision, startedBy: this.session.userId },
      this.now(),
    );
    this.tally.singlePushes += 1;
    await worker.runNow([job.id]);
  }

  /** Planned faults queue up in the emulator, which serves them strictly in order (a write-only one waits for a write). */
  #inject(mode: FaultMode, count: number, hangMs: number): void {
    if (this.#plannedFaults.length === 0) this.#faultBaseline = this.#injectedCalls();
    this.emulator.control.api.injectFault(this.realmId, { mode, count, hangMs });
    this.#plannedFaults.push({ mode, count });
    this.tally.faults[mode].planned += count;
  }

  /** Clears what is left and credits each plan, in order, with the calls that got its fault. */
  #settleFault(): void {
    this.emulator.control.api.clearFaults(this.realmId);
    let served = this.#injectedCalls() - this.#faultBaseline;
    for (const plan of this.#plannedFaults.splice(0)) {
      const hit = Math.min(plan.count, served);
      this.tally.faults[plan.mode].hit += hit;
      served -= hit;
    }
  }

  #injectedCalls(): number {
    return this.emulator.control.api.counters(this.realmId)[this.realmId]?.injectedFaults ?? 0;
  }

  async #reconnect(): Promise<boolean> {
    const connected = await connect(this.service, this.session, this.realmId);
    if (connected.ok) this.#revoked = false;
    return connected.ok;
  }

  /**
   * Another worker (its own connection service, as in another process) takes the work and dies: its first
   * document write either reaches QBO and the answer is lost with the worker, or never leaves. Its clock stops
   * with it, so its lease runs out once the scenario's clock passes it and another worker takes the job over.
   * One lane, so nothing it claimed after the fatal write runs either.
   */
  async #kill(at: KillPoint, doc: number | null): Promise<void> {
    this.tally.kills.tried += 1;
    const frozen = this.clock.ms;
    let died: () => void = () => undefined;
    const death = new Promise<'died'>((resolve) => (died = () => resolve('died')));
    const base = fetchTransport({ timeoutMs: CLIENT_TIMEOUT_MS });
    let armed = true;
    const transport: QboTransport = {
      async send(req) {
        if (!armed || req.method !== 'POST' || !DOCUMENT_WRITE.test(req.url)) return base.send(req);
        armed = false;
        if (at === 'after_answer') {
          try {
            await (await base.send(req)).text();
          } catch (err) {
            // No answer came back (an injected fault): the worker lives on to its next write.
            armed = true;
            throw err;
          }
        }
        died();
        return new Promise<Response>(() => undefined);
      },
    };
    const service = makeService(this.db, this.dialect, this.emulator, this.keyHex, transport, () => frozen);
    const now = () => new Date(frozen);
    this.#doomed += 1;
    const doomed = createWorker({
      db: this.db,
      dialect: this.dialect,
      workerId: `doomed-${this.#doomed}`,
      concurrency: 1,
      now,
      process: createPushProcessor({ db: this.db, dialect: this.dialect, qbo: service, now }),
      batch: { process: createBatchPushProcessor({ db: this.db, qbo: service, now }), size: BULK_BATCH_SIZE },
    });
    const work = doc === null ? doomed.tick() : this.#push(doc, doomed);
    const outcome = await Promise.race([death, work.then(() => 'finished' as const)]);
    if (outcome === 'died') this.tally.kills[at] += 1;
  }
}

/** A US studio with an owner, connected to the sandbox through the real OAuth round trip, accounts and tax mapped. */
async function seedStudio(db: Kysely<Database>, service: QboConnectionService) {
  const org = await createOrganisation(db, { name: `Property studio ${randomBytes(3).toString('hex')}`, country: 'US', homeCurrency: 'USD', salesTaxRate: SALES_TAX_RATE });
  const userId = newId();
  const sessionId = randomBytes(32).toString('hex');
  await db.insertInto('users').values({ id: userId, org_id: org.id, email: `${userId}@studio.test`, password_hash: 'x', role: 'owner', created_at: nowIso() }).execute();
  await db
    .insertInto('sessions')
    .values({ id: sessionId, user_id: userId, org_id: org.id, created_at: nowIso(), expires_at: new Date(Date.now() + 3_600_000).toISOString() })
    .execute();
  const session: SessionRef = { orgId: org.id, userId, sessionId };
  let connected = await connect(service, session, SANDBOX_US);
  // A few tries: on a loaded machine an emulator answer can outlast the short client timeout.
  for (let attempt = 1; attempt < 3 && !connected.ok; attempt++) connected = await connect(service, session, SANDBOX_US);
  if (!connected.ok) throw new Error(`connect failed: ${connected.error}`);
  const accounts = AccountMappingSchema.parse({ defaultIncomeAccountId: INCOME_ACCOUNT, defaultExpenseAccountId: EXPENSE_ACCOUNT });
  const tax = { kind: 'sales_tax', salesTaxCodeId: CALIFORNIA_TAX_CODE, exemptTaxCodeId: null } as const;
  await saveMappings(db, { orgId: org.id, realmId: SANDBOX_US, userId, accounts, tax }, org.taxModel);
  const address = { line1: '1 Main St', city: 'Springfield', region: 'NY', postalCode: '10001', country: 'US' };
  const clientIds: string[] = [];
  for (const name of CLIENT_NAMES) {
    const email = `${name.replace(/[^a-z]/gi, '').toLowerCase()}@client.test`;
    clientIds.push((await createClient(db, org.id, { fullName: name, clientInformation: { name, email, phone: '(555) 010-0000', billingAddress: address } })).id);
  }
  const vendor = await createVendor(db, org.id, { name: VENDOR_NAME, email: 'orders@northwind.test', phone: '(555) 020-0000', address: { ...address, line1: '2 Mill Rd' } });
  return { org, session, clientIds, vendorId: vendor.id };
}

function makeService(db: Kysely<Database>, dialect: DialectName, emulator: StartedEmulator, keyHex: string, transport: QboTransport, now: () => number): QboConnectionService {
  return new QboConnectionService({
    db,
    dialect,
    cipher: new TokenCipher({ current: secretKey(Buffer.from(keyHex, 'hex')), previous: [] }),
    platform: emulatorPlatform(emulator.baseUrl),
    credentials: { clientId: EMULATOR_CLIENT_ID, clientSecret: EMULATOR_CLIENT_SECRET, redirectUri: REDIRECT_URI },
    transport,
    limiter: new InProcessRealmLimiter(),
    clientRetryPolicy: CLIENT_RETRY,
    now,
  });
}

function documentBody(type: DocType, partyId: string, number: string | undefined, lines: readonly LineSpec[]): DocumentInputBody {
  const common = {
    ...(number === undefined ? {} : { number }),
    issueDate: '2026-03-02',
    lines: lines.map((l) => ({ description: `${l.quantity} × ${l.rate}`, quantity: l.quantity, rate: l.rate, taxable: l.taxable })),
  };
  return type === 'purchase_order' ? { type, vendorId: partyId, ...common } : { type, clientId: partyId, ...common };
}
