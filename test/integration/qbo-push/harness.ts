import { afterEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId, nowIso, type Database, type DialectName } from '../../../src/db/index.js';
import { DocumentInputSchema, type DocumentInputBody } from '../../../src/domain/documents.js';
import type { Organisation, WorkroomDocument } from '../../../src/domain/model.js';
import type { ClientInput, VendorInput } from '../../../src/domain/parties.js';
import { createCategory } from '../../../src/domain/store/categories.js';
import { createClient } from '../../../src/domain/store/clients.js';
import { applyDocumentAction, createDocument, updateDocument } from '../../../src/domain/store/documents.js';
import { createOrganisation } from '../../../src/domain/store/organisations.js';
import { allTaxCodes } from '../../../src/domain/store/tax-codes.js';
import { createVendor } from '../../../src/domain/store/vendors.js';
import { startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';
import type { QboTransport } from '../../../src/qbo/client/index.js';
import type { QboConnectionService, SessionRef } from '../../../src/qbo/connection/connection-service.js';
import { AccountMappingSchema, type AccountMapping, type TaxMapping } from '../../../src/qbo/mapping/index.js';
import { enqueuePush, type PushJob } from '../../../src/qbo/sync/job-queue.js';
import { saveMappings } from '../../../src/qbo/sync/mapping-store.js';
import { readPushState, type DocumentPushState } from '../../../src/qbo/sync/push-document.js';
import { createPushProcessor } from '../../../src/qbo/sync/push-processor.js';
import { createWorker, type Worker } from '../../../src/qbo/sync/worker.js';
import { connect, makeService, testKeyHex } from '../qbo-connection/harness.js';

export { PRODUCTION_US, SANDBOX_CA, SANDBOX_US, SANDBOX_US_2 } from '../qbo-connection/harness.js';

/** Ids in the emulator's seeded charts (docs/emulator-api.md). */
export const ACCOUNTS = {
  services: '1',
  designServices: '2',
  productIncome: '3',
  otherIncome: '4',
  cogs: '5',
  purchases: '6',
  advertising: '7',
  accountsPayable: '11',
  customerDeposits: '14',
  salesTaxPayable: '15',
} as const;
export const US_TAX_CODES = { california: '2', tucson: '3' } as const;
export const CA_TAX_CODES = { exempt: '3', zeroRated: '4', gst: '5', hstOn: '6', gstPstBc: '7' } as const;

type QboRecord = Record<string, unknown>;

export interface PushWorld {
  readonly db: Kysely<Database>;
  readonly emulator: StartedEmulator;
  readonly service: QboConnectionService;
  readonly session: SessionRef;
  readonly org: Organisation;
  readonly realmId: string;
  readonly worker: Worker;
  /** Workroom tax code ids by name (Canadian studios). */
  readonly taxCodes: ReadonlyMap<string, string>;
  client(name: string, extra?: Partial<ClientInput['clientInformation']> & { fullName?: string }): Promise<string>;
  vendor(name: string, extra?: Partial<VendorInput>): Promise<string>;
  category(name: string): Promise<string>;
  /** Creates the document and, unless `draft`, finalizes / approves it. */
  document(body: DocumentInputBody, options?: { draft?: boolean }): Promise<WorkroomDocument>;
  edit(doc: WorkroomDocument, changes: Partial<DocumentInputBody>): Promise<WorkroomDocument>;
  map(accounts: Partial<AccountMapping>, tax?: TaxMapping): Promise<void>;
  /** Queue and run one push, as the route does. */
  push(documentId: string): Promise<{ job: PushJob; enqueued: PushJob; state: DocumentPushState | null }>;
  qbo(entity: 'Customer' | 'Vendor' | 'Employee' | 'Item' | 'Invoice' | 'Estimate' | 'PurchaseOrder'): QboRecord[];
  close(): Promise<void>;
}

export interface WorldOptions {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly realmId: string;
  readonly country?: 'US' | 'CA';
  readonly homeCurrency?: string;
  readonly salesTaxRate?: string;
  /** Stands between Workroom and the emulator, e.g. to answer one call with a fault. */
  readonly transport?: QboTransport;
}

/** For one describe block (one database): makes worlds and closes every one of them after each test. */
export function worldsClosedAfterEach(getDb: () => { db: Kysely<Database> }, dialect: DialectName): (options: Omit<WorldOptions, 'db' | 'dialect'>) => Promise<PushWorld> {
  const worlds: PushWorld[] = [];
  afterEach(async () => {
    await Promise.all(worlds.splice(0).map((w) => w.close()));
  });
  return async (options) => {
    const w = await createWorld({ db: getDb().db, dialect, ...options });
    worlds.push(w);
    return w;
  };
}

/** A fresh emulator, a studio with an owner, connected to `realmId` through the real OAuth round trip. */
export async function createWorld(options: WorldOptions): Promise<PushWorld> {
  const { db, dialect, realmId } = options;
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', withHistory: false });
  const service = makeService({ db, dialect, baseUrl: emulator.baseUrl, keyHex: testKeyHex(), ...(options.transport ? { transport: options.transport } : {}) });
  const country = options.country ?? 'US';
  const org = await createOrganisation(db, {
    name: `Studio ${randomBytes(3).toString('hex')}`,
    country,
    homeCurrency: options.homeCurrency ?? (country === 'CA' ? 'CAD' : 'USD'),
    salesTaxRate: options.salesTaxRate ?? (country === 'CA' ? '0' : '8'),
  });
  const userId = newId();
  const sessionId = randomBytes(32).toString('hex');
  await db
    .insertInto('users')
    .values({ id: userId, org_id: org.id, email: `${userId}@example.test`, password_hash: 'x', role: 'owner', created_at: nowIso() })
    .execute();
  await db
    .insertInto('sessions')
    .values({ id: sessionId, user_id: userId, org_id: org.id, created_at: nowIso(), expires_at: new Date(Date.now() + 3_600_000).toISOString() })
    .execute();
  const session: SessionRef = { orgId: org.id, userId, sessionId };
  const connected = await connect(service, session, realmId);
  if (!connected.ok) throw new Error(`connect failed: ${connected.error}`);
  const worker = createWorker({ db, dialect, workerId: `test-${org.id.slice(0, 8)}`, process: createPushProcessor({ db, dialect, qbo: service }) });
  const taxCodes = new Map((await allTaxCodes(db, org.id)).map((c) => [c.name, c.id]));

  return {
    db,
    emulator,
    service,
    session,
    org,
    realmId,
    worker,
    taxCodes,
    async client(name, extra = {}) {
      const { fullName, ...info } = extra;
      const client = await createClient(db, org.id, {
        fullName: fullName ?? `${name} (full name)`,
        clientInformation: {
          name,
          email: info.email ?? `${name.replace(/[^a-z]/gi, '').toLowerCase() || 'x'}@example.test`,
          phone: info.phone ?? '(555) 010-0000',
          billingAddress: info.billingAddress ?? { line1: '1 Main St', city: 'Springfield', region: 'NY', postalCode: '10001', country },
        },
      });
      return client.id;
    },
    async vendor(name, extra = {}) {
      const vendor = await createVendor(db, org.id, {
        name,
        email: extra.email ?? 'orders@vendor.example',
        phone: extra.phone ?? '(555) 020-0000',
        address: extra.address ?? { line1: '2 Mill Rd', city: 'Kingston', region: 'NY', postalCode: '12401', country },
      });
      return vendor.id;
    },
    async category(name) {
      const created = await createCategory(db, org.id, { name });
      if (!created.ok) throw new Error(`category ${name}: ${JSON.stringify(created.error)}`);
      return created.value.id;
    },
    async document(body, opts = {}) {
      const created = await createDocument(db, org, DocumentInputSchema.parse(body));
      if (!created.ok) throw new Error(`document: ${JSON.stringify(created.error)}`);
      if (opts.draft === true) return created.value;
      const action = created.value.type === 'purchase_order' ? 'approve' : 'finalize';
      const issued = await applyDocumentAction(db, org, created.value.id, action);
      if (!issued.ok) throw new Error(`${action}: ${JSON.stringify(issued.error)}`);
      return issued.value;
    },
    async edit(doc, changes) {
      const base = {
        type: doc.type,
        number: doc.number,
        issueDate: doc.issueDate,
        currency: doc.currency,
        notes: doc.notes,
        lines: doc.lines.map((l) => ({
          description: l.description,
          quantity: l.quantity,
          rate: l.rate,
          categoryId: l.categoryId,
          taxable: l.taxable,
          taxCodeId: l.taxCodeId,
          markupPercent: l.markupPercent,
          vendorDiscountPercent: l.vendorDiscountPercent,
        })),
        ...(doc.type === 'purchase_order' ? { vendorId: doc.vendorId } : { clientId: doc.clientId }),
        ...(doc.type === 'invoice' ? { isRetainer: doc.isRetainer, dueDate: doc.dueDate ?? undefined } : {}),
      };
      const updated = await updateDocument(db, org, doc.id, DocumentInputSchema.parse({ ...base, ...changes }));
      if (!updated.ok) throw new Error(`edit: ${JSON.stringify(updated.error)}`);
      return updated.value;
    },
    async map(accounts, tax) {
      await saveMappings(
        db,
        { orgId: org.id, realmId, userId, accounts: AccountMappingSchema.parse(accounts), ...(tax ? { tax } : {}) },
        org.taxModel,
      );
    },
    async push(documentId) {
      const doc = await db.selectFrom('documents').select(['type', 'revision']).where('id', '=', documentId).executeTakeFirstOrThrow();
      const { job } = await enqueuePush(
        db,
        { orgId: org.id, realmId, documentId, documentType: doc.type, documentRevision: doc.revision, startedBy: userId },
        new Date(),
      );
      await worker.runNow([job.id]);
      const settled = await db.selectFrom('push_jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
      return { job: settled, enqueued: job, state: await readPushState(db, { orgId: org.id, realmId }, documentId) };
    },
    qbo(entity) {
      return emulator.control.api.listEntities(realmId, entity);
    },
    async close() {
      await worker.stop();
      await emulator.close();
    },
  };
}

/** A line as tests write it; everything not given takes the schema default. */
export function line(quantity: string, rate: string, extra: Record<string, unknown> = {}) {
  return { description: `${quantity} × ${rate}`, quantity, rate, ...extra };
}

export const ISSUE_DATE = '2026-03-02';
