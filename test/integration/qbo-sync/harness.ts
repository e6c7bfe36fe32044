import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { newId, nowIso, type Database, type DatabaseConfig, type DialectName } from '../../../src/db/index.js';
import { DocumentInputSchema, type DocumentInputBody } from '../../../src/domain/documents.js';
import type { Organisation, WorkroomDocument } from '../../../src/domain/model.js';
import { createClient } from '../../../src/domain/store/clients.js';
import { applyDocumentAction, createDocument, updateDocument } from '../../../src/domain/store/documents.js';
import { createOrganisation } from '../../../src/domain/store/organisations.js';
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, type StartedEmulator } from '../../../src/emulator/index.js';
import { emulatorPlatform, fetchTransport, InProcessRealmLimiter, type RealmLimiter } from '../../../src/qbo/client/index.js';
import { QboConnectionService, type SessionRef } from '../../../src/qbo/connection/connection-service.js';
import { secretKey, TokenCipher } from '../../../src/qbo/connection/token-crypto.js';
import { WORKER_CLIENT_RETRY } from '../../../src/qbo/sync/run-worker.js';
import { AccountMappingSchema } from '../../../src/qbo/mapping/index.js';
import { saveMappings } from '../../../src/qbo/sync/mapping-store.js';
import { connect, REDIRECT_URI } from '../qbo-connection/harness.js';
import type { FastClockSpec } from './fast-clock.js';

export { PRODUCTION_US, SANDBOX_CA, SANDBOX_US, SANDBOX_US_2 } from '../qbo-connection/harness.js';

/** Ids in the emulator's seeded chart of accounts (docs/emulator-api.md). */
export const DESIGN_SERVICES = '2';

export interface Studio {
  readonly org: Organisation;
  readonly userId: string;
  readonly email: string;
  readonly realmId: string;
  readonly service: QboConnectionService;
  /** The owner's session, for reconnecting QuickBooks. */
  readonly session: SessionRef;
  client(name: string): Promise<string>;
  /** A final invoice with untaxed lines (these tests are about the queue, not tax mapping). */
  invoice(clientId: string, amounts: readonly string[]): Promise<WorkroomDocument>;
  /** The invoice edited to these line amounts: its next revision. */
  edit(doc: WorkroomDocument, amounts: readonly string[]): Promise<WorkroomDocument>;
}

export interface StudioOptions {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly emulator: StartedEmulator;
  readonly realmId: string;
  /** The key the tokens are encrypted with; worker processes get the same one. */
  readonly keyHex: string;
  readonly limiter?: RealmLimiter;
}

/** A studio with an owner, connected to `realmId` through the real OAuth round trip, income account mapped. */
export async function seedStudio(options: StudioOptions): Promise<Studio> {
  const { db, dialect, emulator, realmId } = options;
  // Configured as a worker's: short in-call retries, longer waits (a 60 s Retry-After) go back to the queue.
  const service = new QboConnectionService({
    db,
    dialect,
    cipher: new TokenCipher({ current: secretKey(Buffer.from(options.keyHex, 'hex')), previous: [] }),
    platform: emulatorPlatform(emulator.baseUrl),
    credentials: { clientId: EMULATOR_CLIENT_ID, clientSecret: EMULATOR_CLIENT_SECRET, redirectUri: REDIRECT_URI },
    transport: fetchTransport(),
    limiter: options.limiter ?? new InProcessRealmLimiter(),
    clientRetryPolicy: WORKER_CLIENT_RETRY,
  });
  const org = await createOrganisation(db, { name: `Studio ${randomBytes(3).toString('hex')}`, country: 'US', homeCurrency: 'USD', salesTaxRate: '0' });
  const userId = newId();
  const email = `${userId.slice(0, 8)}@studio.test`;
  await db.insertInto('users').values({ id: userId, org_id: org.id, email, password_hash: 'x', role: 'owner', created_at: nowIso() }).execute();
  const sessionId = randomBytes(32).toString('hex');
  await db
    .insertInto('sessions')
    .values({ id: sessionId, user_id: userId, org_id: org.id, created_at: nowIso(), expires_at: new Date(Date.now() + 3_600_000).toISOString() })
    .execute();
  const session: SessionRef = { orgId: org.id, userId, sessionId };
  const connected = await connect(service, session, realmId);
  if (!connected.ok) throw new Error(`connect failed: ${connected.error}`);
  await saveMappings(db, { orgId: org.id, realmId, userId, accounts: AccountMappingSchema.parse({ defaultIncomeAccountId: DESIGN_SERVICES }) }, org.taxModel);
  let number = 0;
  return {
    org,
    userId,
    email,
    realmId,
    service,
    session,
    async client(name) {
      const client = await createClient(db, org.id, {
        fullName: name,
        clientInformation: {
          name,
          email: `${name.replace(/[^a-z]/gi, '').toLowerCase()}@client.test`,
          phone: '(555) 010-0000',
          billingAddress: { line1: '1 Main St', city: 'Springfield', region: 'NY', postalCode: '10001', country: 'US' },
        },
      });
      return client.id;
    },
    async invoice(clientId, amounts) {
      number += 1;
      const created = await createDocument(db, org, DocumentInputSchema.parse(invoiceBody(clientId, `INV-${String(number).padStart(4, '0')}`, amounts)));
      if (!created.ok) throw new Error(`document: ${JSON.stringify(created.error)}`);
      const final = await applyDocumentAction(db, org, created.value.id, 'finalize');
      if (!final.ok) throw new Error(`finalize: ${JSON.stringify(final.error)}`);
      return final.value;
    },
    async edit(doc, amounts) {
      const edited = await updateDocument(db, org, doc.id, DocumentInputSchema.parse(invoiceBody(doc.clientId ?? '', doc.number, amounts)));
      if (!edited.ok) throw new Error(`edit: ${JSON.stringify(edited.error)}`);
      return edited.value;
    },
  };
}

function invoiceBody(clientId: string, number: string, amounts: readonly string[]): DocumentInputBody {
  return {
    type: 'invoice',
    clientId,
    number,
    issueDate: '2026-03-02',
    lines: amounts.map((rate) => ({ description: `Design work ${rate}`, quantity: '1', rate, taxable: false })),
  };
}

/** What a worker process is told (push-worker-process.ts). */
export interface WorkerProcessInput {
  readonly database: DatabaseConfig;
  readonly baseUrl: string;
  readonly keyHex: string;
  readonly leaseMs: number;
  readonly concurrency: number;
  /** Batch fresh jobs of one realm (the product's setting) or push each alone. */
  readonly batch: boolean;
  /** Hang, and say so on stdout, as soon as QBO answered a document write: the parent kills us there. */
  readonly hangAfterDocumentWrite?: boolean;
  /** Scaled-down realm limits for the gate, whose window then runs on the emulator's fast clock. */
  readonly gate?: { limits: { maxInFlight: number; maxPerWindow: number; windowMs: number }; clock: FastClockSpec };
}

export interface WorkerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves once the worker is polling. */
  readonly ready: Promise<void>;
  /** Resolves with the first stdout line starting with `prefix`. */
  line(prefix: string): Promise<string>;
  /** SIGKILL: no shutdown, no cleanup, exactly like a crash. */
  kill(): Promise<void>;
  /** SIGTERM: stop claiming, settle what it holds, exit. */
  stop(): Promise<void>;
  stderr(): string;
}

const WORKER_SCRIPT = fileURLToPath(new URL('./push-worker-process.ts', import.meta.url));

export function startWorkerProcess(input: WorkerProcessInput): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT], {
    env: { ...process.env, SYNC_WORKER_INPUT: JSON.stringify(input) },
  });
  let out = '';
  let err = '';
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const waiter of [...waiters]) {
      const hit = out.split('\n').find((l) => l.startsWith(waiter.prefix));
      if (hit !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(hit);
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const line = (prefix: string): Promise<string> => {
    const hit = out.split('\n').find((l) => l.startsWith(prefix));
    if (hit !== undefined) return Promise.resolve(hit);
    // A worker that dies first must fail the test, not hang it.
    const died = exited.then((code) => {
      throw new Error(`worker exited (${code}) before "${prefix}": ${err.slice(-2000)}`);
    });
    return Promise.race([new Promise<string>((resolve) => waiters.push({ prefix, resolve })), died]);
  };
  return {
    child,
    ready: line('ready').then(() => undefined),
    line,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    stderr: () => err,
  };
}
