import { expect, it } from 'vitest';
import { deriveRequestId } from '../../../src/qbo/client/index.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { qboUser } from '../qbo-month-end/qbo-user.js';
import { ACCOUNTS, CA_TAX_CODES, ISSUE_DATE, line, SANDBOX_CA, SANDBOX_US, US_TAX_CODES, worldsClosedAfterEach, type PushWorld } from './harness.js';

type Rec = Record<string, unknown>;
const rec = (value: unknown): Rec => value as Rec;
const lines = (doc: Rec): Rec[] => (doc['Line'] as Rec[]).filter((l) => l['DetailType'] !== 'SubTotalLineDetail');
const detail = (l: Rec): Rec => rec(l[String(l['DetailType'])]);
const ref = (value: unknown): string => String(rec(value ?? {})['value']);

describeEachDatabase('push to QuickBooks', (getDb, dialect) => {
  const world = worldsClosedAfterEach(getDb, dialect);

  /** The QBO item a sales line points at, and that item's income account. */
  const itemAccount = (w: PushWorld, l: Rec): string => {
    const item = w.qbo('Item').find((i) => i['Id'] === ref(detail(l)['ItemRef']));
    return ref(item?.['IncomeAccountRef']);
  };

  it('pushes a US invoice: customer from clientInformation.name, one item per income account, TAX/NON and the document tax code', async () => {
    const w = await world({ realmId: SANDBOX_US, salesTaxRate: '8' });
    const furniture = await w.category('Furniture');
    const clientId = await w.client("O'Brien Interiors", {
      fullName: "Siobhan O'Brien",
      email: 'siobhan@obrien.example',
      phone: '(212) 555-0142',
      billingAddress: { line1: '14 Bank St', city: 'New York', region: 'NY', postalCode: '10014', country: 'US' },
    });
    await w.map(
      { defaultIncomeAccountId: ACCOUNTS.designServices, incomeByCategory: { [furniture]: ACCOUNTS.productIncome } },
      { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null },
    );
    const doc = await w.document({
      type: 'invoice',
      clientId,
      issueDate: ISSUE_DATE,
      dueDate: '2026-04-01',
      notes: 'internal: client haggled hard',
      attachments: [{ name: 'quote.pdf', size: 1200, mime: 'application/pdf' }],
      lines: [
        line('2', '125.50', { categoryId: furniture, taxable: true, markupPercent: '35', vendorDiscountPercent: '15', description: 'Linen sofa' }),
        line('1', '80', { taxable: false, description: 'Design consultation' }),
      ],
    });

    const { job, state } = await w.push(doc.id);
    expect(job).toMatchObject({ status: 'pushed', qbo_code: null });

    const [invoice, ...others] = w.qbo('Invoice');
    expect(others).toHaveLength(0);
    expect(invoice).toMatchObject({ DocNumber: doc.number, TxnDate: ISSUE_DATE, DueDate: '2026-04-01', CurrencyRef: { value: 'USD' } });
    expect(ref(rec(rec(invoice)['TxnTaxDetail'])['TxnTaxCodeRef'])).toBe(US_TAX_CODES.california);
    const [sofa, consult] = lines(rec(invoice));
    expect(sofa).toMatchObject({ Amount: 251, Description: 'Linen sofa', SalesItemLineDetail: { Qty: 2, UnitPrice: 125.5, TaxCodeRef: { value: 'TAX' } } });
    expect(consult).toMatchObject({ Amount: 80, SalesItemLineDetail: { Qty: 1, UnitPrice: 80, TaxCodeRef: { value: 'NON' } } });
    expect(itemAccount(w, rec(sofa))).toBe(ACCOUNTS.productIncome);
    expect(itemAccount(w, rec(consult))).toBe(ACCOUNTS.designServices);
    // Markup, vendor discount, internal notes and attachments have no place in what was sent.
    const sent = JSON.stringify(invoice);
    expect(sent).not.toMatch(/haggled|quote\.pdf|markup|Discount|PrivateNote/i);
    expect(Object.keys(rec(sofa))).toEqual(expect.arrayContaining(['Amount', 'DetailType', 'SalesItemLineDetail']));
    expect(Object.keys(detail(rec(sofa))).sort()).toEqual(['ItemRef', 'Qty', 'TaxCodeRef', 'UnitPrice']);

    const customers = w.qbo('Customer').filter((c) => c['DisplayName'] === "O'Brien Interiors");
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({
      PrimaryEmailAddr: { Address: 'siobhan@obrien.example' },
      PrimaryPhone: { FreeFormNumber: '(212) 555-0142' },
      BillAddr: { Line1: '14 Bank St', City: 'New York', CountrySubDivisionCode: 'NY', PostalCode: '10014', Country: 'US' },
    });
    expect(ref(rec(invoice)['CustomerRef'])).toBe(customers[0]?.['Id']);
    expect(w.qbo('Customer').some((c) => c['DisplayName'] === "Siobhan O'Brien")).toBe(false);

    // 251.00 + 80.00 + 8% of 251.00 on both sides.
    expect(state).toMatchObject({
      status: 'pushed',
      qboId: invoice?.['Id'],
      syncToken: '0',
      pushedRevision: doc.revision,
      operation: 'created',
      party: { action: 'created', qboId: customers[0]?.['Id'] },
      totals: { workroomTotal: '351.08', qboTotal: '351.08', difference: '0.00', reason: null, differences: [] },
      error: null,
    });
  });

  it('re-pushes a changed invoice onto the same QBO record, and survives an edit made in QBO meanwhile', async () => {
    const w = await world({ realmId: SANDBOX_US });
    const clientId = await w.client('Nguyen Family');
    await w.map({ defaultIncomeAccountId: ACCOUNTS.services }, { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null });
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '100'), line('3', '20')] });
    const first = await w.push(doc.id);
    expect(first.state?.qboId).toBeTruthy();

    const edited = await w.edit(doc, { lines: [line('2', '100', { description: 'now two' })] });
    const second = await w.push(edited.id);
    expect(second.job.status).toBe('pushed');
    expect(w.qbo('Invoice')).toHaveLength(1);
    expect(second.state).toMatchObject({ qboId: first.state?.qboId, syncToken: '1', pushedRevision: edited.revision, operation: 'updated' });
    expect(lines(rec(w.qbo('Invoice')[0]))).toHaveLength(1);
    expect(lines(rec(w.qbo('Invoice')[0]))[0]).toMatchObject({ Amount: 200, Description: 'now two' });

    // Someone edits the invoice in QBO: our SyncToken is now stale; the push re-reads it and updates once more.
    const client = await w.service.getClientFor(w.org.id);
    if (!client.ok) throw client.error;
    await client.value.update('Invoice', { Id: String(first.state?.qboId), SyncToken: '1', CustomerMemo: { value: 'edited in QBO' } }, {
      requestId: deriveRequestId('test-edit-in-qbo', w.org.id),
    });
    const third = await w.push((await w.edit(edited, { lines: [line('4', '100')] })).id);
    expect(third.job.status).toBe('pushed');
    expect(w.qbo('Invoice')).toHaveLength(1);
    expect(third.state).toMatchObject({ qboId: first.state?.qboId, syncToken: '3', operation: 'updated' });
    expect(rec(w.qbo('Invoice')[0])['TotalAmt']).toBe(432);
  });

  it('creates the document again when its QBO record was deleted there, and updates the new record after that', async () => {
    const w = await world({ realmId: SANDBOX_US });
    const clientId = await w.client('Harbor View Condo');
    const vendorId = await w.vendor('Hudson Furniture Co.');
    await w.map(
      { defaultIncomeAccountId: ACCOUNTS.services, defaultExpenseAccountId: ACCOUNTS.cogs },
      { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null },
    );
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '100', { taxable: false })] });
    const first = await w.push(doc.id);
    const oldId = String(first.state?.qboId);

    // A bookkeeper deletes the invoice in QuickBooks; Workroom then re-pushes an edit.
    const bookkeeper = await qboUser({ db: w.db, dialect, baseUrl: w.emulator.baseUrl, realmId: SANDBOX_US });
    await bookkeeper.remove('Invoice', oldId);
    expect(w.qbo('Invoice')).toHaveLength(0);
    const edited = await w.edit(doc, { lines: [line('3', '100', { taxable: false, description: 'three now' })] });
    const again = await w.push(edited.id);
    expect(again.job).toMatchObject({ status: 'pushed', qbo_code: null });
    const [recreated, ...others] = w.qbo('Invoice');
    expect(others).toHaveLength(0);
    expect(recreated?.['Id']).not.toBe(oldId);
    expect(recreated).toMatchObject({ DocNumber: doc.number, TotalAmt: 300 });
    expect(lines(rec(recreated))[0]).toMatchObject({ Description: 'three now', Amount: 300 });
    expect(again.state).toMatchObject({ status: 'pushed', qboId: recreated?.['Id'], syncToken: '0', operation: 'recreated', pushedRevision: edited.revision, error: null });

    // The new id is remembered: the next re-push updates it in place.
    const third = await w.push((await w.edit(edited, { lines: [line('2', '100', { taxable: false })] })).id);
    expect(third.state).toMatchObject({ qboId: recreated?.['Id'], syncToken: '1', operation: 'updated' });
    expect(w.qbo('Invoice')).toHaveLength(1);

    // The same for a purchase order, re-pushed without any edit.
    const po = await w.document({ type: 'purchase_order', vendorId, issueDate: ISSUE_DATE, lines: [line('1', '40', { taxable: false })] });
    const pushedPo = await w.push(po.id);
    await bookkeeper.remove('PurchaseOrder', String(pushedPo.state?.qboId));
    const rePushed = await w.push(po.id);
    expect(rePushed.state).toMatchObject({ status: 'pushed', operation: 'recreated' });
    expect(w.qbo('PurchaseOrder').map((p) => p['Id'])).toEqual([rePushed.state?.qboId]);
  });

  it('pushes an estimate for a remembered customer without looking it up again', async () => {
    const w = await world({ realmId: SANDBOX_US });
    const clientId = await w.client('Lakeside Dental Group');
    await w.map({ defaultIncomeAccountId: ACCOUNTS.services }, { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null });
    const invoice = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '50', { taxable: false })] });
    await w.push(invoice.id);
    w.emulator.control.api.resetCounters();

    const estimate = await w.document({ type: 'estimate', clientId, issueDate: ISSUE_DATE, expirationDate: '2026-04-15', lines: [line('2', '75.25', { taxable: false })] });
    const { job, state } = await w.push(estimate.id);
    expect(job.status).toBe('pushed');
    expect(state?.party).toMatchObject({ action: 'remembered' });
    // The customer and the item are remembered: the estimate costs exactly one call.
    expect(w.emulator.control.api.counters(w.realmId)[w.realmId]?.byEndpoint).toEqual({ 'POST estimate': 1 });
    const [qboEstimate] = w.qbo('Estimate');
    expect(qboEstimate).toMatchObject({ DocNumber: estimate.number, ExpirationDate: '2026-04-15', TotalAmt: 150.5 });
    expect(ref(rec(qboEstimate)['CustomerRef'])).toBe(state?.party?.qboId);
    expect(w.qbo('Customer').filter((c) => c['DisplayName'] === 'Lakeside Dental Group')).toHaveLength(1);
  });

  it('pushes a purchase order to the vendor override account and records the US purchase-tax difference with its reason', async () => {
    const w = await world({ realmId: SANDBOX_US, salesTaxRate: '8' });
    const hudson = await w.vendor('Hudson Furniture Co.');
    const luminaire = await w.vendor('Luminaire Lighting Supply');
    await w.map(
      { defaultExpenseAccountId: ACCOUNTS.cogs, expenseByVendor: { [luminaire]: ACCOUNTS.purchases } },
      { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null },
    );
    const po = await w.document({
      type: 'purchase_order',
      vendorId: hudson,
      issueDate: ISSUE_DATE,
      expectedDate: '2026-03-20',
      lines: [line('1', '4850', { taxable: true, markupPercent: '35' }), line('8', '689.99', { taxable: false })],
    });
    const po2 = await w.document({ type: 'purchase_order', vendorId: luminaire, issueDate: ISSUE_DATE, lines: [line('3', '612.5', { taxable: false })] });

    const { job, state } = await w.push(po.id);
    expect(job.status).toBe('pushed');
    expect((await w.push(po2.id)).job.status).toBe('pushed');

    const byNumber = new Map(w.qbo('PurchaseOrder').map((p) => [p['DocNumber'], p]));
    const first = rec(byNumber.get(po.number));
    expect(first).toMatchObject({ DueDate: '2026-03-20', CurrencyRef: { value: 'USD' } });
    expect(lines(first).map((l) => [l['Amount'], ref(detail(l)['AccountRef']), ref(detail(l)['TaxCodeRef'])])).toEqual([
      [4850, ACCOUNTS.cogs, 'TAX'],
      [5519.92, ACCOUNTS.cogs, 'NON'],
    ]);
    expect(lines(rec(byNumber.get(po2.number))).map((l) => ref(detail(l)['AccountRef']))).toEqual([ACCOUNTS.purchases]);
    const vendors = w.qbo('Vendor').filter((v) => v['DisplayName'] === 'Hudson Furniture Co.');
    expect(vendors).toHaveLength(1);
    expect(ref(first['VendorRef'])).toBe(vendors[0]?.['Id']);

    // Workroom taxes the PO's taxed line (8% of 4,850.00 = 388.00); QBO computes no tax on US purchase orders.
    expect(state?.totals).toMatchObject({ workroomTotal: '10757.92', qboTotal: '10369.92', difference: '-388.00' });
    expect(state?.totals?.differences.find((d) => d.field === 'tax')?.reason).toContain('does not compute sales tax on US purchase orders');
  });

  it("sends line amounts QBO accepts to the cent, and Workroom's totals are QBO's: no difference stored", async () => {
    const w = await world({ realmId: SANDBOX_US, salesTaxRate: '8' });
    const clientId = await w.client('Cedar Studio');
    await w.map({ defaultIncomeAccountId: ACCOUNTS.services }, { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null });
    // 1.5 × 12.25 = 18.375 on each line: both sides round each line to 18.38 before adding (not 55.125 once).
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [0, 1, 2].map(() => line('1.5', '12.25', { taxable: true })) });
    const { job, state } = await w.push(doc.id);
    expect(job.status).toBe('pushed');
    const [invoice] = w.qbo('Invoice');
    expect(lines(rec(invoice)).map((l) => l['Amount'])).toEqual([18.38, 18.38, 18.38]);
    expect(rec(invoice)).toMatchObject({ TotalAmt: 59.55, TxnTaxDetail: { TotalTax: 4.41 } });
    expect(doc.totals).toMatchObject({ lineAmountsTotal: '55.14', subtotal: '55.14', taxTotal: '4.41', total: '59.55' });
    expect(state?.totals).toEqual({ workroomTotal: '59.55', qboTotal: '59.55', difference: '0.00', reason: null, differences: [] });
  });

  it('posts a retainer invoice to the Retainer / Deposit liability account', async () => {
    const w = await world({ realmId: SANDBOX_US });
    const clientId = await w.client('The Patel Residence');
    await w.map(
      { defaultIncomeAccountId: ACCOUNTS.services, retainerLiabilityAccountId: ACCOUNTS.customerDeposits },
      { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null },
    );
    const retainer = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, isRetainer: true, lines: [line('1', '7500', { taxable: false })] });
    expect((await w.push(retainer.id)).job.status).toBe('pushed');
    const [invoice] = w.qbo('Invoice');
    expect(lines(rec(invoice)).map((l) => itemAccount(w, l))).toEqual([ACCOUNTS.customerDeposits]);
    expect(w.qbo('Item').find((i) => ref(i['IncomeAccountRef']) === ACCOUNTS.customerDeposits)?.['Name']).toBe('Workroom – Customer Deposits');
  });

  it('pushes a Canadian invoice and PO with the real QBO tax code on every line', async () => {
    const w = await world({ realmId: SANDBOX_CA, country: 'CA' });
    const on = w.taxCodes.get('ON HST');
    const bc = w.taxCodes.get('BC GST+PST');
    const exempt = w.taxCodes.get('Exempt');
    if (on === undefined || bc === undefined || exempt === undefined) throw new Error('Canadian presets missing');
    const clientId = await w.client('Beaches Family Dental');
    const vendorId = await w.vendor('West Coast Millwork');
    await w.map(
      { defaultIncomeAccountId: ACCOUNTS.services, defaultExpenseAccountId: ACCOUNTS.cogs },
      { kind: 'tax_codes', codes: { [on]: CA_TAX_CODES.hstOn, [bc]: CA_TAX_CODES.gstPstBc, [exempt]: CA_TAX_CODES.exempt }, noTaxCodeId: CA_TAX_CODES.exempt },
    );
    const invoice = await w.document({
      type: 'invoice',
      clientId,
      issueDate: ISSUE_DATE,
      lines: [line('2', '100', { taxCodeId: on }), line('1', '50', { taxCodeId: bc }), line('1', '30', { taxCodeId: exempt }), line('1', '10')],
    });
    const { state } = await w.push(invoice.id);
    const [qboInvoice] = w.qbo('Invoice');
    expect(qboInvoice).toMatchObject({ CurrencyRef: { value: 'CAD' }, GlobalTaxCalculation: 'TaxExcluded' });
    expect(lines(rec(qboInvoice)).map((l) => ref(detail(l)['TaxCodeRef']))).toEqual([
      CA_TAX_CODES.hstOn,
      CA_TAX_CODES.gstPstBc,
      CA_TAX_CODES.exempt,
      CA_TAX_CODES.exempt,
    ]);
    // HST 13% of 200 = 26.00; GST 5% + PST 7% of 50 = 6.00; total 290.00 + 32.00.
    expect(state?.totals).toMatchObject({ workroomTotal: '322.00', qboTotal: '322.00', difference: '0.00' });

    const po = await w.document({ type: 'purchase_order', vendorId, issueDate: ISSUE_DATE, lines: [line('1', '1000', { taxCodeId: on })] });
    expect((await w.push(po.id)).job.status).toBe('pushed');
    const [qboPo] = w.qbo('PurchaseOrder');
    expect(lines(rec(qboPo)).map((l) => [ref(detail(l)['AccountRef']), ref(detail(l)['TaxCodeRef'])])).toEqual([[ACCOUNTS.cogs, CA_TAX_CODES.hstOn]]);
  });

  it('looks a remembered item up again when it was deactivated in QBO, and repairs it', async () => {
    const w = await world({ realmId: SANDBOX_US });
    const clientId = await w.client('Rivera & Daughters Bakery');
    await w.map({ defaultIncomeAccountId: ACCOUNTS.services }, { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null });
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '40')] });
    await w.push(doc.id);
    const item = w.qbo('Item').find((i) => i['Name'] === 'Workroom – Services');
    const client = await w.service.getClientFor(w.org.id);
    if (!client.ok || item === undefined) throw new Error('setup failed');
    await client.value.update('Item', { Id: String(item['Id']), SyncToken: String(item['SyncToken']), Active: false }, { requestId: deriveRequestId('deactivate-item') });

    const { job, state } = await w.push((await w.edit(doc, { lines: [line('2', '40')] })).id);
    expect(job.status).toBe('pushed');
    expect(state).toMatchObject({ operation: 'updated', totals: { qboTotal: '86.40' } });
    expect(w.qbo('Item').filter((i) => i['Name'] === 'Workroom – Services')).toEqual([expect.objectContaining({ Id: item['Id'], Active: true })]);
    expect(w.qbo('Invoice')).toHaveLength(1);
  });

  it('never makes a second record when QBO committed but the answer was lost', async () => {
    const w = await world({ realmId: SANDBOX_US });
    const clientId = await w.client('Brightwater Hotel Group');
    await w.map({ defaultIncomeAccountId: ACCOUNTS.services }, { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null });
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '999.99')] });
    // Resolve the customer and item first, so the lost answer is the invoice's own.
    const warmup = await w.document({ type: 'estimate', clientId, issueDate: ISSUE_DATE, lines: [line('1', '1')] });
    await w.push(warmup.id);
    w.emulator.control.api.injectFault(w.realmId, { mode: 'commit_then_500' });
    const { job, state } = await w.push(doc.id);
    expect(job.status).toBe('pushed');
    expect(w.qbo('Invoice')).toHaveLength(1);
    expect(state?.qboId).toBe(w.qbo('Invoice')[0]?.['Id']);
    expect(w.emulator.control.api.counters(w.realmId)[w.realmId]?.replays).toBe(1);
  });
});
