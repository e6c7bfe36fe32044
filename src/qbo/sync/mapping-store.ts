import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { nowIso } from '../../db/ids.js';
import type { TaxModel } from '../../domain/tax.js';
import { AccountMappingSchema, EMPTY_ACCOUNT_MAPPING, TaxMappingSchema, type AccountMapping, type TaxMapping } from '../mapping/index.js';

/** The mapping a push needs for one company file. */
export interface MappingSet {
  accounts: AccountMapping;
  tax: TaxMapping;
}

export function emptyTaxMapping(model: TaxModel): TaxMapping {
  return TaxMappingSchema.parse({ kind: model });
}

function parseStored<T>(text: string, parse: (value: unknown) => { success: true; data: T } | { success: false }, fallback: T): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fallback;
  }
  const parsed = parse(value);
  return parsed.success ? parsed.data : fallback;
}

/**
 * The saved mapping for (org, realm), or an empty one. A stored tax mapping of the other model (the
 * organisation changed country) reads as empty rather than half-applying codes that no longer fit.
 */
export async function loadMappings(db: Kysely<Database>, orgId: string, realmId: string, taxModel: TaxModel): Promise<MappingSet> {
  const row = await db
    .selectFrom('qbo_mappings')
    .select(['account_mapping', 'tax_mapping'])
    .where('org_id', '=', orgId)
    .where('realm_id', '=', realmId)
    .executeTakeFirst();
  const emptyTax = emptyTaxMapping(taxModel);
  if (!row) return { accounts: EMPTY_ACCOUNT_MAPPING, tax: emptyTax };
  const tax = parseStored(row.tax_mapping, (v) => TaxMappingSchema.safeParse(v), emptyTax);
  return {
    accounts: parseStored(row.account_mapping, (v) => AccountMappingSchema.safeParse(v), EMPTY_ACCOUNT_MAPPING),
    tax: tax.kind === taxModel ? tax : emptyTax,
  };
}

export interface SaveMappings {
  orgId: string;
  realmId: string;
  userId: string | null;
  accounts?: AccountMapping;
  tax?: TaxMapping;
}

/** Upserts whichever half is given; callers validate against the live chart of accounts first. */
export async function saveMappings(db: Kysely<Database>, input: SaveMappings, taxModel: TaxModel): Promise<MappingSet> {
  const current = await loadMappings(db, input.orgId, input.realmId, taxModel);
  const next: MappingSet = { accounts: input.accounts ?? current.accounts, tax: input.tax ?? current.tax };
  const values = {
    account_mapping: JSON.stringify(AccountMappingSchema.parse(next.accounts)),
    tax_mapping: JSON.stringify(TaxMappingSchema.parse(next.tax)),
    updated_by: input.userId,
    updated_at: nowIso(),
  };
  await db
    .insertInto('qbo_mappings')
    .values({ org_id: input.orgId, realm_id: input.realmId, ...values })
    .onConflict((oc) => oc.columns(['org_id', 'realm_id']).doUpdateSet(values))
    .execute();
  return next;
}
