import { sql } from 'kysely';
import { newId, nowIso } from '../../db/index.js';
import type { VendorsTable } from '../../db/tables/core.js';
import type { Page, Vendor } from '../model.js';
import type { VendorInput } from '../parties.js';
import { Err, Ok, type Result } from '../result.js';
import type { ListParams } from './clients.js';
import { notFound, type StoreFailure } from './failure.js';
import { containsIgnoreCase, pageWindow } from './query.js';
import type { Db } from './types.js';

function toVendor(row: VendorsTable): Vendor {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    address: {
      line1: row.address_line1,
      city: row.address_city,
      region: row.address_region,
      postalCode: row.address_postal_code,
      country: row.address_country,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function columns(input: VendorInput) {
  return {
    name: input.name,
    email: input.email,
    phone: input.phone,
    address_line1: input.address.line1,
    address_city: input.address.city,
    address_region: input.address.region,
    address_postal_code: input.address.postalCode,
    address_country: input.address.country,
  };
}

export async function listVendors(db: Db, orgId: string, params: ListParams): Promise<Page<Vendor>> {
  let base = db.selectFrom('vendors').where('org_id', '=', orgId);
  if (params.q) {
    const q = params.q;
    base = base.where((eb) => eb.or([containsIgnoreCase('name', q), containsIgnoreCase('email', q)]));
  }
  const { n } = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const { limit, offset } = pageWindow(params.page, params.pageSize);
  const rows = await base.selectAll().orderBy(sql`lower(name)`).orderBy('id').limit(limit).offset(offset).execute();
  return { items: rows.map(toVendor), total: Number(n), page: params.page, pageSize: params.pageSize };
}

export async function getVendor(db: Db, orgId: string, id: string): Promise<Vendor | undefined> {
  return (await getVendors(db, orgId, [id])).get(id);
}

/** Several at once, by id (a bulk push reads the parties of 30 documents in one query). */
export async function getVendors(db: Db, orgId: string, ids: readonly string[]): Promise<Map<string, Vendor>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('vendors').selectAll().where('org_id', '=', orgId).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((row) => [row.id, toVendor(row)]));
}

export async function createVendor(db: Db, orgId: string, input: VendorInput): Promise<Vendor> {
  const now = nowIso();
  const row: VendorsTable = { id: newId(), org_id: orgId, ...columns(input), created_at: now, updated_at: now };
  await db.insertInto('vendors').values(row).execute();
  return toVendor(row);
}

export async function updateVendor(db: Db, orgId: string, id: string, input: VendorInput): Promise<Result<Vendor, StoreFailure>> {
  const result = await db
    .updateTable('vendors')
    .set({ ...columns(input), updated_at: nowIso() })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return Err(notFound);
  const vendor = await getVendor(db, orgId, id);
  return vendor ? Ok(vendor) : Err(notFound);
}

export async function deleteVendor(db: Db, orgId: string, id: string): Promise<Result<null, StoreFailure>> {
  return db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('vendors').select('id').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!exists) return Err(notFound);
    const used = await trx.selectFrom('documents').select('id').where('org_id', '=', orgId).where('vendor_id', '=', id).executeTakeFirst();
    if (used) return Err({ kind: 'conflict', message: 'the vendor has purchase orders; it cannot be deleted' });
    await trx.deleteFrom('vendors').where('org_id', '=', orgId).where('id', '=', id).execute();
    return Ok(null);
  });
}
