/**
 * Disconnect is non-destructive, and remembered QBO ids belong to one company file (help page, "Good to
 * know"): with a real push, a disconnect, another company, and a reconnect to the first one.
 */
import { afterEach, expect, it } from 'vitest';
import { QboIdMap } from '../../../src/qbo/connection/id-map.js';
import { AccountMappingSchema } from '../../../src/qbo/mapping/index.js';
import { enqueuePush } from '../../../src/qbo/sync/job-queue.js';
import { saveMappings } from '../../../src/qbo/sync/mapping-store.js';
import { readPushState } from '../../../src/qbo/sync/push-document.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { ACCOUNTS, createWorld, line, SANDBOX_US, SANDBOX_US_2, US_TAX_CODES, type PushWorld } from '../qbo-push/harness.js';
import { connect } from './harness.js';

describeEachDatabase('disconnect and reconnect with pushed documents', (getDb, dialect) => {
  let world: PushWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('deletes nothing, stops pushes at once, starts another company clean, and gets every id back from the same one', async () => {
    const db = getDb().db;
    const w = (world = await createWorld({ db, dialect, realmId: SANDBOX_US }));
    const tax = { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null } as const;
    await w.map({ defaultIncomeAccountId: ACCOUNTS.designServices }, tax);
    const clientId = await w.client('Harbor & Vine');
    const doc = await w.document({ type: 'invoice', clientId, issueDate: '2026-03-02', lines: [line('1', '400', { taxable: false })] });
    const first = await w.push(doc.id);
    expect(first.state).toMatchObject({ status: 'pushed', operation: 'created' });
    const invoiceId = first.state?.qboId;
    const home = { orgId: w.org.id, realmId: SANDBOX_US };
    const customerId = (await new QboIdMap(db).lookup(home, 'customer', clientId))?.qboId;
    expect(customerId).toBeDefined();

    const { revokedAtIntuit } = await w.service.disconnect(w.org.id);
    expect(revokedAtIntuit).toBe(true);
    // Nothing deleted on either side.
    expect(w.qbo('Invoice').map((i) => i['Id'])).toEqual([invoiceId]);
    expect(await db.selectFrom('documents').select('id').where('id', '=', doc.id).executeTakeFirst()).toBeDefined();
    expect(await readPushState(db, home, doc.id)).toMatchObject({ qboId: invoiceId });
    // New pushes stop at once: the job fails without reaching QBO.
    const callsTo = (realmId: string): number => w.emulator.control.api.counters(realmId)[realmId]?.total ?? 0;
    const callsBefore = callsTo(SANDBOX_US);
    expect(callsBefore).toBeGreaterThan(0);
    const refused = await w.push(doc.id);
    expect(refused.job.status).toBe('failed');
    expect(refused.job.qbo_message).toMatch(/not connected|reconnect/i);
    expect(callsTo(SANDBOX_US)).toBe(callsBefore);

    // Another company file: no remembered id applies there, so the push creates its own records.
    expect((await connect(w.service, w.session, SANDBOX_US_2)).ok).toBe(true);
    const other = { orgId: w.org.id, realmId: SANDBOX_US_2 };
    expect(await readPushState(db, other, doc.id)).toBeNull();
    expect(await new QboIdMap(db).lookup(other, 'customer', clientId)).toBeUndefined();
    await saveMappings(db, { ...other, userId: w.session.userId, accounts: AccountMappingSchema.parse({ defaultIncomeAccountId: ACCOUNTS.designServices }), tax }, w.org.taxModel);
    const { job } = await enqueuePush(db, { ...other, documentId: doc.id, documentType: 'invoice', documentRevision: doc.revision, startedBy: w.session.userId }, new Date());
    await w.worker.runNow([job.id]);
    expect(await readPushState(db, other, doc.id)).toMatchObject({ status: 'pushed', operation: 'created' });
    const elsewhere = w.emulator.control.api.listEntities(SANDBOX_US_2, 'Invoice');
    expect(elsewhere).toHaveLength(1);
    expect(w.emulator.control.api.listEntities(SANDBOX_US_2, 'Customer').filter((c) => c['DisplayName'] === 'Harbor & Vine')).toHaveLength(1);

    // Back to the first company: the same invoice and customer are updated, never duplicated.
    expect((await connect(w.service, w.session, SANDBOX_US)).ok).toBe(true);
    expect(await new QboIdMap(db).lookup(home, 'customer', clientId)).toMatchObject({ qboId: customerId });
    const edited = await w.edit(doc, { lines: [line('2', '400', { taxable: false })] });
    const again = await w.push(edited.id);
    expect(again.state).toMatchObject({ status: 'pushed', operation: 'updated', qboId: invoiceId });
    expect(w.qbo('Invoice')).toHaveLength(1);
    expect(w.qbo('Invoice')[0]).toMatchObject({ Id: invoiceId, TotalAmt: 800 });
    expect(w.qbo('Customer').filter((c) => c['DisplayName'] === 'Harbor & Vine')).toHaveLength(1);
  });
});
