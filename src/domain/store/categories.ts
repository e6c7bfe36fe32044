import { sql } from 'kysely';
import { newId, nowIso } from '../../db/index.js';
import type { CategoriesTable } from '../../db/tables/core.js';
import type { Category, Page } from '../model.js';
import type { CategoryInput } from '../parties.js';
import { Err, Ok, type Result } from '../result.js';
import type { ListParams } from './clients.js';
import { isUniqueViolation, notFound, type StoreFailure } from './failure.js';
import { containsIgnoreCase, pageWindow } from './query.js';
import type { Db } from './types.js';

const duplicateName: StoreFailure = { kind: 'conflict', field: 'name', message: 'a category with this name already exists' };

function toCategory(row: CategoriesTable): Category {
  return { id: row.id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at };
}

export async function listCategories(db: Db, orgId: string, params: ListParams): Promise<Page<Category>> {
  let base = db.selectFrom('categories').where('org_id', '=', orgId);
  if (params.q) base = base.where(containsIgnoreCase('name', params.q));
  const { n } = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const { limit, offset } = pageWindow(params.page, params.pageSize);
  const rows = await base.selectAll().orderBy(sql`lower(name)`).orderBy('id').limit(limit).offset(offset).execute();
  return { items: rows.map(toCategory), total: Number(n), page: params.page, pageSize: params.pageSize };
}

export async function getCategory(db: Db, orgId: string, id: string): Promise<Category | undefined> {
  const row = await db.selectFrom('categories').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return row && toCategory(row);
}

export async function createCategory(db: Db, orgId: string, input: CategoryInput): Promise<Result<Category, StoreFailure>> {
  const now = nowIso();
  const row: CategoriesTable = { id: newId(), org_id: orgId, name: input.name, created_at: now, updated_at: now };
  try {
    await db.insertInto('categories').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) return Err(duplicateName);
    throw err;
  }
  return Ok(toCategory(row));
}

export async function updateCategory(db: Db, orgId: string, id: string, input: CategoryInput): Promise<Result<Category, StoreFailure>> {
  try {
    const result = await db
      .updateTable('categories')
      .set({ name: input.name, updated_at: nowIso() })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return Err(notFound);
  } catch (err) {
    if (isUniqueViolation(err)) return Err(duplicateName);
    throw err;
  }
  const category = await getCategory(db, orgId, id);
  return category ? Ok(category) : Err(notFound);
}

export async function deleteCategory(db: Db, orgId: string, id: string): Promise<Result<null, StoreFailure>> {
  return db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('categories').select('id').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!exists) return Err(notFound);
    const used = await trx.selectFrom('document_lines').select('id').where('org_id', '=', orgId).where('category_id', '=', id).executeTakeFirst();
    if (used) return Err({ kind: 'conflict', message: 'document lines use this category; it cannot be deleted' });
    await trx.deleteFrom('categories').where('org_id', '=', orgId).where('id', '=', id).execute();
    return Ok(null);
  });
}
