import { sql } from 'kysely';
import { newId, nowIso } from '../../db/index.js';
import type { ClientsTable } from '../../db/tables/core.js';
import type { Client, Page } from '../model.js';
import type { ClientInput } from '../parties.js';
import { Err, Ok, type Result } from '../result.js';
import { notFound, type StoreFailure } from './failure.js';
import { containsIgnoreCase, pageWindow } from './query.js';
import type { Db } from './types.js';

export interface ListParams {
  page: number;
  pageSize: number;
  q?: string | undefined;
}

function toClient(row: ClientsTable): Client {
  return {
    id: row.id,
    fullName: row.full_name,
    clientInformation: {
      name: row.info_name,
      email: row.email,
      phone: row.phone,
      billingAddress: {
        line1: row.billing_line1,
        city: row.billing_city,
        region: row.billing_region,
        postalCode: row.billing_postal_code,
        country: row.billing_country,
      },
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function columns(input: ClientInput) {
  const info = input.clientInformation;
  return {
    full_name: input.fullName,
    info_name: info.name,
    email: info.email,
    phone: info.phone,
    billing_line1: info.billingAddress.line1,
    billing_city: info.billingAddress.city,
    billing_region: info.billingAddress.region,
    billing_postal_code: info.billingAddress.postalCode,
    billing_country: info.billingAddress.country,
  };
}

export async function listClients(db: Db, orgId: string, params: ListParams): Promise<Page<Client>> {
  let base = db.selectFrom('clients').where('org_id', '=', orgId);
  if (params.q) {
    const q = params.q;
    base = base.where((eb) => eb.or([containsIgnoreCase('info_name', q), containsIgnoreCase('full_name', q), containsIgnoreCase('email', q)]));
  }
  const { n } = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const { limit, offset } = pageWindow(params.page, params.pageSize);
  const rows = await base
    .selectAll()
    .orderBy(sql`lower(info_name)`)
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
  return { items: rows.map(toClient), total: Number(n), page: params.page, pageSize: params.pageSize };
}

export async function getClient(db: Db, orgId: string, id: string): Promise<Client | undefined> {
  return (await getClients(db, orgId, [id])).get(id);
}

/** Several at once, by id (a bulk push reads the parties of 30 documents in one query). */
export async function getClients(db: Db, orgId: string, ids: readonly string[]): Promise<Map<string, Client>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('clients').selectAll().where('org_id', '=', orgId).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((row) => [row.id, toClient(row)]));
}

export async function createClient(db: Db, orgId: string, input: ClientInput): Promise<Client> {
  const now = nowIso();
  const row: ClientsTable = { id: newId(), org_id: orgId, ...columns(input), created_at: now, updated_at: now };
  await db.insertInto('clients').values(row).execute();
  return toClient(row);
}

export async function updateClient(db: Db, orgId: string, id: string, input: ClientInput): Promise<Result<Client, StoreFailure>> {
  const result = await db
    .updateTable('clients')
    .set({ ...columns(input), updated_at: nowIso() })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return Err(notFound);
  const client = await getClient(db, orgId, id);
  return client ? Ok(client) : Err(notFound);
}

export async function deleteClient(db: Db, orgId: string, id: string): Promise<Result<null, StoreFailure>> {
  return db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('clients').select('id').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!exists) return Err(notFound);
    const used = await trx.selectFrom('documents').select('id').where('org_id', '=', orgId).where('client_id', '=', id).executeTakeFirst();
    if (used) return Err({ kind: 'conflict', message: 'the client has documents; it cannot be deleted' });
    await trx.deleteFrom('clients').where('org_id', '=', orgId).where('id', '=', id).execute();
    return Ok(null);
  });
}
