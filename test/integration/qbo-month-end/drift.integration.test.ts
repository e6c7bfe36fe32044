import { expect, it } from 'vitest';
import { claimJobs, requeueFailedJobs } from '../../../src/qbo/sync/job-queue.js';
import { dismissalsFor } from '../../../src/qbo/sync/dismiss.js';
import type { DriftKind } from '../../../src/qbo/sync/drift.js';
import { DriftService, type DriftReportView } from '../../../src/qbo/sync/drift-service.js';
import { PartyLinkService } from '../../../src/qbo/sync/month-end-links.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { ACCOUNTS, ISSUE_DATE, line, SANDBOX_US, US_TAX_CODES, worldsClosedAfterEach, type PushWorld } from '../qbo-push/harness.js';
import { qboUser } from './qbo-user.js';

const rowsOf = (report: DriftReportView, kind: DriftKind) => report.rows.filter((r) => r.kind === kind);

describeEachDatabase('month-end: drift report', (getDb, dialect) => {
  const newWorld = worldsClosedAfterEach(getDb, dialect);
  const world = () => newWorld({ realmId: SANDBOX_US });
  const mapAll = (w: PushWorld) =>
    w.map(
      { defaultIncomeAccountId: ACCOUNTS.designServices, defaultExpenseAccountId: ACCOUNTS.cogs },
      { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null },
    );
  const report = async (drift: DriftService, orgId: string): Promise<DriftReportView> => {
    const result = await drift.report(orgId);
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  };

  it('lists edits, deletions and voids made in QuickBooks, Workroom edits, unpushed documents and renamed customers; re-push clears them', async () => {
    const w = await world();
    const user = await qboUser({ db: w.db, dialect, baseUrl: w.emulator.baseUrl, realmId: SANDBOX_US });
    await mapAll(w);
    const clientId = await w.client('Smith LLC');
    const vendorId = await w.vendor('Fabric Co');
    const invoice = (n: string) => w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, dueDate: '2026-04-01', lines: [line('2', n)] });
    const [edited, deleted, voided, touched] = [await invoice('100'), await invoice('200'), await invoice('300'), await invoice('400')];
    const estimate = await w.document({ type: 'estimate', clientId, issueDate: ISSUE_DATE, lines: [line('1', '50')] });
    const po = await w.document({ type: 'purchase_order', vendorId, issueDate: ISSUE_DATE, lines: [line('3', '10')] });
    for (const doc of [edited, deleted, voided, touched, estimate, po]) expect((await w.push(doc.id)).job.status).toBe('pushed');
    const unpushed = await invoice('500');
    await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '1')] }, { draft: true });

    // Chunks of two ids: the four invoices travel as two queries inside one batch call.
    const drift = new DriftService({ db: w.db, qbo: w.service, worker: w.worker, chunkSize: 2 });
    const clean = await report(drift, w.org.id);
    expect(clean.rows.map((r) => [r.kind, r.label])).toEqual([['not_pushed', unpushed.number]]);
    expect(clean.checked).toEqual({ pushedDocuments: 6, issuedDocuments: 7, parties: 2 });

    const qboId = async (documentId: string) =>
      (await w.db.selectFrom('document_pushes').select('qbo_id').where('document_id', '=', documentId).executeTakeFirstOrThrow()).qbo_id ?? '';
    await user.editTransaction('Invoice', await qboId(edited.id), '2026-03-09');
    await user.remove('Invoice', await qboId(deleted.id));
    await user.voidInvoice(await qboId(voided.id));
    const customerId = String(w.qbo('Customer').find((c) => c['DisplayName'] === 'Smith LLC')?.['Id']);
    await user.rename('Customer', customerId, 'Smith Interiors LLC');
    await w.edit(touched, { lines: [line('2', '450')] });

    const callsBefore = w.emulator.control.api.counters(SANDBOX_US)[SANDBOX_US]?.total ?? 0;
    const drifted = await report(drift, w.org.id);
    const callsAfter = w.emulator.control.api.counters(SANDBOX_US)[SANDBOX_US]?.total ?? 0;
    // One batch for the invoices, one query each for the estimate, the PO, the customer and the vendor.
    expect(callsAfter - callsBefore).toBe(5);

    expect(rowsOf(drifted, 'changed_in_qbo')).toEqual([
      expect.objectContaining({
        subjectId: edited.id,
        label: edited.number,
        canRepush: true,
        differences: [
          { field: 'Total', workroom: '216.00', qbo: '324.00' },
          { field: 'Date', workroom: ISSUE_DATE, qbo: '2026-03-09' },
        ],
      }),
    ]);
    expect(rowsOf(drifted, 'changed_in_qbo')[0]?.qboUrl).toContain(await qboId(edited.id));
    expect(rowsOf(drifted, 'deleted_in_qbo')).toEqual([expect.objectContaining({ subjectId: deleted.id, qboUrl: null, differences: [{ field: 'Record', workroom: `Invoice ${deleted.number}`, qbo: 'deleted' }] })]);
    expect(rowsOf(drifted, 'voided_in_qbo')).toEqual([expect.objectContaining({ subjectId: voided.id, differences: [{ field: 'Total', workroom: '648.00', qbo: '0.00 (voided)' }] })]);
    expect(rowsOf(drifted, 'edited_in_workroom')).toEqual([
      expect.objectContaining({
        subjectId: touched.id,
        differences: [
          { field: 'Revision', workroom: String(touched.revision + 1), qbo: String(touched.revision) },
          { field: 'Total', workroom: '972.00', qbo: '864.00' },
        ],
      }),
    ]);
    expect(rowsOf(drifted, 'not_pushed').map((r) => r.subjectId)).toEqual([unpushed.id]);
    expect(rowsOf(drifted, 'party_renamed_in_qbo')).toEqual([
      expect.objectContaining({ subjectType: 'client', subjectId: clientId, canRepush: false, differences: [{ field: 'Name', workroom: 'Smith LLC', qbo: 'Smith Interiors LLC' }] }),
    ]);
    expect(drifted.counts).toMatchObject({ changed_in_qbo: 1, deleted_in_qbo: 1, voided_in_qbo: 1, edited_in_workroom: 1, not_pushed: 1, party_renamed_in_qbo: 1 });

    // Re-push puts Workroom's version back over the QBO edit and sends the Workroom edit and the missing invoice.
    const repushed = await drift.repush(w.org.id, w.session.userId, [edited.id, touched.id, unpushed.id]);
    expect(repushed.ok && repushed.value.results.map((r) => r.status)).toEqual(['pushed', 'pushed', 'pushed']);
    const after = await report(drift, w.org.id);
    expect(after.rows.map((r) => r.kind).sort()).toEqual(['deleted_in_qbo', 'party_renamed_in_qbo', 'voided_in_qbo']);
    const restored = w.qbo('Invoice').find((i) => i['Id'] === (rowsOf(drifted, 'changed_in_qbo')[0]?.qboId ?? ''));
    expect(restored).toMatchObject({ TxnDate: ISSUE_DATE, TotalAmt: 216 });
  });

  it('reports QuickBooks failures as such, not as an empty report', async () => {
    const w = await world();
    await mapAll(w);
    const clientId = await w.client('Fault Studio');
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '10')] });
    expect((await w.push(doc.id)).job.status).toBe('pushed');
    w.emulator.control.api.injectFault(SANDBOX_US, { mode: 'http500', count: 20 });
    const drift = new DriftService({ db: w.db, qbo: w.service });
    const failed = await drift.report(w.org.id);
    w.emulator.control.api.clearFaults(SANDBOX_US);
    expect(failed.ok).toBe(false);
    expect(failed.ok ? null : failed.error.kind).toBe('qbo');
    await w.service.disconnect(w.org.id);
    expect(await drift.report(w.org.id)).toMatchObject({ ok: false, error: { kind: 'conflict', message: 'QuickBooks is not connected.' } });
  });

  it('dismisses a failed push with a reason; it is never retried by itself and returns after an edit', async () => {
    const w = await world();
    const clientId = await w.client('Unmapped Studio');
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '10')] });
    const { job } = await w.push(doc.id);
    expect(job.status).toBe('failed');

    const drift = new DriftService({ db: w.db, qbo: w.service, worker: w.worker });
    const before = await report(drift, w.org.id);
    const row = rowsOf(before, 'not_pushed')[0];
    expect(row).toMatchObject({ subjectId: doc.id, failedJobId: job.id });
    expect(row?.note).toBeTruthy();

    expect(await drift.dismiss(w.org.id, w.session.userId, job.id, '   ')).toMatchObject({ ok: false, error: { kind: 'invalid', field: 'reason' } });
    const other = await world();
    expect(await new DriftService({ db: other.db, qbo: other.service }).dismiss(other.org.id, other.session.userId, job.id, 'not mine')).toMatchObject({
      ok: false,
      error: { kind: 'not_found' },
    });

    const dismissed = await drift.dismiss(w.org.id, w.session.userId, job.id, 'Fixed by hand in QuickBooks');
    expect(dismissed).toMatchObject({ ok: true, value: { jobId: job.id, reason: 'Fixed by hand in QuickBooks', dismissedBy: w.session.userId, documentRevision: doc.revision } });
    expect(await drift.dismiss(w.org.id, w.session.userId, job.id, 'again')).toMatchObject({ ok: false, error: { kind: 'conflict', message: 'This push was already dismissed.' } });

    const history = await dismissalsFor(w.db, w.org.id, [job.id]);
    expect(history.get(job.id)).toMatchObject({ reason: 'Fixed by hand in QuickBooks', dismissedByEmail: `${w.session.userId}@example.test` });
    const stored = await w.db.selectFrom('push_jobs').select('status').where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(stored.status).toBe('dismissed');

    // Never by itself: no worker claims it and "retry all failed" leaves it alone.
    expect(await requeueFailedJobs(w.db, w.org.id, 'all', new Date())).toEqual([]);
    const claimed = await claimJobs(w.db, dialect, { workerId: 'probe', limit: 50, leaseMs: 1000, now: new Date(Date.now() + 86_400_000) });
    expect(claimed.map((j) => j.id)).not.toContain(job.id);
    expect(rowsOf(await report(drift, w.org.id), 'not_pushed')).toEqual([]);

    // A later edit makes the document pushable again.
    await w.edit(doc, { notes: 'edited after the dismissal' });
    expect(rowsOf(await report(drift, w.org.id), 'not_pushed')).toEqual([expect.objectContaining({ subjectId: doc.id, failedJobId: null })]);
  });

  it('only dismisses failed pushes', async () => {
    const w = await world();
    await mapAll(w);
    const clientId = await w.client('Fine Studio');
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '10')] });
    const { job } = await w.push(doc.id);
    const drift = new DriftService({ db: w.db, qbo: w.service });
    expect(await drift.dismiss(w.org.id, w.session.userId, job.id, 'why not')).toMatchObject({
      ok: false,
      error: { kind: 'conflict', message: 'Only a failed push can be dismissed; this one is pushed.' },
    });
  });

  it('tells a rename in QuickBooks from a link made by hand to a differently named record', async () => {
    const w = await world();
    const user = await qboUser({ db: w.db, dialect, baseUrl: w.emulator.baseUrl, realmId: SANDBOX_US });
    const clientId = await w.client('Smith LLC');
    const customer = String((await user.createCustomer('Smith, LLC'))['Id']);
    const links = new PartyLinkService({ db: w.db, qbo: w.service });
    const linked = await links.link(w.org.id, 'clients', clientId, customer, w.session.userId);
    expect(linked.ok && linked.value.link).toMatchObject({ displayName: 'Smith, LLC', linkedByEmail: `${w.session.userId}@example.test` });
    const drift = new DriftService({ db: w.db, qbo: w.service });
    expect((await report(drift, w.org.id)).rows).toEqual([]);

    // The bookkeeper edits another field: the record moved on, but its name is still the linked one.
    const current = await user.read('Customer', customer);
    await user.call('POST', 'customer', { Id: customer, SyncToken: current['SyncToken'], PrimaryEmailAddr: { Address: 'ap@smith.example' }, sparse: true });
    expect((await report(drift, w.org.id)).rows).toEqual([]);

    await user.rename('Customer', customer, 'Smith Holdings');
    expect((await report(drift, w.org.id)).rows).toEqual([
      expect.objectContaining({ kind: 'party_renamed_in_qbo', subjectId: clientId, differences: [{ field: 'Name', workroom: 'Smith LLC', qbo: 'Smith Holdings' }] }),
    ]);
    // Made inactive: pushes referencing it would fail, so it is drift too.
    const renamed = await user.read('Customer', customer);
    await user.call('POST', 'customer', { Id: customer, SyncToken: renamed['SyncToken'], Active: false, sparse: true });
    expect((await report(drift, w.org.id)).rows.map((r) => r.kind)).toEqual(['party_inactive_in_qbo']);
  });
});
