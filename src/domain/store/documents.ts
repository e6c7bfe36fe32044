import { sql } from 'kysely';
import { newId, nowIso } from '../../db/index.js';
import type { DocumentAttachmentsTable, DocumentLinesTable, DocumentsTable } from '../../db/tables/core.js';
import { checkLineTaxFields, documentDates, type DocumentInput } from '../documents.js';
import { formatDecimal } from '../money.js';
import { applyAction, canDelete, nextRevision, TRANSITION_MESSAGES, type DocumentAction, type DocumentStatus, type DocumentType } from '../lifecycle.js';
import type { DocumentSummary, Organisation, Page, WorkroomDocument } from '../model.js';
import { Err, Ok, type Result, type RuleViolation } from '../result.js';
import { computeDocumentTotals, taxRoundingForCountry, type TaxContext } from '../totals.js';
import { isUniqueViolation, notFound, type StoreFailure } from './failure.js';
import { containsIgnoreCase, pageWindow } from './query.js';
import { allTaxCodes } from './tax-codes.js';
import type { Db, Tx } from './types.js';

export interface DocumentListParams {
  page: number;
  pageSize: number;
  q?: string | undefined;
  type?: DocumentType | undefined;
  status?: DocumentStatus | undefined;
  clientId?: string | undefined;
  vendorId?: string | undefined;
}

const NUMBER_PREFIX: Record<DocumentType, string> = { estimate: 'EST-', invoice: 'INV-', purchase_order: 'PO-' };
const FIRST_NUMBER = 1001;

type HeaderRow = DocumentsTable & { party_name: string | null };

function baseSelect(db: Db | Tx, orgId: string) {
  return db
    .selectFrom('documents')
    .leftJoin('clients', 'clients.id', 'documents.client_id')
    .leftJoin('vendors', 'vendors.id', 'documents.vendor_id')
    .where('documents.org_id', '=', orgId);
}

function toHeader(row: HeaderRow) {
  return {
    id: row.id,
    type: row.type,
    number: row.number,
    status: row.status,
    revision: row.revision,
    clientId: row.client_id,
    vendorId: row.vendor_id,
    partyName: row.party_name ?? '',
    issueDate: row.issue_date,
    dueDate: row.due_date,
    expirationDate: row.expiration_date,
    expectedDate: row.expected_date,
    currency: row.currency,
    isRetainer: row.is_retainer === 1,
    issuedAt: row.issued_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listDocuments(db: Db, orgId: string, params: DocumentListParams): Promise<Page<DocumentSummary>> {
  let base = baseSelect(db, orgId);
  if (params.type) base = base.where('documents.type', '=', params.type);
  if (params.status) base = base.where('documents.status', '=', params.status);
  if (params.clientId) base = base.where('documents.client_id', '=', params.clientId);
  if (params.vendorId) base = base.where('documents.vendor_id', '=', params.vendorId);
  if (params.q) {
    const q = params.q;
    base = base.where((eb) =>
      eb.or([containsIgnoreCase('documents.number', q), containsIgnoreCase('clients.info_name', q), containsIgnoreCase('vendors.name', q)]),
    );
  }
  const { n } = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const { limit, offset } = pageWindow(params.page, params.pageSize);
  const rows = await base
    .selectAll('documents')
    .select(sql<string | null>`coalesce(clients.info_name, vendors.name)`.as('party_name'))
    .orderBy('documents.issue_date', 'desc')
    .orderBy('documents.created_at', 'desc')
    .orderBy('documents.id')
    .limit(limit)
    .offset(offset)
    .execute();
  return {
    items: rows.map((r) => ({ ...toHeader(r), subtotal: r.subtotal, taxTotal: r.tax_total, total: r.total })),
    total: Number(n),
    page: params.page,
    pageSize: params.pageSize,
  };
}

type TaxCodesById = Extract<TaxContext, { model: 'tax_codes' }>['codes'];

/** `codes` is read once for any number of documents (undefined under sales tax, which needs none). */
function taxContextOf(org: Organisation, salesTaxRate: string | null, codes: TaxCodesById | undefined): TaxContext {
  if (codes === undefined) return { model: 'sales_tax', rate: salesTaxRate ?? org.salesTaxRate, rounding: taxRoundingForCountry(org.country) };
  return { model: 'tax_codes', codes };
}

async function taxCodesFor(db: Db | Tx, org: Organisation): Promise<TaxCodesById | undefined> {
  if (org.taxModel === 'sales_tax') return undefined;
  return new Map((await allTaxCodes(db, org.id)).map((c) => [c.id, c]));
}

async function taxContextFor(db: Db | Tx, org: Organisation, salesTaxRate: string | null): Promise<TaxContext> {
  return taxContextOf(org, salesTaxRate, await taxCodesFor(db, org));
}

export async function getDocument(db: Db | Tx, org: Organisation, id: string): Promise<WorkroomDocument | undefined> {
  return (await getDocuments(db, org, [id])).get(id);
}

/** Several documents with their lines in a handful of queries, whatever their number (a bulk push reads 30 at once). */
export async function getDocuments(db: Db | Tx, org: Organisation, ids: readonly string[]): Promise<Map<string, WorkroomDocument>> {
  const out = new Map<string, WorkroomDocument>();
  if (ids.length === 0) return out;
  const rows = await baseSelect(db, org.id)
    .where('documents.id', 'in', [...ids])
    .selectAll('documents')
    .select(sql<string | null>`coalesce(clients.info_name, vendors.name)`.as('party_name'))
    .execute();
  if (rows.length === 0) return out;
  const found = rows.map((r) => r.id);
  const [lines, attachments, codes] = await Promise.all([
    db.selectFrom('document_lines').selectAll().where('document_id', 'in', found).orderBy('document_id').orderBy('position').execute(),
    db.selectFrom('document_attachments').selectAll().where('document_id', 'in', found).orderBy('document_id').orderBy('position').execute(),
    taxCodesFor(db, org),
  ]);
  const linesOf = groupBy(lines, (l) => l.document_id);
  const attachmentsOf = groupBy(attachments, (a) => a.document_id);
  for (const row of rows) {
    out.set(row.id, toDocument(row, linesOf.get(row.id) ?? [], attachmentsOf.get(row.id) ?? [], taxContextOf(org, row.sales_tax_rate, codes)));
  }
  return out;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const group = out.get(key(item));
    if (group) group.push(item);
    else out.set(key(item), [item]);
  }
  return out;
}

function toDocument(row: HeaderRow, lines: readonly DocumentLinesTable[], attachments: readonly DocumentAttachmentsTable[], tax: TaxContext): WorkroomDocument {
  const totals = computeDocumentTotals(
    lines.map((l) => ({ quantity: l.quantity, rate: l.rate, taxable: l.taxable === 1, taxCodeId: l.tax_code_id })),
    tax,
  );
  return {
    ...toHeader(row),
    salesTaxRate: row.sales_tax_rate,
    notes: row.notes,
    lines: lines.map((l, i) => ({
      id: l.id,
      description: l.description,
      quantity: l.quantity,
      rate: l.rate,
      categoryId: l.category_id,
      taxable: totals.lineTaxable[i] ?? false,
      taxCodeId: l.tax_code_id,
      markupPercent: l.markup_percent,
      vendorDiscountPercent: l.vendor_discount_percent,
      amount: l.amount,
    })),
    attachments: attachments.map((a) => ({ id: a.id, name: a.name, size: a.size, mime: a.mime, createdAt: a.created_at })),
    totals: {
      lineAmountsTotal: totals.lineAmountsTotal,
      subtotal: totals.subtotal,
      taxes: totals.taxes,
      taxTotal: totals.taxTotal,
      total: totals.total,
    },
  };
}

/** Every id the body refers to must belong to the same organisation; otherwise it is reported as unknown. */
async function checkReferences(trx: Tx, org: Organisation, input: DocumentInput): Promise<RuleViolation[]> {
  const violations: RuleViolation[] = [...checkLineTaxFields(org.taxModel, input.lines)];
  if (input.type === 'purchase_order') {
    const vendor = await trx.selectFrom('vendors').select('id').where('org_id', '=', org.id).where('id', '=', input.vendorId).executeTakeFirst();
    if (!vendor) violations.push({ field: 'vendorId', message: 'unknown vendor' });
  } else {
    const client = await trx.selectFrom('clients').select('id').where('org_id', '=', org.id).where('id', '=', input.clientId).executeTakeFirst();
    if (!client) violations.push({ field: 'clientId', message: 'unknown client' });
  }
  const categoryIds = [...new Set(input.lines.flatMap((l) => (l.categoryId ? [l.categoryId] : [])))];
  const taxCodeIds = [...new Set(input.lines.flatMap((l) => (l.taxCodeId ? [l.taxCodeId] : [])))];
  const knownCategories = new Set(
    categoryIds.length
      ? (await trx.selectFrom('categories').select('id').where('org_id', '=', org.id).where('id', 'in', categoryIds).execute()).map((r) => r.id)
      : [],
  );
  const knownTaxCodes = new Set(
    taxCodeIds.length
      ? (await trx.selectFrom('tax_codes').select('id').where('org_id', '=', org.id).where('id', 'in', taxCodeIds).execute()).map((r) => r.id)
      : [],
  );
  input.lines.forEach((l, i) => {
    if (l.categoryId && !knownCategories.has(l.categoryId)) violations.push({ field: `lines.${i}.categoryId`, message: 'unknown category' });
    if (l.taxCodeId && org.taxModel === 'tax_codes' && !knownTaxCodes.has(l.taxCodeId)) {
      violations.push({ field: `lines.${i}.taxCodeId`, message: 'unknown tax code' });
    }
  });
  return violations;
}

/** Allocates the next free number for the type; the upsert holds a row lock until commit on PostgreSQL. */
async function nextNumber(trx: Tx, orgId: string, type: DocumentType): Promise<string> {
  for (;;) {
    const { next_number } = await trx
      .insertInto('document_sequences')
      .values({ org_id: orgId, type, next_number: FIRST_NUMBER })
      .onConflict((oc) => oc.columns(['org_id', 'type']).doUpdateSet((eb) => ({ next_number: eb('document_sequences.next_number', '+', 1) })))
      .returning('next_number')
      .executeTakeFirstOrThrow();
    const candidate = `${NUMBER_PREFIX[type]}${next_number}`;
    const taken = await trx.selectFrom('documents').select('id').where('org_id', '=', orgId).where('type', '=', type).where('number', '=', candidate).executeTakeFirst();
    if (!taken) return candidate;
  }
}

interface Prepared {
  totals: ReturnType<typeof computeDocumentTotals>;
  salesTaxRate: string | null;
}

async function prepare(trx: Tx, org: Organisation, input: DocumentInput, previousRate: string | null): Promise<Result<Prepared, StoreFailure>> {
  const violations = await checkReferences(trx, org, input);
  if (violations.length) return Err({ kind: 'invalid', violations });
  const salesTaxRate = org.taxModel === 'sales_tax' ? formatDecimal(input.salesTaxRate ?? previousRate ?? org.salesTaxRate) : null;
  const totals = computeDocumentTotals(
    input.lines.map((l) => ({ quantity: l.quantity, rate: l.rate, taxable: l.taxable, taxCodeId: org.taxModel === 'tax_codes' ? l.taxCodeId : null })),
    await taxContextFor(trx, org, salesTaxRate),
  );
  return Ok({ totals, salesTaxRate });
}

async function writeChildren(trx: Tx, orgId: string, documentId: string, input: DocumentInput, prepared: Prepared, now: string): Promise<void> {
  await trx.deleteFrom('document_lines').where('document_id', '=', documentId).execute();
  await trx.deleteFrom('document_attachments').where('document_id', '=', documentId).execute();
  if (input.lines.length) {
    const lines: DocumentLinesTable[] = input.lines.map((l, position) => ({
      id: newId(),
      org_id: orgId,
      document_id: documentId,
      position,
      description: l.description,
      quantity: formatDecimal(l.quantity),
      rate: formatDecimal(l.rate),
      category_id: l.categoryId,
      taxable: prepared.totals.lineTaxable[position] ? 1 : 0,
      tax_code_id: prepared.salesTaxRate === null ? l.taxCodeId : null,
      markup_percent: formatDecimal(l.markupPercent),
      vendor_discount_percent: formatDecimal(l.vendorDiscountPercent),
      amount: prepared.totals.lineAmounts[position] ?? '0.00',
    }));
    await trx.insertInto('document_lines').values(lines).execute();
  }
  if (input.attachments.length) {
    const attachments: DocumentAttachmentsTable[] = input.attachments.map((a, position) => ({
      id: newId(),
      org_id: orgId,
      document_id: documentId,
      position,
      name: a.name,
      size: a.size,
      mime: a.mime,
      created_at: now,
    }));
    await trx.insertInto('document_attachments').values(attachments).execute();
  }
}

const duplicateNumber: StoreFailure = { kind: 'conflict', field: 'number', message: 'another document of this type already has this number' };

/** New documents always start as drafts. */
export async function createDocument(db: Db, org: Organisation, input: DocumentInput): Promise<Result<WorkroomDocument, StoreFailure>> {
  return savingDocument(db, async (trx) => {
    const prepared = await prepare(trx, org, input, null);
    if (!prepared.ok) return prepared;
    const now = nowIso();
    const id = newId();
    const row: DocumentsTable = {
      id,
      org_id: org.id,
      type: input.type,
      number: input.number ?? (await nextNumber(trx, org.id, input.type)),
      status: 'draft',
      revision: 1,
      currency: input.currency ?? org.homeCurrency,
      ...editedColumns(input, prepared.value),
      issued_at: null,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('documents').values(row).execute();
    return finishSave(trx, org, id, input, prepared.value, now);
  });
}

/** One transaction per save; a number another document of its type holds is the user's to change. */
async function savingDocument(
  db: Db,
  save: (trx: Tx) => Promise<Result<WorkroomDocument, StoreFailure>>,
): Promise<Result<WorkroomDocument, StoreFailure>> {
  try {
    return await db.transaction().execute(save);
  } catch (err) {
    if (isUniqueViolation(err)) return Err(duplicateNumber);
    throw err;
  }
}

async function finishSave(trx: Tx, org: Organisation, id: string, input: DocumentInput, prepared: Prepared, now: string): Promise<Result<WorkroomDocument, StoreFailure>> {
  await writeChildren(trx, org.id, id, input, prepared, now);
  const doc = await getDocument(trx, org, id);
  return doc ? Ok(doc) : Err(notFound);
}

/** The header columns a save sets from the user's input, the same on create and update. */
function editedColumns(input: DocumentInput, prepared: Prepared) {
  const dates = documentDates(input);
  return {
    client_id: input.type === 'purchase_order' ? null : input.clientId,
    vendor_id: input.type === 'purchase_order' ? input.vendorId : null,
    issue_date: input.issueDate,
    due_date: dates.dueDate,
    expiration_date: dates.expirationDate,
    expected_date: dates.expectedDate,
    sales_tax_rate: prepared.salesTaxRate,
    is_retainer: input.type === 'invoice' && input.isRetainer ? 1 : 0,
    notes: input.notes,
    subtotal: prepared.totals.subtotal,
    tax_total: prepared.totals.taxTotal,
    total: prepared.totals.total,
  } satisfies Partial<DocumentsTable>;
}

/** Issued documents may be edited too; every save bumps the revision (see lifecycle.ts). */
export async function updateDocument(db: Db, org: Organisation, id: string, input: DocumentInput): Promise<Result<WorkroomDocument, StoreFailure>> {
  return savingDocument(db, async (trx) => {
    const current = await trx.selectFrom('documents').selectAll().where('org_id', '=', org.id).where('id', '=', id).executeTakeFirst();
    if (!current) return Err(notFound);
    if (current.type !== input.type) return Err({ kind: 'invalid', violations: [{ field: 'type', message: 'the type of a document cannot change' }] });
    if (input.revision !== undefined && input.revision !== current.revision) {
      return Err({ kind: 'conflict', field: 'revision', message: `the document was changed meanwhile (now revision ${current.revision})` });
    }
    const prepared = await prepare(trx, org, input, current.sales_tax_rate);
    if (!prepared.ok) return prepared;
    const now = nowIso();
    const result = await trx
      .updateTable('documents')
      .set({
        number: input.number ?? current.number,
        revision: nextRevision(current.revision),
        currency: input.currency ?? current.currency,
        ...editedColumns(input, prepared.value),
        updated_at: now,
      })
      .where('id', '=', id)
      .where('revision', '=', current.revision)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return Err({ kind: 'conflict', field: 'revision', message: 'the document was changed meanwhile' });
    return finishSave(trx, org, id, input, prepared.value, now);
  });
}

export async function applyDocumentAction(db: Db, org: Organisation, id: string, action: DocumentAction): Promise<Result<WorkroomDocument, StoreFailure>> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('documents').selectAll().where('org_id', '=', org.id).where('id', '=', id).executeTakeFirst();
    if (!current) return Err(notFound);
    const { n } = await trx.selectFrom('document_lines').select((eb) => eb.fn.countAll().as('n')).where('document_id', '=', id).executeTakeFirstOrThrow();
    const next = applyAction({ type: current.type, status: current.status, lineCount: Number(n) }, action);
    if (!next.ok) return Err({ kind: 'invalid_transition', message: TRANSITION_MESSAGES[next.error] });
    const now = nowIso();
    const result = await trx
      .updateTable('documents')
      .set({ status: next.value, issued_at: now, revision: nextRevision(current.revision), updated_at: now })
      .where('id', '=', id)
      .where('revision', '=', current.revision)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return Err({ kind: 'conflict', message: 'the document was changed meanwhile' });
    const doc = await getDocument(trx, org, id);
    return doc ? Ok(doc) : Err(notFound);
  });
}

export async function deleteDocument(db: Db, orgId: string, id: string): Promise<Result<null, StoreFailure>> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('documents').select(['id', 'status']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!current) return Err(notFound);
    if (!canDelete(current.status)) return Err({ kind: 'conflict', message: 'only drafts can be deleted; this document was issued' });
    await trx.deleteFrom('documents').where('org_id', '=', orgId).where('id', '=', id).execute();
    return Ok(null);
  });
}
