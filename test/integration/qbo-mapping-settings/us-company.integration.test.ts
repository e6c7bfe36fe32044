import { afterAll, beforeAll, expect, it } from 'vitest';
import { deriveRequestId } from '../../../src/qbo/client/index.js';
import { loadMappings } from '../../../src/qbo/sync/mapping-store.js';
import type { QboMappingView } from '../../../src/server/routes/qbo-mapping/contract.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import {
  connectThroughRoutes,
  getGaps,
  getMapping,
  insertCategory,
  insertVendor,
  putMapping,
  qboCalls,
  SANDBOX_US,
  SANDBOX_US_2,
  seedStudio,
  startMappingHarness,
  viewOf,
  type MappingHarness,
  type Studio,
} from './harness.js';

const ids = (choices: readonly { id: string }[]) => choices.map((c) => c.id);
const getGapsFields = (res: { statusCode: number; json: <T>() => T; body: string }) => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Pick<QboMappingView, 'warnings'>>().warnings.map((w) => w.field);
};

describeEachDatabase('account and tax mapping, US company', (getDb, dialect) => {
  let h: MappingHarness;
  let studio: Studio;
  let furniture: string;
  let lighting: string;
  let fabricHouse: string;

  beforeAll(async () => {
    const { db } = getDb();
    h = await startMappingHarness(db, dialect);
    studio = await seedStudio(h.app, db, 'US');
    furniture = await insertCategory(db, studio.orgId, 'Furniture');
    lighting = await insertCategory(db, studio.orgId, 'Lighting');
    fabricHouse = await insertVendor(db, studio.orgId, 'Fabric House');
  });
  afterAll(async () => {
    // Unset when the database could not be created; the real failure is reported by beforeAll.
    if (h !== undefined) await h.close();
  });

  it('refuses to show a mapping before QuickBooks is connected', async () => {
    const res = await getMapping(h.app, studio.owner);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'conflict', message: 'QuickBooks is not connected. Connect it in Settings → Apps to map accounts and tax codes.' });
  });

  it('offers the live chart of accounts filtered by slot type, and the company tax codes with their rates', async () => {
    await connectThroughRoutes(h.app, studio.owner, SANDBOX_US);
    const view = viewOf(await getMapping(h.app, studio.owner));
    expect(view.company).toMatchObject({ realmId: SANDBOX_US, name: 'Sandbox Company_US_1', taxModel: 'us' });
    expect(view.organisation).toEqual({ country: 'US', taxModel: 'sales_tax', salesTaxRate: '8.25' });
    expect(view.categories.map((c) => c.name)).toEqual(['Furniture', 'Lighting']);
    expect(view.vendors.map((v) => v.name)).toEqual(['Fabric House']);

    // Income: Income and Other Income only; the sub-account shows under its parent's name.
    expect(view.choices.income.map((a) => a.fullName)).toEqual([
      'Interest Earned',
      'Other Income',
      'Sales of Product Income',
      'Services',
      'Services:Design Services',
    ]);
    expect(view.choices.expense.map((a) => a.name).sort()).toEqual(
      ['Advertising', 'Cost of Goods Sold', 'Miscellaneous', 'Office Supplies & Software', 'Purchases', 'Rent & Lease'].sort(),
    );
    // Liability slots: no income, no bank, not even Accounts Payable.
    expect(view.choices.retainer.map((a) => a.name)).toEqual(['Customer Deposits', 'Sales Tax Payable']);
    expect(view.choices.salesTaxPayable.map((a) => a.name)).toEqual(['Customer Deposits', 'Sales Tax Payable']);
    expect(view.choices.taxCodes).toEqual([
      { id: '2', name: 'California', description: 'California sales tax', rate: '8' },
      { id: '3', name: 'Tucson', description: 'Tucson combined rate', rate: '8.2' },
    ]);

    expect(view.accounts).toEqual({
      defaultIncomeAccountId: null,
      incomeByCategory: {},
      defaultExpenseAccountId: null,
      expenseByVendor: {},
      retainerLiabilityAccountId: null,
      salesTaxPayableAccountId: null,
    });
    expect(view.tax).toEqual({ kind: 'sales_tax', salesTaxCodeId: null, exemptTaxCodeId: null });
    expect(view.problems).toEqual([]);
    const failing = view.warnings.filter((w) => w.kind === 'push_fails').map((w) => w.field);
    // A US company needs no code for untaxed lines, and nothing fails for want of Sales Tax Payable.
    expect(failing).toEqual(['defaultIncomeAccountId', 'defaultExpenseAccountId', 'retainerLiabilityAccountId', 'salesTaxCodeId']);
    expect(view.warnings.find((w) => w.field === 'defaultIncomeAccountId')?.message).toContain('Account not specified for line item');
    expect(view.warnings.find((w) => w.field === 'salesTaxCodeId')?.message).toContain('Tax code mismatch');
  });

  it('tells the Sync Center which empty slots fail pushes, as the page does, without calling QuickBooks', async () => {
    const before = qboCalls(h, SANDBOX_US);
    const res = await getGaps(h.app, studio.member);
    expect(res.statusCode, res.body).toBe(200);
    const gaps = res.json<Pick<QboMappingView, 'warnings' | 'categories'>>();
    expect(gaps.warnings).toEqual(viewOf(await getMapping(h.app, studio.owner)).warnings.filter((w) => w.kind === 'push_fails'));
    expect(gaps.warnings.map((w) => w.field)).toEqual(['defaultIncomeAccountId', 'defaultExpenseAccountId', 'retainerLiabilityAccountId', 'salesTaxCodeId']);
    expect(gaps.categories.map((c) => c.name)).toEqual(['Furniture', 'Lighting']);
    // Only the mapping page's own read reached QuickBooks.
    const afterPage = qboCalls(h, SANDBOX_US);
    expect(afterPage).toBeGreaterThan(before);
    await getGaps(h.app, studio.owner);
    expect(qboCalls(h, SANDBOX_US)).toBe(afterPage);
  });

  it('refuses an account of the wrong type, naming the slot and the account, and saves nothing', async () => {
    const res = await putMapping(h.app, studio.owner, 'accounts', {
      defaultIncomeAccountId: '3',
      retainerLiabilityAccountId: '3',
    });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: string; field: string; message: string; errors: { path: string; message: string }[] }>();
    expect(body.error).toBe('invalid_body');
    expect(body.field).toBe('retainerLiabilityAccountId');
    expect(body.message).toBe(
      'Retainer / Deposit Liability: "Sales of Product Income" is an Income account; choose a liability account (Other Current Liability or Long Term Liability)',
    );
    expect(body.errors.map((e) => e.path)).toEqual(['retainerLiabilityAccountId']);

    const expense = await putMapping(h.app, studio.owner, 'accounts', { defaultExpenseAccountId: '13' });
    expect(expense.json()).toMatchObject({
      field: 'defaultExpenseAccountId',
      message: 'Default Expense Account: "Checking" is a Bank account; choose an expense account (Cost of Goods Sold, Expense or Other Expense)',
    });
    expect(viewOf(await getMapping(h.app, studio.owner)).accounts.defaultIncomeAccountId).toBeNull();
  });

  it('refuses unknown and inactive accounts and overrides for categories or vendors the studio does not have', async () => {
    const unknown = await putMapping(h.app, studio.owner, 'accounts', { defaultIncomeAccountId: '999' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      field: 'defaultIncomeAccountId',
      message: 'Default Income Account: account 999 is not in the QuickBooks chart of accounts',
    });

    const client = await h.connections.getClientFor(studio.orgId);
    if (!client.ok) throw client.error;
    const old = await client.value.create('Account', { Name: `Old Lighting Income ${dialect}`, AccountType: 'Income' }, { requestId: deriveRequestId('old', dialect) });
    await client.value.update(
      'Account',
      { Id: old.Id, SyncToken: old.SyncToken, Active: false, sparse: true },
      { requestId: deriveRequestId('old-off', dialect), sparse: true },
    );
    const inactive = await putMapping(h.app, studio.owner, 'accounts', { defaultIncomeAccountId: '1', incomeByCategory: { [lighting]: old.Id } });
    expect(inactive.statusCode).toBe(400);
    expect(inactive.json()).toMatchObject({
      field: `incomeByCategory.${lighting}`,
      message: `Income account for category "Lighting": "Old Lighting Income ${dialect}" is inactive in QuickBooks`,
    });
    const view = viewOf(await getMapping(h.app, studio.owner));
    expect(ids(view.choices.income)).not.toContain(old.Id);

    const stranger = await putMapping(h.app, studio.owner, 'accounts', { expenseByVendor: { 'no-such-vendor': '5' } });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json()).toMatchObject({ field: 'expenseByVendor.no-such-vendor', message: 'Vendor no-such-vendor does not exist in this organisation' });

    const blank = await putMapping(h.app, studio.owner, 'accounts', { defaultIncomeAccountId: '' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({ error: 'invalid_body', field: 'defaultIncomeAccountId' });
  });

  it('saves a valid account mapping for this company file, where the push engine reads it', async () => {
    const mapping = {
      defaultIncomeAccountId: '2',
      incomeByCategory: { [furniture]: '3' },
      defaultExpenseAccountId: '5',
      expenseByVendor: { [fabricHouse]: '6' },
      retainerLiabilityAccountId: '14',
      salesTaxPayableAccountId: '15',
    };
    const saved = viewOf(await putMapping(h.app, studio.owner, 'accounts', mapping));
    expect(saved.accounts).toEqual(mapping);
    expect(saved.warnings.map((w) => w.field)).toEqual(['salesTaxCodeId']);
    expect(getGapsFields(await getGaps(h.app, studio.owner))).toEqual(['salesTaxCodeId']);

    const reloaded = viewOf(await getMapping(h.app, studio.owner));
    expect(reloaded.accounts).toEqual(mapping);
    const stored = await loadMappings(getDb().db, studio.orgId, SANDBOX_US, 'sales_tax');
    expect(stored.accounts).toEqual(mapping);
  });

  it('pairs the Sales Tax % with one QuickBooks tax code and says when the rates differ', async () => {
    const wrongModel = await putMapping(h.app, studio.owner, 'tax', { kind: 'tax_codes', codes: {} });
    expect(wrongModel.statusCode).toBe(400);
    expect(wrongModel.json()).toMatchObject({ field: 'kind', message: 'this organisation uses one Sales Tax %: pair it with a single QuickBooks tax code' });

    const unknown = await putMapping(h.app, studio.owner, 'tax', { kind: 'sales_tax', salesTaxCodeId: '99' });
    expect(unknown.json()).toMatchObject({ field: 'salesTaxCodeId', message: 'Sales Tax %: tax code 99 is not in QuickBooks' });

    const saved = viewOf(await putMapping(h.app, studio.owner, 'tax', { kind: 'sales_tax', salesTaxCodeId: '2' }));
    expect(saved.tax).toEqual({ kind: 'sales_tax', salesTaxCodeId: '2', exemptTaxCodeId: null });
    expect(saved.warnings).toEqual([
      {
        kind: 'tax_rate_differs',
        field: 'salesTaxCodeId',
        message: 'The Sales Tax % is 8.25% in Workroom but QuickBooks tax code "California" is 8%: QuickBooks will compute a different tax total.',
      },
    ]);
    // Saving the tax half leaves the account half as it was.
    expect(saved.accounts.defaultIncomeAccountId).toBe('2');
    expect((await loadMappings(getDb().db, studio.orgId, SANDBOX_US, 'sales_tax')).tax).toEqual(saved.tax);
  });

  it('lets members look but only owners change the mapping', async () => {
    expect(viewOf(await getMapping(h.app, studio.member)).accounts.defaultIncomeAccountId).toBe('2');
    const res = await putMapping(h.app, studio.member, 'accounts', {});
    expect(res.statusCode).toBe(403);
    expect(viewOf(await getMapping(h.app, studio.owner)).accounts.defaultIncomeAccountId).toBe('2');
  });

  it('shows a saved account that QuickBooks has since made inactive as a problem', async () => {
    const client = await h.connections.getClientFor(studio.orgId);
    if (!client.ok) throw client.error;
    const customerDeposits = await client.value.read('Account', '14');
    await client.value.update(
      'Account',
      { Id: '14', SyncToken: customerDeposits.SyncToken, Active: false, sparse: true },
      { requestId: deriveRequestId('deposits-off', dialect), sparse: true },
    );
    const view = viewOf(await getMapping(h.app, studio.owner));
    expect(view.problems).toEqual([
      { field: 'retainerLiabilityAccountId', message: 'Retainer / Deposit Liability: "Customer Deposits" is inactive in QuickBooks' },
    ]);
    expect(ids(view.choices.retainer)).toEqual(['15']);
  });

  it('keeps the mapping per company file: another company starts unmapped, and coming back restores it', async () => {
    await connectThroughRoutes(h.app, studio.owner, SANDBOX_US_2);
    const other = viewOf(await getMapping(h.app, studio.owner));
    expect(other.company.realmId).toBe(SANDBOX_US_2);
    expect(other.accounts.defaultIncomeAccountId).toBeNull();
    expect(other.tax).toEqual({ kind: 'sales_tax', salesTaxCodeId: null, exemptTaxCodeId: null });

    await connectThroughRoutes(h.app, studio.owner, SANDBOX_US);
    const back = viewOf(await getMapping(h.app, studio.owner));
    expect(back.accounts.defaultIncomeAccountId).toBe('2');
    expect(back.tax.kind === 'sales_tax' && back.tax.salesTaxCodeId).toBe('2');
  });

  it('says QuickBooks needs reconnecting when Intuit has revoked the grant, and after a disconnect that it is not connected', async () => {
    h.emulator.tokens.revokeRealm(SANDBOX_US);
    h.emulator.clock.advance(3600_000 + 1000);
    const res = await getMapping(h.app, studio.owner);
    expect(res.statusCode).toBe(409);
    expect(res.json<{ message: string }>().message).toMatch(/Reconnect to continue/);
    // The gaps are Workroom's own records: still known while the connection waits for a reconnect.
    expect(getGapsFields(await getGaps(h.app, studio.owner))).toEqual([]);
    const save = await putMapping(h.app, studio.owner, 'accounts', {});
    expect(save.statusCode).toBe(409);
    expect((await loadMappings(getDb().db, studio.orgId, SANDBOX_US, 'sales_tax')).accounts.defaultIncomeAccountId).toBe('2');

    const off = await h.app.inject({ method: 'POST', url: '/api/qbo/disconnect', headers: { cookie: studio.owner } });
    expect(off.statusCode).toBe(200);
    const after = await getMapping(h.app, studio.owner);
    expect(after.statusCode).toBe(409);
    expect(after.json<{ message: string }>().message).toContain('QuickBooks is not connected');
    expect((await getGaps(h.app, studio.owner)).statusCode).toBe(409);
  });
});
