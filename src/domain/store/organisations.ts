import type { Selectable } from 'kysely';
import { newId, nowIso } from '../../db/index.js';
import type { OrganisationsTable, UsersTable } from '../../db/tables/core.js';
import type { Organisation, User } from '../model.js';
import type { OrganisationUpdate, Role } from '../organisation.js';
import { Err, Ok, type Result } from '../result.js';
import { CANADIAN_TAX_CODE_PRESETS, taxModelForCountry } from '../tax.js';
import { isUniqueViolation, notFound, type StoreFailure } from './failure.js';
import { insertTaxCode } from './tax-codes.js';
import type { Db } from './types.js';

export function toOrganisation(row: OrganisationsTable): Organisation {
  return {
    id: row.id,
    name: row.name,
    country: row.country,
    homeCurrency: row.home_currency,
    salesTaxRate: row.sales_tax_rate,
    taxModel: taxModelForCountry(row.country),
  };
}

export function toUser(row: Pick<UsersTable, 'id' | 'email' | 'role'>): User {
  return { id: row.id, email: row.email, role: row.role };
}

export interface NewOrganisation {
  name: string;
  country: string;
  homeCurrency: string;
  salesTaxRate?: string;
}

/** A Canadian organisation starts with the usual named tax codes so documents can be taxed at once. */
export async function createOrganisation(db: Db, input: NewOrganisation): Promise<Organisation> {
  const now = nowIso();
  const row: OrganisationsTable = {
    id: newId(),
    name: input.name,
    country: input.country.toUpperCase(),
    home_currency: input.homeCurrency.toUpperCase(),
    sales_tax_rate: input.salesTaxRate ?? '0',
    created_at: now,
    updated_at: now,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('organisations').values(row).execute();
    if (taxModelForCountry(row.country) === 'tax_codes') {
      for (const preset of CANADIAN_TAX_CODE_PRESETS) await insertTaxCode(trx, row.id, preset);
    }
  });
  return toOrganisation(row);
}

export async function getOrganisation(db: Db, orgId: string): Promise<Organisation | undefined> {
  const row = await db.selectFrom('organisations').selectAll().where('id', '=', orgId).executeTakeFirst();
  return row && toOrganisation(row);
}

export async function updateOrganisation(db: Db, orgId: string, input: OrganisationUpdate): Promise<Organisation | undefined> {
  await db
    .updateTable('organisations')
    .set({ name: input.name, sales_tax_rate: input.salesTaxRate, updated_at: nowIso() })
    .where('id', '=', orgId)
    .execute();
  return getOrganisation(db, orgId);
}

export async function countOrganisations(db: Db): Promise<number> {
  const row = await db.selectFrom('organisations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NewUser {
  orgId: string;
  email: string;
  passwordHash: string;
  role: Role;
}

/**
 * A login is unique across organisations. Adding again someone whose access was removed from this studio gives it
 * back (with the new password and role) on the same row, so their history stays theirs.
 */
export async function createUser(db: Db, input: NewUser): Promise<Result<User, StoreFailure>> {
  const email = normaliseEmail(input.email);
  const row = { id: newId(), org_id: input.orgId, email, password_hash: input.passwordHash, role: input.role, created_at: nowIso() };
  try {
    await db.insertInto('users').values(row).execute();
    return Ok(toUser(row));
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const back = await db
    .updateTable('users')
    .set({ password_hash: input.passwordHash, role: input.role, removed_at: null })
    .where('email', '=', email)
    .where('org_id', '=', input.orgId)
    .where('removed_at', 'is not', null)
    .returning(['id', 'email', 'role'])
    .executeTakeFirst();
  return back ? Ok(toUser(back)) : Err({ kind: 'conflict', field: 'email', message: 'a user with this email already exists' });
}

/** Not one's own role: an owner who could demote themselves could leave the studio without any owner. */
export async function setUserRole(db: Db, orgId: string, userId: string, role: Role, actingUserId: string): Promise<Result<User, StoreFailure>> {
  if (userId === actingUserId) return Err({ kind: 'conflict', message: 'you cannot change your own role; another owner can' });
  const updated = await db
    .updateTable('users')
    .set({ role })
    .where('id', '=', userId)
    .where('org_id', '=', orgId)
    .where('removed_at', 'is', null)
    .returning(['id', 'email', 'role'])
    .executeTakeFirst();
  return updated ? Ok(toUser(updated)) : Err(notFound);
}

/** Ends a user's access: no more log-ins, every session closed; the row stays for the history. */
export async function removeUser(db: Db, orgId: string, userId: string, actingUserId: string): Promise<Result<null, StoreFailure>> {
  if (userId === actingUserId) return Err({ kind: 'conflict', message: 'you cannot remove yourself; another owner can' });
  return db.transaction().execute(async (trx) => {
    const removed = await trx
      .updateTable('users')
      .set({ removed_at: nowIso() })
      .where('id', '=', userId)
      .where('org_id', '=', orgId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (Number(removed.numUpdatedRows) === 0) return Err(notFound);
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    return Ok(null);
  });
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: Db, email: string): Promise<Selectable<UsersTable> | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
}

/** The stored password hash of a user, for checking a password they type again. */
export async function passwordHashOf(db: Db, userId: string): Promise<string | undefined> {
  return (await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst())?.password_hash;
}

export async function setPasswordHash(db: Db, userId: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

export async function listUsers(db: Db, orgId: string): Promise<User[]> {
  const rows = await db.selectFrom('users').select(['id', 'email', 'role']).where('org_id', '=', orgId).where('removed_at', 'is', null).orderBy('email').execute();
  return rows.map(toUser);
}
