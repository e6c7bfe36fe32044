/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- QBO response JSON is asserted by value. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CA, PROD, US, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.app.close();
});

const line = (amount: number, qty: number, price: number, tax = 'NON') => ({
  Amount: amount,
  DetailType: 'SalesItemLineDetail',
  SalesItemLineDetail: { ItemRef: { value: '2' }, Qty: qty, UnitPrice: price, TaxCodeRef: { value: tax } },
});

describe('entity CRUD with SyncToken', () => {
  it('creates, reads, sparse-updates, fully updates and rejects a stale SyncToken with 5010', async () => {
    const created = await h.call('POST', US, 'customer?minorversion=75', { DisplayName: 'Hollis Interiors', PrimaryEmailAddr: { Address: 'a@h.test' } });
    expect(created.statusCode).toBe(200);
    expect(created.headers['intuit_tid']).toMatch(/^1-[0-9a-f]+-[0-9a-f]{24}$/);
    const customer = created.json().Customer;
    expect(customer).toMatchObject({ SyncToken: '0', domain: 'QBO', DisplayName: 'Hollis Interiors' });
    expect(customer.MetaData.CreateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[-+]\d{2}:\d{2}$/);
    expect(created.json().time).toMatch(/\.\d{3}[-+]\d{2}:\d{2}$/);

    const read = await h.call('GET', US, `customer/${customer.Id}`);
    expect(read.json().Customer.DisplayName).toBe('Hollis Interiors');

    h.clock.advance(60_000);
    const sparse = await h.call('POST', US, 'customer', { Id: customer.Id, SyncToken: '0', sparse: true, CompanyName: 'Hollis LLC' });
    expect(sparse.json().Customer).toMatchObject({ SyncToken: '1', CompanyName: 'Hollis LLC', PrimaryEmailAddr: { Address: 'a@h.test' } });
    expect(sparse.json().Customer.MetaData.LastUpdatedTime).not.toBe(customer.MetaData.LastUpdatedTime);

    const full = await h.call('POST', US, 'customer?operation=update', { Id: customer.Id, SyncToken: '1', DisplayName: 'Hollis Interiors' });
    expect(full.json().Customer.SyncToken).toBe('2');
    expect(full.json().Customer.PrimaryEmailAddr).toBeUndefined();

    const stale = await h.call('POST', US, 'customer', { Id: customer.Id, SyncToken: '1', sparse: true, CompanyName: 'x' });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().Fault).toMatchObject({ type: 'ValidationFault', Error: [{ code: '5010', Message: 'Stale Object Error' }] });

    const missing = await h.call('GET', US, 'invoice/9999');
    expect(missing.json().Fault.Error[0].code).toBe('610');
  });

  it('keeps DisplayName unique across Customer, Vendor and Employee, case-insensitively (6240)', async () => {
    const vendor = await h.call('POST', US, 'vendor', { DisplayName: 'emily platt' });
    expect(vendor.statusCode).toBe(400);
    expect(vendor.json().Fault.Error[0]).toEqual({
      Message: 'Duplicate Name Exists Error',
      Detail: 'The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.',
      code: '6240',
      element: '',
    });
    expect((await h.call('POST', US, 'vendor', { DisplayName: 'Swatch Supply' })).statusCode).toBe(200);
    expect((await h.call('POST', US, 'customer', { DisplayName: 'SWATCH SUPPLY' })).json().Fault.Error[0].code).toBe('6240');
  });

  it('creates, deletes and voids invoices; deletes estimates and purchase orders', async () => {
    const inv = (await h.call('POST', US, 'invoice', { CustomerRef: { value: '1' }, Line: [line(250, 2, 125)] })).json().Invoice;
    expect(inv).toMatchObject({ TotalAmt: 250, Balance: 250, DocNumber: '1001' });
    const voided = await h.call('POST', US, 'invoice?operation=update&include=void', { Id: inv.Id, SyncToken: inv.SyncToken });
    expect(voided.json().Invoice).toMatchObject({ TotalAmt: 0, Balance: 0, SyncToken: '1', PrivateNote: 'Voided' });
    const deleted = await h.call('POST', US, 'invoice?operation=delete', { Id: inv.Id, SyncToken: '1' });
    expect(deleted.json().Invoice).toEqual({ status: 'Deleted', domain: 'QBO', Id: inv.Id });
    expect((await h.call('GET', US, `invoice/${inv.Id}`)).json().Fault.Error[0].code).toBe('610');

    const est = (await h.call('POST', US, 'estimate', { CustomerRef: { value: '2' }, Line: [line(125, 1, 125)] })).json().Estimate;
    expect(est.TxnStatus).toBe('Pending');
    expect((await h.call('POST', US, 'estimate?operation=delete', { Id: est.Id, SyncToken: '0' })).json().Estimate.status).toBe('Deleted');

    const po = (
      await h.call('POST', US, 'purchaseorder', {
        VendorRef: { value: '3' },
        Line: [{ Amount: 30, DetailType: 'ItemBasedExpenseLineDetail', ItemBasedExpenseLineDetail: { ItemRef: { value: '4' }, Qty: 3, UnitPrice: 10 } }],
      })
    ).json().PurchaseOrder;
    expect(po.APAccountRef.value).toBe('11');
    expect((await h.call('POST', US, 'purchaseorder?operation=delete', { Id: po.Id, SyncToken: '0' })).json().PurchaseOrder.status).toBe('Deleted');
  });

  it('updates invoices, estimates and purchase orders in place: sparse and full, recomputing totals, refusing a stale SyncToken', async () => {
    const inv = (await h.call('POST', US, 'invoice', { CustomerRef: { value: '1' }, Line: [line(250, 2, 125)] })).json().Invoice;
    const sparse = (await h.call('POST', US, 'invoice', { Id: inv.Id, SyncToken: '0', sparse: true, DueDate: '2026-12-31', PrivateNote: 'rush' })).json<{
      Invoice: { Line: { DetailType: string }[] };
    }>().Invoice;
    expect(sparse).toMatchObject({ Id: inv.Id, SyncToken: '1', DueDate: '2026-12-31', PrivateNote: 'rush', TotalAmt: 250, DocNumber: inv.DocNumber });
    // The computed subtotal line is replaced, not kept alongside a new one.
    expect(sparse.Line.filter((l) => l.DetailType === 'SubTotalLineDetail')).toHaveLength(1);

    const full = (await h.call('POST', US, 'invoice?operation=update', { Id: inv.Id, SyncToken: '1', CustomerRef: { value: '1' }, Line: [line(90, 3, 30), line(10, 1, 10)] }))
      .json().Invoice;
    expect(full).toMatchObject({ SyncToken: '2', TotalAmt: 100, Balance: 100, DocNumber: inv.DocNumber });
    expect(full.PrivateNote).toBeUndefined();
    expect((await h.call('GET', US, `invoice/${inv.Id}`)).json().Invoice.TotalAmt).toBe(100);

    const wrongAmount = await h.call('POST', US, 'invoice', { Id: inv.Id, SyncToken: '2', sparse: true, Line: [line(91, 3, 30)] });
    expect(wrongAmount.json().Fault.Error[0].code).toBe('6070');
    expect((await h.call('GET', US, `invoice/${inv.Id}`)).json().Invoice.SyncToken).toBe('2');

    const est = (await h.call('POST', US, 'estimate', { CustomerRef: { value: '2' }, Line: [line(125, 1, 125)] })).json().Estimate;
    const estFull = (await h.call('POST', US, 'estimate', { Id: est.Id, SyncToken: '0', CustomerRef: { value: '2' }, Line: [line(250, 2, 125)] })).json().Estimate;
    expect(estFull).toMatchObject({ SyncToken: '1', TotalAmt: 250 });
    const estStale = await h.call('POST', US, 'estimate', { Id: est.Id, SyncToken: '0', CustomerRef: { value: '2' }, Line: [line(125, 1, 125)] });
    expect(estStale.json().Fault.Error[0].code).toBe('5010');

    const poLine = (qty: number) => ({ Amount: qty * 10, DetailType: 'ItemBasedExpenseLineDetail', ItemBasedExpenseLineDetail: { ItemRef: { value: '4' }, Qty: qty, UnitPrice: 10 } });
    const po = (await h.call('POST', US, 'purchaseorder', { VendorRef: { value: '3' }, Line: [poLine(3)] })).json().PurchaseOrder;
    const poSparse = (await h.call('POST', US, 'purchaseorder', { Id: po.Id, SyncToken: '0', sparse: true, Line: [poLine(5)] })).json().PurchaseOrder;
    expect(poSparse).toMatchObject({ SyncToken: '1', TotalAmt: 50, APAccountRef: po.APAccountRef });
    expect((await h.call('POST', US, 'purchaseorder', { Id: po.Id, SyncToken: '0', sparse: true, Memo: 'x' })).json().Fault.Error[0].code).toBe('5010');
    expect((await h.call('POST', US, 'purchaseorder', { Id: po.Id, sparse: true, Memo: 'x' })).json().Fault.Error[0]).toMatchObject({ code: '2020', element: 'SyncToken' });
  });

  it('creates and updates items and accounts, with their own name and reference rules', async () => {
    const account = (await h.call('POST', US, 'account', { Name: 'Window Treatments Income', AccountType: 'Income' })).json().Account;
    expect(account).toMatchObject({ SyncToken: '0', AccountType: 'Income', Classification: 'Revenue' });
    expect((await h.call('POST', US, 'account', { Name: 'window treatments income', AccountType: 'Income' })).json().Fault.Error[0].code).toBe('6240');
    expect((await h.call('POST', US, 'account', { Name: 'No Type' })).json().Fault.Error[0].code).toBe('6010');

    const item = (await h.call('POST', US, 'item', { Name: 'Drapery', Type: 'Service', IncomeAccountRef: { value: account.Id } })).json().Item;
    expect(item).toMatchObject({ SyncToken: '0', Type: 'Service', IncomeAccountRef: { value: account.Id } });
    expect((await h.call('POST', US, 'item', { Name: 'Orphan', Type: 'Service' })).json().Fault.Error[0]).toMatchObject({ code: '2020', element: 'IncomeAccountRef' });
    expect((await h.call('POST', US, 'item', { Name: 'Ghost', Type: 'Service', IncomeAccountRef: { value: '9999' } })).json().Fault.Error[0].code).toBe('2500');

    const renamed = (await h.call('POST', US, 'item', { Id: item.Id, SyncToken: '0', sparse: true, Name: 'Drapery & Blinds' })).json().Item;
    expect(renamed).toMatchObject({ SyncToken: '1', Name: 'Drapery & Blinds', IncomeAccountRef: { value: account.Id } });
    const invoice = (await h.call('POST', US, 'invoice', { CustomerRef: { value: '1' }, Line: [{ ...line(40, 2, 20), SalesItemLineDetail: { ItemRef: { value: item.Id }, Qty: 2, UnitPrice: 20 } }] })).json();
    expect(invoice.Invoice.TotalAmt).toBe(40);
  });

  it('serves CompanyInfo and Preferences and lets Preferences be updated', async () => {
    const info = (await h.call('GET', CA, `companyinfo/${CA}`)).json().CompanyInfo;
    expect(info).toMatchObject({ CompanyName: 'Sandbox Company_CA_1', Country: 'CA' });
    const prefs = (await h.call('GET', CA, 'preferences')).json().Preferences;
    expect(prefs.CurrencyPrefs).toEqual({ MultiCurrencyEnabled: false, HomeCurrency: { value: 'CAD' } });
    const updated = await h.call('POST', CA, 'preferences', { SyncToken: prefs.SyncToken, sparse: true, SalesFormsPrefs: { CustomTxnNumbers: true } });
    expect(updated.json().Preferences.SalesFormsPrefs).toMatchObject({ CustomTxnNumbers: true, AllowEstimates: true });
  });
});

describe('authentication and environments', () => {
  it('answers 401 AuthenticationFailed (3200) without a valid token', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/sandbox-quickbooks/v3/company/${US}/customer/1`, headers: { authorization: 'Bearer expired' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().fault.error[0]).toMatchObject({ code: '3200', message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401' });
    const none = await h.app.inject({ method: 'GET', url: `/sandbox-quickbooks/v3/company/${US}/customer/1` });
    expect(none.statusCode).toBe(401);
  });

  it('refuses a sandbox realm under the production prefix, and the reverse, with 403 3100', async () => {
    const wrong = await h.call('GET', US, `companyinfo/${US}`, undefined, 'production');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().fault.error[0]).toMatchObject({ code: '3100', message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403' });
    expect((await h.call('GET', PROD, `companyinfo/${PROD}`, undefined, 'sandbox')).statusCode).toBe(403);
    expect((await h.call('GET', PROD, `companyinfo/${PROD}`, undefined, 'production')).statusCode).toBe(200);
    // A realm under the wrong host answers exactly like a realm that does not exist there: that is the probe.
    const unknown = await h.call('GET', '1234567890123', 'companyinfo/1234567890123', undefined, 'production');
    const withoutTime = (res: typeof wrong) => ({ ...res.json<Record<string, unknown>>(), time: 0 });
    expect(unknown.statusCode).toBe(403);
    expect(withoutTime(unknown)).toEqual(withoutTime(wrong));
  });
});
