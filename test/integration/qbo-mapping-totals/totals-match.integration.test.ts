import { expect, it } from 'vitest';
import { listDocuments } from '../../../src/domain/store/documents.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { ACCOUNTS, CA_TAX_CODES, ISSUE_DATE, line, SANDBOX_CA, SANDBOX_US, US_TAX_CODES, worldsClosedAfterEach, type PushWorld } from '../qbo-push/harness.js';

type Rec = Record<string, unknown>;
const amounts = (doc: Rec | undefined): unknown[] =>
  ((doc?.['Line'] ?? []) as Rec[]).filter((l) => l['DetailType'] !== 'SubTotalLineDetail').map((l) => l['Amount']);

/**
 * The help page's "My push went through but the totals are off by a few cents" no longer happens: the totals a
 * studio sees (stored, listed and read back) are the ones QBO computes for the pushed document, and the push
 * records no difference. Documents go through the real store, mapping, push flow and emulator over HTTP.
 */
describeEachDatabase('document totals equal the QBO totals of the pushed document', (getDb, dialect) => {
  const world = worldsClosedAfterEach(getDb, dialect);

  /** The stored total in the document list must be the one read back, or the list would show a stale figure. */
  const listedTotal = async (w: PushWorld, id: string) => {
    const page = await listDocuments(w.db, w.org.id, { page: 1, pageSize: 50 });
    return page.items.find((d) => d.id === id)?.total;
  };

  it('US: three lines of 1.5 × 12.25 (18.375 each) at 8% are 59.55 in Workroom and in QuickBooks', async () => {
    const w = await world({ realmId: SANDBOX_US, salesTaxRate: '8' });
    const clientId = await w.client('Cedar Studio');
    await w.map({ defaultIncomeAccountId: ACCOUNTS.services }, { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null });
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [0, 1, 2].map(() => line('1.5', '12.25', { taxable: true })) });
    expect(doc.lines.map((l) => l.amount)).toEqual(['18.38', '18.38', '18.38']);
    expect(doc.totals).toMatchObject({ subtotal: '55.14', taxTotal: '4.41', total: '59.55' });
    expect(await listedTotal(w, doc.id)).toBe('59.55');

    const { job, state } = await w.push(doc.id);
    expect(job.status).toBe('pushed');
    const [invoice] = w.qbo('Invoice');
    expect(amounts(invoice)).toEqual([18.38, 18.38, 18.38]);
    expect(invoice).toMatchObject({ TotalAmt: 59.55, TxnTaxDetail: { TotalTax: 4.41 } });
    expect(state?.totals).toEqual({ workroomTotal: '59.55', qboTotal: '59.55', difference: '0.00', reason: null, differences: [] });
  });

  it('US: an estimate mixing taxable and untaxed half-cent lines', async () => {
    const w = await world({ realmId: SANDBOX_US, salesTaxRate: '8' });
    const clientId = await w.client('Marlow & Finch');
    await w.map({ defaultIncomeAccountId: ACCOUNTS.services }, { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null });
    const lines = [line('3', '1.835', { taxable: true }), line('1', '0.125', { taxable: false }), line('7', '2.4650', { taxable: true }), line('2', '0.0025', { taxable: false })];
    const doc = await w.document({ type: 'estimate', clientId, issueDate: ISSUE_DATE, lines });
    // 5.505 → 5.51, 0.125 → 0.13, 17.255 → 17.26, 0.005 → 0.01; 8% of 22.77 = 1.8216 → 1.82.
    expect(doc.totals).toMatchObject({ subtotal: '22.91', taxTotal: '1.82', total: '24.73' });

    const { state } = await w.push(doc.id);
    expect(w.qbo('Estimate')[0]).toMatchObject({ TotalAmt: 24.73, TxnTaxDetail: { TotalTax: 1.82 } });
    expect(state?.totals).toMatchObject({ workroomTotal: '24.73', qboTotal: '24.73', difference: '0.00', differences: [] });
  });

  it('Canada: GST and PST rounded on each line, and HST on each line, as QuickBooks Canada does', async () => {
    const w = await world({ realmId: SANDBOX_CA, country: 'CA' });
    const bc = w.taxCodes.get('BC GST+PST');
    const on = w.taxCodes.get('ON HST');
    const exempt = w.taxCodes.get('Exempt');
    if (bc === undefined || on === undefined || exempt === undefined) throw new Error('Canadian presets missing');
    const clientId = await w.client('Beaches Family Dental');
    await w.map(
      { defaultIncomeAccountId: ACCOUNTS.services },
      { kind: 'tax_codes', codes: { [on]: CA_TAX_CODES.hstOn, [bc]: CA_TAX_CODES.gstPstBc, [exempt]: CA_TAX_CODES.exempt }, noTaxCodeId: CA_TAX_CODES.exempt },
    );
    const doc = await w.document({
      type: 'invoice',
      clientId,
      issueDate: ISSUE_DATE,
      lines: [
        line('1', '10.10', { taxCodeId: bc }),
        line('1', '10.10', { taxCodeId: bc }),
        line('1', '250.50', { taxCodeId: on }),
        line('1', '49.50', { taxCodeId: on }),
        line('1', '80', { taxCodeId: exempt }),
      ],
    });
    // GST 0.51 + 0.51, PST 0.71 + 0.71, HST 32.57 + 6.44: 41.45 in tax, where the code totals would give 41.42.
    expect(doc.totals.taxes.map((t) => [t.component, t.amount])).toEqual([
      ['GST', '1.02'],
      ['PST', '1.42'],
      ['HST', '39.01'],
    ]);
    expect(doc.totals).toMatchObject({ subtotal: '400.20', taxTotal: '41.45', total: '441.65' });
    expect(await listedTotal(w, doc.id)).toBe('441.65');

    const { state } = await w.push(doc.id);
    expect(w.qbo('Invoice')[0]).toMatchObject({ TotalAmt: 441.65, TxnTaxDetail: { TotalTax: 41.45 } });
    expect(state?.totals).toEqual({ workroomTotal: '441.65', qboTotal: '441.65', difference: '0.00', reason: null, differences: [] });
  });
});
