import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { DocumentInputSchema, type DocumentInput } from '../domain/documents.js';
import type { Organisation } from '../domain/model.js';
import { createCategory } from '../domain/store/categories.js';
import { createClient } from '../domain/store/clients.js';
import { applyDocumentAction, createDocument } from '../domain/store/documents.js';
import { countOrganisations, createOrganisation, createUser, findUserByEmail } from '../domain/store/organisations.js';
import { allTaxCodes } from '../domain/store/tax-codes.js';
import { createVendor } from '../domain/store/vendors.js';
import { hashPassword } from '../server/auth/passwords.js';
import { CA_STUDIO, DEMO_PASSWORD, US_LINE_CATALOGUE, US_STUDIO, type DemoLine } from './data.js';

export interface DemoLogin {
  email: string;
  password: string;
  org: string;
}

type Studio = typeof US_STUDIO | typeof CA_STUDIO;

interface SeededStudio {
  org: Organisation;
  clientIds: string[];
  vendorIds: string[];
  categoryIds: Map<string, string>;
  taxCodeIds: Map<string, string>;
}

interface DemoDocument {
  type: DocumentInput['type'];
  party: number;
  issueDate: string;
  /** Days after the issue date for the due / expiration / expected date. */
  termDays: number;
  lines: DemoLine[];
  issue: boolean;
  isRetainer?: boolean;
  notes?: string;
}

/**
 * Seeds the two demo studios into an empty database. Content is fixed (no randomness beyond ids), and
 * a database that already has any organisation is left alone; the demo logins that exist are returned
 * either way so the CLI can print them.
 */
export async function seedDemo(db: Kysely<Database>): Promise<{ logins: DemoLogin[] }> {
  if ((await countOrganisations(db)) === 0) {
    const us = await seedStudio(db, US_STUDIO);
    for (const doc of usDocuments()) await addDocument(db, us, doc);
    const ca = await seedStudio(db, CA_STUDIO);
    for (const doc of caDocuments()) await addDocument(db, ca, doc);
  }
  const logins: DemoLogin[] = [];
  for (const studio of [US_STUDIO, CA_STUDIO]) {
    for (const user of studio.users) {
      if (await findUserByEmail(db, user.email)) logins.push({ email: user.email, password: DEMO_PASSWORD, org: studio.name });
    }
  }
  return { logins };
}

async function seedStudio(db: Kysely<Database>, studio: Studio): Promise<SeededStudio> {
  const org = await createOrganisation(db, studio);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const user of studio.users) unwrap(await createUser(db, { orgId: org.id, email: user.email, passwordHash, role: user.role }));
  const clientIds: string[] = [];
  for (const c of studio.clients) clientIds.push((await createClient(db, org.id, c)).id);
  const vendorIds: string[] = [];
  for (const v of studio.vendors) vendorIds.push((await createVendor(db, org.id, v)).id);
  const categoryIds = new Map<string, string>();
  for (const name of studio.categories) categoryIds.set(name, unwrap(await createCategory(db, org.id, { name })).id);
  const taxCodeIds = new Map((await allTaxCodes(db, org.id)).map((c) => [c.name, c.id]));
  return { org, clientIds, vendorIds, categoryIds, taxCodeIds };
}

async function addDocument(db: Kysely<Database>, studio: SeededStudio, doc: DemoDocument): Promise<void> {
  const lines = doc.lines.map((l) => ({
    description: l.description,
    quantity: l.quantity,
    rate: l.rate,
    categoryId: lookup(studio.categoryIds, l.category),
    taxable: l.taxable ?? true,
    taxCodeId: l.taxCode ? lookup(studio.taxCodeIds, l.taxCode) : null,
    markupPercent: l.markupPercent ?? '0',
    vendorDiscountPercent: l.vendorDiscountPercent ?? '0',
  }));
  const later = addDays(doc.issueDate, doc.termDays);
  const common = { issueDate: doc.issueDate, notes: doc.notes ?? '', lines };
  const body =
    doc.type === 'purchase_order'
      ? { type: doc.type, vendorId: at(studio.vendorIds, doc.party), expectedDate: later, ...common }
      : doc.type === 'invoice'
        ? { type: doc.type, clientId: at(studio.clientIds, doc.party), dueDate: later, isRetainer: doc.isRetainer ?? false, ...common }
        : { type: doc.type, clientId: at(studio.clientIds, doc.party), expirationDate: later, ...common };
  const created = unwrap(await createDocument(db, studio.org, DocumentInputSchema.parse(body)));
  if (doc.issue) unwrap(await applyDocumentAction(db, studio.org, created.id, doc.type === 'purchase_order' ? 'approve' : 'finalize'));
}

function usDocuments(): DemoDocument[] {
  const pick = (start: number, count: number): DemoLine[] =>
    Array.from({ length: count }, (_, k) => at(US_LINE_CATALOGUE, (start + k * 5) % US_LINE_CATALOGUE.length));
  const docs: DemoDocument[] = [];
  for (let i = 0; i < 11; i++) {
    docs.push({ type: 'invoice', party: i % 10, issueDate: addDays('2025-01-06', i * 9), termDays: 30, lines: pick(i * 3, 2 + (i % 3)), issue: i % 3 !== 0 });
  }
  docs.push({
    type: 'invoice',
    party: 6,
    issueDate: '2025-02-03',
    termDays: 14,
    isRetainer: true,
    issue: true,
    notes: 'Deposit before ordering; applied to the final invoice.',
    lines: [{ description: 'Retainer: 50% deposit on furnishings', quantity: '1', rate: '7500', category: 'Design Services', taxable: false }],
  });
  for (let i = 0; i < 10; i++) {
    docs.push({ type: 'estimate', party: (i * 3) % 10, issueDate: addDays('2025-01-13', i * 11), termDays: 30, lines: pick(i * 7 + 1, 3 + (i % 2)), issue: i % 2 === 0 });
  }
  for (let i = 0; i < 8; i++) {
    docs.push({
      type: 'purchase_order',
      party: i,
      issueDate: addDays('2025-01-20', i * 12),
      termDays: 21,
      lines: pick(i * 5 + 2, 1 + (i % 3)).map((l) => ({ ...l, taxable: false })),
      issue: i < 5,
    });
  }
  return docs;
}

function caDocuments(): DemoDocument[] {
  return [
    {
      type: 'invoice',
      party: 0,
      issueDate: '2025-02-10',
      termDays: 30,
      issue: true,
      lines: [
        { description: 'Sectional sofa, boucle', quantity: '1', rate: '5240', category: 'Furniture', taxCode: 'BC GST+PST' },
        { description: 'Floor lamps', quantity: '2', rate: '418.75', category: 'Lighting', taxCode: 'BC GST+PST' },
        { description: 'Design fee (hours)', quantity: '9.5', rate: '150', category: 'Design Services', taxCode: 'GST only' },
      ],
    },
    {
      type: 'invoice',
      party: 1,
      issueDate: '2025-02-17',
      termDays: 30,
      issue: false,
      lines: [
        { description: 'Reception seating', quantity: '6', rate: '899.99', category: 'Furniture', taxCode: 'ON HST' },
        { description: 'Space planning (hours)', quantity: '14', rate: '140', category: 'Design Services', taxCode: 'ON HST' },
      ],
    },
    {
      type: 'estimate',
      party: 2,
      issueDate: '2025-03-03',
      termDays: 45,
      issue: true,
      lines: [
        { description: 'Wool throws', quantity: '5', rate: '189.5', category: 'Textiles', taxCode: 'GST only' },
        { description: 'Cabin concept boards', quantity: '1', rate: '1200', category: 'Design Services', taxCode: 'GST only' },
      ],
    },
    {
      type: 'purchase_order',
      party: 0,
      issueDate: '2025-02-12',
      termDays: 28,
      issue: true,
      lines: [{ description: 'Custom oak built-ins', quantity: '1', rate: '8650', category: 'Furniture', taxCode: 'BC GST+PST' }],
    },
    {
      type: 'purchase_order',
      party: 1,
      issueDate: '2025-03-05',
      termDays: 21,
      issue: false,
      lines: [
        { description: 'Linen bedding sets', quantity: '4', rate: '312', category: 'Textiles', taxCode: 'GST only' },
        { description: 'Sample swatches', quantity: '20', rate: '0', category: 'Textiles', taxCode: 'Exempt' },
      ],
    },
  ];
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`demo data has no entry ${index}`);
  return item;
}

function lookup(ids: Map<string, string>, name: string): string {
  const id = ids.get(name);
  if (!id) throw new Error(`demo data refers to unknown "${name}"`);
  return id;
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(`demo seeding failed: ${JSON.stringify(result.error)}`);
  return result.value;
}
