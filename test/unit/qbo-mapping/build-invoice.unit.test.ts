import { describe, expect, it } from 'vitest';
import { buildInvoice, MAPPING_PROBLEM_TITLES, requiredItemAccounts, type QboUpdateTarget } from '../../../src/qbo/mapping/index.js';
import { accounts, caSales, expectErr, expectOk, final, makeDocument, makeLine, salesTaxMapping, taxCodeMapping, usSales } from './fixtures.js';

const furnitureAccounts = accounts({ incomeByCategory: { cat_furniture: '81' } });

describe('buildInvoice — US company', () => {
  it('sends TAX/NON per line, the mapped code as TxnTaxCodeRef, and the per-category item', () => {
    const doc = makeDocument({
      lines: [
        makeLine({ id: 'l1', description: 'Design consultation', quantity: '2.5', rate: '120.00', taxable: false }),
        makeLine({ id: 'l2', description: 'Walnut side table', quantity: '3', rate: '33.333', categoryId: 'cat_furniture' }),
      ],
    });
    const payload = expectOk(buildInvoice(final(doc, 'invoice'), usSales({ accounts: furnitureAccounts })));
    expect(payload).toStrictEqual({
      DocNumber: 'INV-1001',
      TxnDate: '2025-03-01',
      DueDate: '2025-03-31',
      CurrencyRef: { value: 'USD' },
      CustomerRef: { value: '58' },
      Line: [
        {
          DetailType: 'SalesItemLineDetail',
          Amount: 300,
          Description: 'Design consultation',
          SalesItemLineDetail: { ItemRef: { value: '500' }, Qty: 2.5, UnitPrice: 120, TaxCodeRef: { value: 'NON' } },
        },
        {
          DetailType: 'SalesItemLineDetail',
          // 3 × 33.333 = 99.999 → 100.00
          Amount: 100,
          Description: 'Walnut side table',
          SalesItemLineDetail: { ItemRef: { value: '501' }, Qty: 3, UnitPrice: 33.333, TaxCodeRef: { value: 'TAX' } },
        },
      ],
      TxnTaxDetail: { TxnTaxCodeRef: { value: '7' } },
    });
  });

  it('leaves out DueDate when the invoice has none and Description when the line has none', () => {
    const doc = makeDocument({ dueDate: null, lines: [makeLine({ description: '' })] });
    const payload = expectOk(buildInvoice(final(doc, 'invoice'), usSales()));
    expect(payload).not.toHaveProperty('DueDate');
    expect(payload.Line[0]).not.toHaveProperty('Description');
  });

  it('does not need the tax mapping when no line is taxed', () => {
    const doc = makeDocument({ lines: [makeLine({ taxable: false })] });
    const payload = expectOk(buildInvoice(final(doc, 'invoice'), usSales({ tax: salesTaxMapping({ salesTaxCodeId: null }) })));
    expect(payload).not.toHaveProperty('TxnTaxDetail');
    expect(payload.Line[0]?.SalesItemLineDetail.TaxCodeRef).toEqual({ value: 'NON' });
  });

  it('refuses taxed lines when the Sales Tax % is not mapped, naming the lines', () => {
    const doc = makeDocument({ lines: [makeLine({ taxable: false }), makeLine({ taxable: true }), makeLine({ taxable: true })] });
    const problems = expectErr(buildInvoice(final(doc, 'invoice'), usSales({ tax: salesTaxMapping({ salesTaxCodeId: null }) })));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'tax_code_mismatch', workroomTaxCodeId: null, lineIndexes: [1, 2] });
    expect(problems[0]?.message).toContain('Tax code mismatch');
    expect(problems[0]?.message).toContain('lines 2 and 3');
  });

  it('refuses a Canadian-style tax-code mapping against a US company', () => {
    const problems = expectErr(buildInvoice(final(makeDocument(), 'invoice'), usSales({ tax: taxCodeMapping() })));
    expect(problems.map((p) => p.kind)).toEqual(['tax_code_mismatch']);
    expect(problems[0]?.message).toContain('US company');
  });
});

describe('buildInvoice — Canadian (global) company', () => {
  const caDoc = makeDocument({
    currency: 'CAD',
    salesTaxRate: null,
    lines: [
      makeLine({ id: 'l1', quantity: '1', rate: '1000', taxCodeId: 'tc_bc' }),
      makeLine({ id: 'l2', quantity: '2', rate: '45.50', taxCodeId: 'tc_on', categoryId: 'cat_furniture' }),
      makeLine({ id: 'l3', quantity: '1', rate: '80', taxCodeId: null, taxable: false }),
    ],
  });

  it('puts the mapped QBO TaxCode id on every line and asks QBO to compute tax exclusive', () => {
    const payload = expectOk(buildInvoice(final(caDoc, 'invoice'), caSales({ accounts: furnitureAccounts })));
    expect(payload.Line.map((l) => l.SalesItemLineDetail.TaxCodeRef.value)).toEqual(['11', '12', '14']);
    expect(payload.Line.map((l) => l.SalesItemLineDetail.ItemRef.value)).toEqual(['500', '501', '500']);
    expect(payload.Line.map((l) => l.Amount)).toEqual([1000, 91, 80]);
    expect(payload.GlobalTaxCalculation).toBe('TaxExcluded');
    expect(payload).not.toHaveProperty('TxnTaxDetail');
    expect(payload.CurrencyRef).toEqual({ value: 'CAD' });
  });

  it('names the unmapped Workroom tax code and its lines', () => {
    const tax = taxCodeMapping({ codes: { tc_bc: '11' } });
    const names = new Map([['tc_on', 'ON HST']]);
    const problems = expectErr(buildInvoice(final(caDoc, 'invoice'), caSales({ tax, workroomTaxCodeNames: names })));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'tax_code_mismatch', workroomTaxCodeId: 'tc_on', lineIndexes: [1] });
    expect(problems[0]?.message).toContain('"ON HST"');
    expect(problems[0]?.message).toContain('line 2');
  });

  it('needs a QBO code for lines without a Workroom tax code', () => {
    const problems = expectErr(buildInvoice(final(caDoc, 'invoice'), caSales({ tax: taxCodeMapping({ noTaxCodeId: null }) })));
    expect(problems).toEqual([expect.objectContaining({ kind: 'tax_code_mismatch', workroomTaxCodeId: null, lineIndexes: [2] })]);
  });

  it('maps a non-US, non-Canadian Sales Tax % to one code for taxed lines and the exempt code for the rest', () => {
    const doc = makeDocument({ currency: 'GBP', lines: [makeLine({ taxable: true }), makeLine({ taxable: false })] });
    const ctx = caSales({ company: { taxModel: 'global', homeCurrency: 'GBP' }, tax: salesTaxMapping({ salesTaxCodeId: '20', exemptTaxCodeId: '21' }) });
    const payload = expectOk(buildInvoice(final(doc, 'invoice'), ctx));
    expect(payload.Line.map((l) => l.SalesItemLineDetail.TaxCodeRef.value)).toEqual(['20', '21']);
    const missing = expectErr(buildInvoice(final(doc, 'invoice'), { ...ctx, tax: salesTaxMapping({ salesTaxCodeId: '20' }) }));
    expect(missing).toEqual([expect.objectContaining({ kind: 'tax_code_mismatch', lineIndexes: [1] })]);
  });
});

describe('buildInvoice — accounts', () => {
  it('posts every line of a retainer invoice to the retainer liability item, ignoring categories', () => {
    const doc = makeDocument({ isRetainer: true, lines: [makeLine({ categoryId: 'cat_furniture' }), makeLine({ rate: '50' })] });
    const payload = expectOk(buildInvoice(final(doc, 'invoice'), usSales({ accounts: furnitureAccounts })));
    expect(payload.Line.map((l) => l.SalesItemLineDetail.ItemRef.value)).toEqual(['502', '502']);
  });

  it('refuses a retainer invoice when no retainer liability account is mapped', () => {
    const doc = makeDocument({ isRetainer: true, number: 'INV-7' });
    const problems = expectErr(buildInvoice(final(doc, 'invoice'), usSales({ accounts: accounts({ retainerLiabilityAccountId: null }) })));
    expect(problems).toEqual([expect.objectContaining({ kind: 'account_not_specified', role: 'retainer', lineIndexes: [0] })]);
    expect(problems[0]?.message).toMatch(/^Account not specified for line item: retainer invoice INV-7/);
  });

  it('uses the default income account for categories without an override', () => {
    const doc = makeDocument({ lines: [makeLine({ categoryId: 'cat_lighting' })] });
    const payload = expectOk(buildInvoice(final(doc, 'invoice'), usSales({ accounts: furnitureAccounts })));
    expect(payload.Line[0]?.SalesItemLineDetail.ItemRef).toEqual({ value: '500' });
  });

  it('without a default income account, reports each unmapped category with its lines', () => {
    const doc = makeDocument({
      lines: [
        makeLine({ categoryId: 'cat_lighting' }),
        makeLine({ categoryId: 'cat_furniture' }),
        makeLine({ categoryId: null }),
        makeLine({ categoryId: 'cat_lighting' }),
      ],
    });
    const ctx = usSales({
      accounts: accounts({ defaultIncomeAccountId: null, incomeByCategory: { cat_furniture: '81' } }),
      categoryNames: new Map([['cat_lighting', 'Lighting']]),
    });
    const problems = expectErr(buildInvoice(final(doc, 'invoice'), ctx));
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'account_not_specified', role: 'income', categoryId: 'cat_lighting', lineIndexes: [0, 3] }),
      expect.objectContaining({ kind: 'account_not_specified', role: 'income', categoryId: null, lineIndexes: [2] }),
    ]);
    expect(problems[0]?.message).toContain('lines 1 and 4 (category "Lighting")');
    expect(problems[1]?.message).toContain('line 3 (no category)');
    expect(MAPPING_PROBLEM_TITLES.account_not_specified).toBe('Account not specified for line item');
  });

  it('lists the accounts whose items must exist, and refuses when one is missing', () => {
    const doc = final(makeDocument({ lines: [makeLine({ categoryId: 'cat_furniture' }), makeLine(), makeLine()] }), 'invoice');
    expect(expectOk(requiredItemAccounts(doc, furnitureAccounts))).toEqual(['81', '80']);
    const problems = expectErr(buildInvoice(doc, usSales({ accounts: furnitureAccounts, itemByAccountId: new Map([['80', '500']]) })));
    expect(problems).toEqual([expect.objectContaining({ kind: 'item_missing', accountId: '81' })]);
  });
});

describe('buildInvoice — header', () => {
  it('refuses a document in another currency than the home currency', () => {
    const problems = expectErr(buildInvoice(final(makeDocument({ currency: 'EUR' }), 'invoice'), usSales()));
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'currency_mismatch', documentCurrency: 'EUR', homeCurrency: 'USD' }),
    ]);
    expect(problems[0]?.message).toContain('EUR');
  });

  it('accepts a 21-character DocNumber and refuses 22', () => {
    const ok21 = buildInvoice(final(makeDocument({ number: 'A'.repeat(21) }), 'invoice'), usSales());
    expect(expectOk(ok21).DocNumber).toBe('A'.repeat(21));
    const problems = expectErr(buildInvoice(final(makeDocument({ number: 'B'.repeat(22) }), 'invoice'), usSales()));
    expect(problems).toEqual([expect.objectContaining({ kind: 'doc_number_too_long', maxLength: 21 })]);
    expect(problems[0]?.message).toContain('22 characters');
  });

  it('reports header and line problems together', () => {
    const doc = makeDocument({ currency: 'EUR', number: 'X'.repeat(30) });
    const ctx = usSales({ accounts: accounts({ defaultIncomeAccountId: null }), tax: salesTaxMapping({ salesTaxCodeId: null }) });
    const kinds = expectErr(buildInvoice(final(doc, 'invoice'), ctx)).map((p) => p.kind);
    expect(kinds.sort()).toEqual(['account_not_specified', 'currency_mismatch', 'doc_number_too_long', 'tax_code_mismatch']);
  });

  it('turns into a full update of the same record when given Id and SyncToken', () => {
    const doc = final(makeDocument(), 'invoice');
    const create = expectOk(buildInvoice(doc, usSales()));
    const update = expectOk(buildInvoice(doc, usSales(), { Id: '130', SyncToken: '4' }));
    expect(create).not.toHaveProperty('Id');
    expect(update).toStrictEqual({ ...create, Id: '130', SyncToken: '4', sparse: false });
    const target: QboUpdateTarget = update;
    expect(target.Id).toBe('130');
  });
});

describe('buildInvoice — what is never sent', () => {
  it('leaves markup %, vendor discount, internal notes, attachments and fullName out of the JSON', () => {
    const doc = makeDocument({
      notes: 'INTERNAL-NOTE client haggles',
      attachments: [{ id: 'att_1', name: 'floorplan-secret.pdf', size: 1234, mime: 'application/pdf', createdAt: '2025-03-01T10:00:00.000Z' }],
      lines: [makeLine({ rate: '250.00', markupPercent: '37.1717', vendorDiscountPercent: '13.1313' })],
    });
    const json = JSON.stringify(expectOk(buildInvoice(final(doc, 'invoice'), usSales())));
    for (const secret of ['INTERNAL-NOTE', 'floorplan-secret', 'att_1', '37.1717', '13.1313', 'application/pdf']) {
      expect(json).not.toContain(secret);
    }
    for (const field of ['PrivateNote', 'CustomerMemo', 'Attachable', 'MarkupInfo', 'DiscountLineDetail', 'DiscountRate']) {
      expect(json).not.toContain(field);
    }
    // The client-facing rate is the UnitPrice: markup and discount do not move it.
    expect(json).toContain('"UnitPrice":250');
  });
});
