import { expect, it } from 'vitest';
import { readAhead, readAsNeeded } from '../../../src/qbo/sync/push-reads.js';
import { SERVICE_ITEM_ENTITY } from '../../../src/qbo/sync/item-resolver.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { ACCOUNTS, ISSUE_DATE, line as taxedLine, SANDBOX_CA, SANDBOX_US, worldsClosedAfterEach } from '../qbo-push/harness.js';

/** Untaxed unless told: the US studio here has no tax mapping. */
const line = (quantity: string, rate: string, extra: Record<string, unknown> = {}) => taxedLine(quantity, rate, { taxable: false, ...extra });

describeEachDatabase('reading a batch of pushes ahead', (getDb, dialect) => {
  const newWorld = worldsClosedAfterEach(getDb, dialect);
  const world = (realmId: string, country: 'US' | 'CA' = 'US') => newWorld({ realmId, country });

  it('answers every fact exactly as reading one document at a time does, for a whole batch at once', async () => {
    const w = await world(SANDBOX_US);
    await w.map({ defaultIncomeAccountId: ACCOUNTS.designServices, defaultExpenseAccountId: ACCOUNTS.purchases });
    const pushedClient = await w.client('Harbor Lofts');
    const newClient = await w.client('Maple & Finch');
    const vendorId = await w.vendor('Lumen Supply');
    const furniture = await w.category('Furniture');
    const pushed = await w.document({ type: 'invoice', clientId: pushedClient, issueDate: ISSUE_DATE, lines: [line('2', '99.995'), line('1', '10', { categoryId: furniture })] });
    expect((await w.push(pushed.id)).job.status).toBe('pushed');
    const docs = [
      pushed,
      await w.document({ type: 'invoice', clientId: newClient, issueDate: ISSUE_DATE, lines: [line('3', '12.345'), line('1', '5')] }),
      await w.document({ type: 'estimate', clientId: pushedClient, issueDate: ISSUE_DATE, lines: [line('1', '40')] }),
      await w.document({ type: 'purchase_order', vendorId, issueDate: ISSUE_DATE, lines: [line('4', '7.25')] }),
    ];
    const scope = { orgId: w.org.id, realmId: w.realmId };
    const ids = docs.map((d) => d.id);
    const ahead = await readAhead(w.db, w.org, scope, ids);
    const oneByOne = readAsNeeded(w.db, w.org, scope);

    for (const id of ids) {
      expect(await ahead.document(id)).toEqual(await oneByOne.document(id));
      expect(await ahead.pushRow(id)).toEqual(await oneByOne.pushRow(id));
    }
    expect((await ahead.document(pushed.id))?.totals).toEqual(pushed.totals);
    expect(await ahead.pushRow(pushed.id)).toMatchObject({ status: 'pushed', qbo_id: w.qbo('Invoice')[0]?.['Id'] });
    expect(await ahead.pushRow(docs[1]!.id)).toBeUndefined();
    expect(await ahead.names()).toEqual(await oneByOne.names());
    expect((await ahead.names()).categoryNames?.get(furniture)).toBe('Furniture');
    for (const clientId of [pushedClient, newClient]) expect(await ahead.client(clientId)).toEqual(await oneByOne.client(clientId));
    expect(await ahead.vendor(vendorId)).toEqual(await oneByOne.vendor(vendorId));

    // Only what QBO already has is remembered; the rest is left for party and item resolution to look up.
    const customer = w.qbo('Customer').find((c) => c['DisplayName'] === 'Harbor Lofts');
    expect(ahead.rememberedParty('customer', pushedClient)).toEqual({ qboId: customer?.['Id'], syncToken: customer?.['SyncToken'] });
    expect(ahead.rememberedParty('customer', newClient)).toBeUndefined();
    expect(ahead.rememberedParty('vendor', vendorId)).toBeUndefined();
    const item = await w.db.selectFrom('qbo_id_map').selectAll().where('org_id', '=', w.org.id).where('entity_type', '=', SERVICE_ITEM_ENTITY).executeTakeFirstOrThrow();
    expect(ahead.rememberedItems().get(ACCOUNTS.designServices)).toEqual({ qboId: item.qbo_id, syncToken: item.sync_token });
    expect(oneByOne.rememberedParty('customer', pushedClient)).toBeUndefined();
  });

  it('reads Canadian documents with their tax codes, and never another studio’s records', async () => {
    const ca = await world(SANDBOX_CA, 'CA');
    const other = await world(SANDBOX_US);
    const clientId = await ca.client('Rideau Interiors');
    const hst = ca.taxCodes.get('ON HST');
    const doc = await ca.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('2', '100', { taxCodeId: hst })] });
    const foreignClient = await other.client('Harbor Lofts');
    const foreign = await other.document({ type: 'invoice', clientId: foreignClient, issueDate: ISSUE_DATE, lines: [line('1', '10')] });

    const ahead = await readAhead(ca.db, ca.org, { orgId: ca.org.id, realmId: ca.realmId }, [doc.id, foreign.id]);
    expect(await ahead.document(doc.id)).toEqual(doc);
    expect(doc.totals.taxTotal).toBe('26.00');
    expect((await ahead.document(doc.id))?.totals.taxTotal).toBe(doc.totals.taxTotal);
    expect(await ahead.document(foreign.id)).toBeUndefined();
    expect(await ahead.client(foreignClient)).toBeUndefined();
    expect(await ahead.pushRow(foreign.id)).toBeUndefined();
  });
});
