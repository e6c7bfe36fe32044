import type { Kysely } from 'kysely';
import { newId, nowIso, type Database } from '../../../src/db/index.js';

/** A bare organisation row: what the QBO tables hang off. */
export async function seedOrganisation(db: Kysely<Database>, overrides: { country?: string; homeCurrency?: string } = {}): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('organisations')
    .values({
      id,
      name: `Studio ${id.slice(0, 6)}`,
      country: overrides.country ?? 'US',
      home_currency: overrides.homeCurrency ?? 'USD',
      sales_tax_rate: '8.25',
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}
