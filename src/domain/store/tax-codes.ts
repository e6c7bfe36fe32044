import { sql } from 'kysely';
import { newId, nowIso } from '../../db/index.js';
import type { TaxCodesTable } from '../../db/tables/core.js';
import type { Page, TaxCodeRecord } from '../model.js';
import { formatDecimal, money } from '../money.js';
import { Err, Ok, type Result } from '../result.js';
import { isTaxableCode, type TaxCodeInput, type TaxComponent } from '../tax.js';
import type { ListParams } from './clients.js';
import { isUniqueViolation, notFound, type StoreFailure } from './failure.js';
import { containsIgnoreCase, pageWindow } from './query.js';
import type { Db, Tx } from './types.js';

const duplicateName: StoreFailure = { kind: 'conflict', field: 'name', message: 'a tax code with this name already exists' };

function toTaxCode(row: TaxCodesTable, components: TaxComponent[]): TaxCodeRecord {
  return {
    id: row.id,
    name: row.name,
    components,
    taxable: isTaxableCode({ components }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function componentsFor(db: Db | Tx, codeIds: string[]): Promise<Map<string, TaxComponent[]>> {
  const out = new Map<string, TaxComponent[]>(codeIds.map((id) => [id, []]));
  if (codeIds.length === 0) return out;
  const rows = await db
    .selectFrom('tax_code_components')
    .select(['tax_code_id', 'name', 'rate'])
    .where('tax_code_id', 'in', codeIds)
    .orderBy('tax_code_id')
    .orderBy('position')
    .execute();
  for (const r of rows) out.get(r.tax_code_id)?.push({ name: r.name, rate: r.rate });
  return out;
}

async function writeComponents(trx: Tx, orgId: string, codeId: string, components: TaxComponent[]): Promise<void> {
  await trx.deleteFrom('tax_code_components').where('tax_code_id', '=', codeId).execute();
  if (components.length === 0) return;
  await trx
    .insertInto('tax_code_components')
    .values(components.map((c, position) => ({ id: newId(), org_id: orgId, tax_code_id: codeId, position, name: c.name, rate: formatDecimal(c.rate) })))
    .execute();
}

/** Used inside a caller's transaction (organisation creation presets). */
export async function insertTaxCode(trx: Tx, orgId: string, input: TaxCodeInput): Promise<TaxCodeRecord> {
  const now = nowIso();
  const row: TaxCodesTable = { id: newId(), org_id: orgId, name: input.name, created_at: now, updated_at: now };
  await trx.insertInto('tax_codes').values(row).execute();
  await writeComponents(trx, orgId, row.id, input.components);
  return toTaxCode(row, input.components.map((c) => ({ name: c.name, rate: formatDecimal(c.rate) })));
}

export async function listTaxCodes(db: Db, orgId: string, params: ListParams): Promise<Page<TaxCodeRecord>> {
  let base = db.selectFrom('tax_codes').where('org_id', '=', orgId);
  if (params.q) base = base.where(containsIgnoreCase('name', params.q));
  const { n } = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const { limit, offset } = pageWindow(params.page, params.pageSize);
  const rows = await base.selectAll().orderBy(sql`lower(name)`).orderBy('id').limit(limit).offset(offset).execute();
  const components = await componentsFor(db, rows.map((r) => r.id));
  return { items: rows.map((r) => toTaxCode(r, components.get(r.id) ?? [])), total: Number(n), page: params.page, pageSize: params.pageSize };
}

/** Every tax code of the org, for computing totals (orgs have a handful). */
export async function allTaxCodes(db: Db | Tx, orgId: string): Promise<TaxCodeRecord[]> {
  const rows = await db.selectFrom('tax_codes').selectAll().where('org_id', '=', orgId).orderBy('name').execute();
  const components = await componentsFor(db, rows.map((r) => r.id));
  return rows.map((r) => toTaxCode(r, components.get(r.id) ?? []));
}

export async function getTaxCode(db: Db | Tx, orgId: string, id: string): Promise<TaxCodeRecord | undefined> {
  const row = await db.selectFrom('tax_codes').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const components = await componentsFor(db, [row.id]);
  return toTaxCode(row, components.get(row.id) ?? []);
}

export async function createTaxCode(db: Db, orgId: string, input: TaxCodeInput): Promise<Result<TaxCodeRecord, StoreFailure>> {
  try {
    return Ok(await db.transaction().execute((trx) => insertTaxCode(trx, orgId, input)));
  } catch (err) {
    if (isUniqueViolation(err)) return Err(duplicateName);
    throw err;
  }
}

function sameComponents(a: TaxComponent[], b: TaxComponent[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i]?.name && money(c.rate).eq(b[i].rate));
}

/**
 * Renaming is always allowed; changing rates is refused once any document line uses the code, so
 * issued documents keep the totals they were issued with. Make a new code for a new rate.
 */
export async function updateTaxCode(db: Db, orgId: string, id: string, input: TaxCodeInput): Promise<Result<TaxCodeRecord, StoreFailure>> {
  try {
    return await db.transaction().execute(async (trx) => {
      const current = await getTaxCode(trx, orgId, id);
      if (!current) return Err(notFound);
      const ratesChanged = !sameComponents(current.components, input.components);
      if (ratesChanged) {
        const used = await trx.selectFrom('document_lines').select('id').where('org_id', '=', orgId).where('tax_code_id', '=', id).executeTakeFirst();
        if (used) return Err({ kind: 'conflict', field: 'components', message: 'documents use this tax code; create a new code for new rates' });
        await writeComponents(trx, orgId, id, input.components);
      }
      await trx.updateTable('tax_codes').set({ name: input.name, updated_at: nowIso() }).where('org_id', '=', orgId).where('id', '=', id).execute();
      const updated = await getTaxCode(trx, orgId, id);
      return updated ? Ok(updated) : Err(notFound);
    });
  } catch (err) {
    if (isUniqueViolation(err)) return Err(duplicateName);
    throw err;
  }
}

export async function deleteTaxCode(db: Db, orgId: string, id: string): Promise<Result<null, StoreFailure>> {
  return db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('tax_codes').select('id').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!exists) return Err(notFound);
    const used = await trx.selectFrom('document_lines').select('id').where('org_id', '=', orgId).where('tax_code_id', '=', id).executeTakeFirst();
    if (used) return Err({ kind: 'conflict', message: 'document lines use this tax code; it cannot be deleted' });
    await trx.deleteFrom('tax_codes').where('org_id', '=', orgId).where('id', '=', id).execute();
    return Ok(null);
  });
}
