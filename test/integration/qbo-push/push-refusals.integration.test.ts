import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../helpers/databases.js';
import { ACCOUNTS, CA_TAX_CODES, ISSUE_DATE, line, SANDBOX_CA, SANDBOX_US, US_TAX_CODES, worldsClosedAfterEach, type PushWorld } from './harness.js';

const US_TAX = { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null } as const;

describeEachDatabase('push refusals and troubleshooting cases', (getDb, dialect) => {
  const world = worldsClosedAfterEach(getDb, dialect);

  const calls = (w: PushWorld) => w.emulator.control.api.counters(w.realmId)[w.realmId]?.total ?? 0;

  /** Pushes and expects a failure Workroom found before calling QBO at all. */
  async function refusedBeforeAnyCall(w: PushWorld, documentId: string) {
    w.emulator.control.api.resetCounters();
    const { job, state } = await w.push(documentId);
    expect(job.status).toBe('failed');
    expect(calls(w)).toBe(0);
    expect(w.qbo('Invoice')).toHaveLength(0);
    expect(w.qbo('Estimate')).toHaveLength(0);
    expect(w.qbo('PurchaseOrder')).toHaveLength(0);
    if (state?.error == null) throw new Error('no error recorded');
    return { job, error: state.error };
  }

  it('refuses a draft with "finalize first", and a PO draft with "approve first"', async () => {
    const w = await world({ realmId: SANDBOX_US });
    const clientId = await w.client('Kowalski Loft');
    const vendorId = await w.vendor('Green Leaf Plants');
    await w.map({ defaultIncomeAccountId: ACCOUNTS.services, defaultExpenseAccountId: ACCOUNTS.cogs }, US_TAX);
    const draft = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '10')] }, { draft: true });
    const { job, error } = await refusedBeforeAnyCall(w, draft.id);
    expect(error).toMatchObject({ code: 'draft_document', title: 'Finalize first', message: `Finalize ${draft.number} first: drafts are not pushed to QuickBooks` });
    expect(job.qbo_message).toBe(`Finalize first: Finalize ${draft.number} first: drafts are not pushed to QuickBooks`);
    const poDraft = await w.document({ type: 'purchase_order', vendorId, issueDate: ISSUE_DATE, lines: [line('1', '10')] }, { draft: true });
    expect((await refusedBeforeAnyCall(w, poDraft.id)).error.message).toMatch(/^Approve PO-\d+ first/);
  });

  it('refuses a currency other than the company’s home currency before any call', async () => {
    const w = await world({ realmId: SANDBOX_US });
    const clientId = await w.client('Rivera & Daughters Bakery');
    await w.map({ defaultIncomeAccountId: ACCOUNTS.services }, US_TAX);
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, currency: 'EUR', lines: [line('1', '10')] });
    const { error } = await refusedBeforeAnyCall(w, doc.id);
    expect(error).toMatchObject({ code: 'currency_mismatch', title: 'Currency mismatch' });
    expect(error.message).toContain("is in EUR but the QuickBooks company's home currency is USD");
    expect(w.qbo('Customer').some((c) => c['DisplayName'] === 'Rivera & Daughters Bakery')).toBe(false);
  });

  it('names each missing account: default income, a category, the retainer account and the expense account', async () => {
    const w = await world({ realmId: SANDBOX_US });
    const lighting = await w.category('Lighting');
    const clientId = await w.client('Dana');
    const vendorId = await w.vendor('Stonebridge Rugs');
    await w.map({}, US_TAX);

    const invoice = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '10'), line('2', '20', { categoryId: lighting }), line('3', '30', { categoryId: lighting })] });
    const income = (await refusedBeforeAnyCall(w, invoice.id)).error;
    expect(income.title).toBe('Account not specified for line item');
    expect(income.message).toContain('line 1 (no category) has no income account; set the Default Income Account');
    expect(income.message).toContain('lines 2 and 3 (category "Lighting") have no income account');

    const retainer = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, isRetainer: true, lines: [line('1', '500', { taxable: false })] });
    const deposit = (await refusedBeforeAnyCall(w, retainer.id)).error;
    expect(deposit.title).toBe('Account not specified for line item');
    expect(deposit.message).toContain('Retainer / Deposit Liability account, which is not set');

    const po = await w.document({ type: 'purchase_order', vendorId, issueDate: ISSUE_DATE, lines: [line('1', '10')] });
    const expense = (await refusedBeforeAnyCall(w, po.id)).error;
    expect(expense.title).toBe('Account not specified for line item');
    expect(expense.message).toContain('line 1 of PO-1001 (vendor "Stonebridge Rugs") has no expense account');
  });

  it('names the unpaired tax: the Sales Tax % for a US company, the Workroom tax code for a Canadian one', async () => {
    const us = await world({ realmId: SANDBOX_US });
    const usClient = await us.client('Nguyen Family');
    await us.map({ defaultIncomeAccountId: ACCOUNTS.services }, { kind: 'sales_tax', salesTaxCodeId: null, exemptTaxCodeId: null });
    const taxed = await us.document({ type: 'invoice', clientId: usClient, issueDate: ISSUE_DATE, lines: [line('1', '10', { taxable: true })] });
    const usError = (await refusedBeforeAnyCall(us, taxed.id)).error;
    expect(usError).toMatchObject({ code: 'tax_code_mismatch', title: 'Tax code mismatch' });
    expect(usError.message).toContain('the Sales Tax % is not paired with a QuickBooks tax code');

    const ca = await world({ realmId: SANDBOX_CA, country: 'CA' });
    const on = ca.taxCodes.get('ON HST');
    const bc = ca.taxCodes.get('BC GST+PST');
    if (on === undefined || bc === undefined) throw new Error('presets missing');
    const caClient = await ca.client('Bow River Cabin');
    await ca.map({ defaultIncomeAccountId: ACCOUNTS.services }, { kind: 'tax_codes', codes: { [bc]: CA_TAX_CODES.gstPstBc }, noTaxCodeId: null });
    const doc = await ca.document({ type: 'invoice', clientId: caClient, issueDate: ISSUE_DATE, lines: [line('1', '10', { taxCodeId: bc }), line('1', '10', { taxCodeId: on }), line('1', '5')] });
    const caError = (await refusedBeforeAnyCall(ca, doc.id)).error;
    expect(caError.title).toBe('Tax code mismatch');
    expect(caError.message).toContain('Workroom tax code "ON HST" has no QuickBooks counterpart (line 2)');
    expect(caError.message).toContain('line 3 carries no Workroom tax code');
  });

  it('files QBO’s own refusals under the troubleshooting headings, with QBO’s code and message', async () => {
    const ca = await world({ realmId: SANDBOX_CA, country: 'CA' });
    const on = ca.taxCodes.get('ON HST');
    if (on === undefined) throw new Error('presets missing');
    const clientId = await ca.client('Granville Lofts Ltd.');
    // A QBO tax code id that does not exist in the company (e.g. mapped before the company was changed).
    await ca.map({ defaultIncomeAccountId: ACCOUNTS.services }, { kind: 'tax_codes', codes: { [on]: '99' }, noTaxCodeId: CA_TAX_CODES.exempt });
    const doc = await ca.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '10', { taxCodeId: on })] });
    const { job, state } = await ca.push(doc.id);
    expect(job).toMatchObject({ status: 'failed', qbo_code: 'qbo_invalid_reference' });
    expect(job.qbo_message).toBe('Tax code mismatch: Invalid Reference Id');
    expect(state?.error).toMatchObject({ title: 'Tax code mismatch', qboCode: '2500', message: 'Invalid Reference Id', element: 'Line.SalesItemLineDetail.TaxCodeRef' });
    expect(ca.qbo('Invoice')).toHaveLength(0);

    // A mapped account that is not in the company: the service item cannot be set up.
    const us = await world({ realmId: SANDBOX_US });
    const usClient = await us.client('Lakeside Dental Group');
    await us.map({ defaultIncomeAccountId: '999' }, US_TAX);
    const invoice = await us.document({ type: 'invoice', clientId: usClient, issueDate: ISSUE_DATE, lines: [line('1', '10')] });
    const missing = await us.push(invoice.id);
    expect(missing.job.status).toBe('failed');
    expect(missing.state?.error).toMatchObject({ title: 'Account not specified for line item', code: 'account_not_specified' });
    expect(missing.state?.error?.message).toContain('the mapped QuickBooks account 999 could not be read');
  });

  it('keeps the QBO id of the last good push when a re-push fails, and replaces the requestid after a definite refusal', async () => {
    const w = await world({ realmId: SANDBOX_US });
    const clientId = await w.client('Nguyen Family');
    await w.map({ defaultIncomeAccountId: ACCOUNTS.services }, US_TAX);
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '10')] });
    const good = await w.push(doc.id);
    const edited = await w.edit(doc, { currency: 'CAD' });
    const bad = await w.push(edited.id);
    expect(bad.state).toMatchObject({ status: 'failed', qboId: good.state?.qboId, pushedRevision: doc.revision, error: { code: 'currency_mismatch' } });
    // Nothing reached QBO under the refused job's requestid, so the user's retry gets a fresh one.
    expect(bad.job.request_id).not.toBe(bad.enqueued.request_id);
    expect(good.job.request_id).toBe(good.enqueued.request_id);
  });
});
