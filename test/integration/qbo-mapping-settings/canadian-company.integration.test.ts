import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadMappings } from '../../../src/qbo/sync/mapping-store.js';
import type { QboMappingView } from '../../../src/server/routes/qbo-mapping/contract.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import {
  connectThroughRoutes,
  getGaps,
  getMapping,
  putMapping,
  SANDBOX_CA,
  SANDBOX_US,
  seedStudio,
  startMappingHarness,
  viewOf,
  type MappingHarness,
  type Studio,
} from './harness.js';

describeEachDatabase('account and tax mapping, Canadian company', (getDb, dialect) => {
  let h: MappingHarness;
  let studio: Studio;
  let code: Record<string, string>;

  beforeAll(async () => {
    const { db } = getDb();
    h = await startMappingHarness(db, dialect);
    studio = await seedStudio(h.app, db, 'CA');
    await connectThroughRoutes(h.app, studio.owner, SANDBOX_CA);
    const view = viewOf(await getMapping(h.app, studio.owner));
    code = Object.fromEntries(view.taxCodes.map((c) => [c.name, c.id]));
  });
  afterAll(async () => {
    // Unset when the database could not be created; the real failure is reported by beforeAll.
    if (h !== undefined) await h.close();
  });

  it('lists one row per Workroom tax code and the company tax codes with their combined rates', async () => {
    const view = viewOf(await getMapping(h.app, studio.owner));
    expect(view.company).toMatchObject({ realmId: SANDBOX_CA, country: 'CA', homeCurrency: 'CAD', taxModel: 'global' });
    expect(view.organisation.taxModel).toBe('tax_codes');
    expect(view.taxCodes.map((c) => [c.name, c.rate])).toEqual([
      ['BC GST+PST', '12'],
      ['Exempt', '0'],
      ['GST only', '5'],
      ['ON HST', '13'],
    ]);
    expect(view.choices.taxCodes.map((c) => [c.name, c.rate])).toEqual([
      ['Exempt', '0'],
      ['GST', '5'],
      ['GST/PST BC', '12'],
      ['HST ON', '13'],
      ['Zero-rated', '0'],
    ]);
    expect(view.tax).toEqual({ kind: 'tax_codes', codes: {}, noTaxCodeId: null });
    // Canadian charts have their own tax liabilities, and they are offered for the liability slots.
    expect(view.choices.salesTaxPayable.map((a) => a.name)).toEqual(['Customer Deposits', 'GST/HST Payable', 'PST Payable (BC)']);
    const taxWarnings = view.warnings.filter((w) => w.field.startsWith('codes.') || w.field === 'noTaxCodeId');
    expect(taxWarnings.map((w) => w.field).sort()).toEqual([...Object.values(code).map((id) => `codes.${id}`), 'noTaxCodeId'].sort());
    expect(view.warnings.find((w) => w.field === `codes.${code['ON HST']}`)?.message).toBe(
      'Pushes with lines taxed "ON HST" fail with “Tax code mismatch”.',
    );
    // The Sync Center's notice names each unpaired Workroom tax code from the same warnings.
    const gaps = (await getGaps(h.app, studio.owner)).json<Pick<QboMappingView, 'warnings' | 'taxCodes'>>();
    expect(gaps.warnings).toEqual(view.warnings.filter((w) => w.kind === 'push_fails'));
    expect(gaps.taxCodes).toEqual(view.taxCodes);
  });

  it('refuses a single Sales Tax % mapping, unknown QuickBooks codes, and codes of another organisation', async () => {
    const single = await putMapping(h.app, studio.owner, 'tax', { kind: 'sales_tax', salesTaxCodeId: '6' });
    expect(single.statusCode).toBe(400);
    expect(single.json()).toMatchObject({ field: 'kind', message: 'this organisation uses named tax codes: pair each Workroom tax code with a QuickBooks tax code' });

    const unknown = await putMapping(h.app, studio.owner, 'tax', { kind: 'tax_codes', codes: { [code['ON HST'] ?? '']: '42' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ field: `codes.${code['ON HST']}`, message: 'Workroom tax code "ON HST": tax code 42 is not in QuickBooks' });

    const foreign = await putMapping(h.app, studio.owner, 'tax', { kind: 'tax_codes', codes: { 'someone-elses-code': '6' } });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ field: 'codes.someone-elses-code' });
    expect(viewOf(await getMapping(h.app, studio.owner)).tax).toEqual({ kind: 'tax_codes', codes: {}, noTaxCodeId: null });
  });

  it('pairs every Workroom tax code with a QuickBooks tax code and keeps it', async () => {
    const codes = {
      [code['BC GST+PST'] ?? '']: '7',
      [code['ON HST'] ?? '']: '6',
      [code['GST only'] ?? '']: '5',
      [code['Exempt'] ?? '']: '3',
    };
    const saved = viewOf(await putMapping(h.app, studio.owner, 'tax', { kind: 'tax_codes', codes, noTaxCodeId: '3' }));
    expect(saved.tax).toEqual({ kind: 'tax_codes', codes, noTaxCodeId: '3' });
    expect(saved.warnings.filter((w) => w.field.startsWith('codes.') || w.field === 'noTaxCodeId')).toEqual([]);
    expect((await loadMappings(getDb().db, studio.orgId, SANDBOX_CA, 'tax_codes')).tax).toEqual(saved.tax);

    // A code paired with one of another rate is allowed, but the page says QBO will compute other tax.
    const skewed = viewOf(await putMapping(h.app, studio.owner, 'tax', { kind: 'tax_codes', codes: { ...codes, [code['GST only'] ?? '']: '6' }, noTaxCodeId: '3' }));
    expect(skewed.warnings).toContainEqual({
      kind: 'tax_rate_differs',
      field: `codes.${code['GST only']}`,
      message: '"GST only" is 5% in Workroom but QuickBooks tax code "HST ON" is 13%: QuickBooks will compute a different tax total.',
    });
  });

  it('maps accounts from the Canadian chart, liability accounts only for the retainer', async () => {
    const income = await putMapping(h.app, studio.owner, 'accounts', { retainerLiabilityAccountId: '1' });
    expect(income.json()).toMatchObject({
      field: 'retainerLiabilityAccountId',
      message: 'Retainer / Deposit Liability: "Services" is an Income account; choose a liability account (Other Current Liability or Long Term Liability)',
    });
    const saved = viewOf(
      await putMapping(h.app, studio.owner, 'accounts', {
        defaultIncomeAccountId: '2',
        defaultExpenseAccountId: '5',
        retainerLiabilityAccountId: '14',
        salesTaxPayableAccountId: '15',
      }),
    );
    expect(saved.accounts.salesTaxPayableAccountId).toBe('15');
    expect(saved.warnings.filter((w) => w.kind === 'push_fails' && !w.field.startsWith('codes.'))).toEqual([]);
  });

  it('warns that every push fails when the Canadian studio connects a US company file', async () => {
    await connectThroughRoutes(h.app, studio.owner, SANDBOX_US);
    const view = viewOf(await getMapping(h.app, studio.owner));
    expect(view.company.taxModel).toBe('us');
    expect(view.tax).toEqual({ kind: 'tax_codes', codes: {}, noTaxCodeId: null });
    expect(view.warnings).toContainEqual({
      kind: 'push_fails',
      field: 'kind',
      message:
        'This organisation uses named tax codes, but the connected QuickBooks company is a US company: every push fails with “Tax code mismatch”. Connect the matching company file in Settings → Apps.',
    });
    const gaps = await getGaps(h.app, studio.owner);
    expect(gaps.json<Pick<QboMappingView, 'warnings'>>().warnings).toContainEqual(view.warnings.find((w) => w.field === 'kind'));
    const res = await putMapping(h.app, studio.owner, 'tax', { kind: 'tax_codes', codes: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'kind', message: 'a US QuickBooks company takes one tax code per document, not one per Workroom tax code' });
  });
});
