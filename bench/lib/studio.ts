import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/index.js';
import { DocumentInputSchema } from '../../src/domain/documents.js';
import type { Organisation } from '../../src/domain/model.js';
import { createClient } from '../../src/domain/store/clients.js';
import { applyDocumentAction, createDocument } from '../../src/domain/store/documents.js';
import { createOrganisation, createUser } from '../../src/domain/store/organisations.js';
import { SESSION_COOKIE } from '../../src/server/api/contract.js';
import { hashPassword } from '../../src/server/auth/passwords.js';
import { createSession } from '../../src/server/auth/sessions.js';
import type { SessionRef } from '../../src/qbo/connection/connection-service.js';
import { saveMappings } from '../../src/qbo/sync/mapping-store.js';

export const BENCH_PASSWORD = 'bench-password-1';

export interface StudioUser {
  readonly id: string;
  readonly email: string;
}

/** A US studio (8% sales tax, like the emulator's "California" code) with users and clients. */
export interface Studio {
  readonly org: Organisation;
  readonly users: readonly StudioUser[];
  readonly clientIds: readonly string[];
}

let passwordHash: Promise<string> | undefined;

export async function createStudio(db: Kysely<Database>, name: string, options: { clients: number; users?: number }): Promise<Studio> {
  passwordHash ??= hashPassword(BENCH_PASSWORD);
  const org = await createOrganisation(db, { name, country: 'US', homeCurrency: 'USD', salesTaxRate: '8' });
  const users: StudioUser[] = [];
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  for (let i = 0; i < (options.users ?? 1); i += 1) {
    const email = `user${i + 1}@${slug}.bench`;
    const created = await createUser(db, { orgId: org.id, email, passwordHash: await passwordHash, role: i === 0 ? 'owner' : 'member' });
    if (!created.ok) throw new Error(`user ${email}: ${created.error.kind}`);
    users.push({ id: created.value.id, email });
  }
  const clientIds: string[] = [];
  for (let i = 0; i < options.clients; i += 1) {
    const client = await createClient(db, org.id, {
      fullName: '',
      clientInformation: {
        name: `${name} Client ${String(i + 1).padStart(3, '0')}`,
        email: `client${i + 1}@${slug}.bench`,
        phone: '555-0100',
        billingAddress: { line1: `${i + 1} Market St`, city: 'San Francisco', region: 'CA', postalCode: '94103', country: 'US' },
      },
    });
    clientIds.push(client.id);
  }
  return { org, users, clientIds };
}

const LINE_CATALOGUE = [
  { description: 'Linen sofa, 3 seats', quantity: '1', rate: '2450.00' },
  { description: 'Brass floor lamp', quantity: '2', rate: '389.50' },
  { description: 'Design consultation (hours)', quantity: '3.5', rate: '145.00', taxable: false },
  { description: 'Wool rug 8x10', quantity: '1', rate: '1199.99' },
  { description: 'Installation', quantity: '1', rate: '275.00', taxable: false },
] as const;

/** Final (pushable) invoices spread round-robin over the studio's clients; `lines` lines each. */
export async function addFinalInvoices(db: Kysely<Database>, studio: Studio, count: number, lines = 3, concurrency = 1): Promise<string[]> {
  const ids: string[] = new Array<string>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const input = DocumentInputSchema.parse({
        type: 'invoice',
        clientId: studio.clientIds[i % studio.clientIds.length],
        issueDate: '2026-01-15',
        dueDate: '2026-02-14',
        lines: Array.from({ length: lines }, (_, l) => LINE_CATALOGUE[(i + l) % LINE_CATALOGUE.length]),
      });
      const created = await whenNotBusy(() => createDocument(db, studio.org, input));
      if (!created.ok) throw new Error(`invoice ${i}: ${JSON.stringify(created.error)}`);
      const finalized = await whenNotBusy(() => applyDocumentAction(db, studio.org, created.value.id, 'finalize'));
      if (!finalized.ok) throw new Error(`finalize ${i}: ${JSON.stringify(finalized.error)}`);
      ids[i] = created.value.id;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

/**
 * SQLite answers SQLITE_BUSY at once (no busy wait) when a transaction that has read wants to write while another
 * process writes: here, the bench seeding documents while the product's worker runs. The transaction rolled back,
 * so it is simply tried again.
 */
async function whenNotBusy<T>(task: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await task();
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || attempt >= 100) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
    }
  }
}

/** The emulator's US chart and tax codes: Sales of Product Income, Customer Deposits, Sales Tax Payable, California 8%. */
export async function mapUsCompany(db: Kysely<Database>, studio: Studio, realmId: string): Promise<void> {
  await saveMappings(
    db,
    {
      orgId: studio.org.id,
      realmId,
      userId: studio.users[0]?.id ?? null,
      accounts: {
        defaultIncomeAccountId: '3',
        incomeByCategory: {},
        defaultExpenseAccountId: '6',
        expenseByVendor: {},
        retainerLiabilityAccountId: '14',
        salesTaxPayableAccountId: '15',
      },
      tax: { kind: 'sales_tax', salesTaxCodeId: '2', exemptTaxCodeId: null },
    },
    'sales_tax',
  );
}

/** A logged-in browser session for `user`: the cookie header the API wants, and the ref OAuth state binds to. */
export async function logIn(db: Kysely<Database>, studio: Studio, user: StudioUser): Promise<{ cookie: string; session: SessionRef }> {
  const { token } = await createSession(db, { id: user.id, org_id: studio.org.id });
  // The sessions table keys rows by the token's SHA-256 (src/server/auth/sessions.ts).
  const sessionId = createHash('sha256').update(token).digest('hex');
  return { cookie: `${SESSION_COOKIE}=${token}`, session: { orgId: studio.org.id, userId: user.id, sessionId } };
}
