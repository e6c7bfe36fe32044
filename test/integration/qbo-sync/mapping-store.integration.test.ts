import { expect, it } from 'vitest';
import { loadMappings, saveMappings } from '../../../src/qbo/sync/mapping-store.js';
import { describeEachDatabase } from '../../helpers/databases.js';

const realm = '9130350000000001';

describeEachDatabase('QBO mapping store', (getDb) => {
  it('reads an unmapped company file as empty, of the organisation’s tax model', async () => {
    const { db } = getDb();
    const us = await loadMappings(db, 'org-empty', realm, 'sales_tax');
    expect(us.accounts.defaultIncomeAccountId).toBeNull();
    expect(us.tax).toEqual({ kind: 'sales_tax', salesTaxCodeId: null, exemptTaxCodeId: null });
    expect((await loadMappings(db, 'org-empty', realm, 'tax_codes')).tax.kind).toBe('tax_codes');
  });

  it('saves each half separately and keys everything by realm', async () => {
    const { db } = getDb();
    await saveMappings(db, { orgId: 'org-m', realmId: realm, userId: 'u1', accounts: { ...(await loadMappings(db, 'org-m', realm, 'tax_codes')).accounts, defaultIncomeAccountId: '79' } }, 'tax_codes');
    await saveMappings(db, { orgId: 'org-m', realmId: realm, userId: 'u1', tax: { kind: 'tax_codes', codes: { 'tc-on': '5' }, noTaxCodeId: '9' } }, 'tax_codes');
    const saved = await loadMappings(db, 'org-m', realm, 'tax_codes');
    expect(saved.accounts.defaultIncomeAccountId).toBe('79');
    expect(saved.tax).toEqual({ kind: 'tax_codes', codes: { 'tc-on': '5' }, noTaxCodeId: '9' });
    expect((await loadMappings(db, 'org-m', '9130350000000002', 'tax_codes')).accounts.defaultIncomeAccountId).toBeNull();
    // After a change of country the old tax rows no longer apply.
    expect((await loadMappings(db, 'org-m', realm, 'sales_tax')).tax).toEqual({ kind: 'sales_tax', salesTaxCodeId: null, exemptTaxCodeId: null });
  });
});
