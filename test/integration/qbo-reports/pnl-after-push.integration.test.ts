/**
 * Issue 7's round trip: documents pushed by Workroom's own push come back in the P&L exactly. Invoices post
 * their line amounts to the mapped income accounts; estimates and purchase orders post nothing; sales tax
 * goes to a liability, not to income; a re-push updates in place rather than counting twice.
 */
import { Decimal } from 'decimal.js';
import { afterEach, expect, it } from 'vitest';
import type { WorkroomDocument } from '../../../src/domain/model.js';
import { emulatorPlatform } from '../../../src/qbo/client/index.js';
import { ProfitAndLossService, type Amount, type ReportNode } from '../../../src/qbo/reports/index.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { ACCOUNTS, createWorld, line, SANDBOX_US, US_TAX_CODES, type PushWorld } from '../qbo-push/harness.js';

/** The one amount of the line (an account) with this label, wherever it sits in the tree. */
function lineAmount(nodes: readonly ReportNode[], label: string): string | undefined {
  for (const node of nodes) {
    if (node.kind === 'line' && node.label === label) return node.amounts.at(-1)?.toFixed(2);
    if (node.kind === 'section') {
      const found = lineAmount(node.children, label);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const last = (amounts: readonly Amount[] | undefined): string | undefined => amounts?.at(-1)?.toFixed(2);

/** What the pushed invoices put on the books, by Workroom's own per-line amounts (QBO's rounding). */
const invoiced = (...docs: WorkroomDocument[]): string =>
  docs.reduce((sum, doc) => sum.plus(doc.totals.lineAmountsTotal), new Decimal(0)).toFixed(2);

describeEachDatabase('the P&L after pushing from Workroom', (getDb, dialect) => {
  let world: PushWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('equals what was pushed, per account and in every total, and only within the range', async () => {
    const w = (world = await createWorld({ db: getDb().db, dialect, realmId: SANDBOX_US, salesTaxRate: '8' }));
    const furniture = await w.category('Furniture');
    await w.map(
      { defaultIncomeAccountId: ACCOUNTS.designServices, incomeByCategory: { [furniture]: ACCOUNTS.productIncome }, defaultExpenseAccountId: ACCOUNTS.cogs },
      { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null },
    );
    const alder = await w.client('Alder & Finch');
    const brook = await w.client('Brook Studio');
    const vendor = await w.vendor('Luminaire Supply');

    const sofa = await w.document({
      type: 'invoice',
      clientId: alder,
      issueDate: '2026-03-02',
      lines: [line('2', '125.50', { categoryId: furniture, taxable: true }), line('1', '80', { taxable: false })],
    });
    const hours = await w.document({ type: 'invoice', clientId: brook, issueDate: '2026-03-20', lines: [line('1.5', '99.99', { taxable: false })] });
    const april = await w.document({ type: 'invoice', clientId: brook, issueDate: '2026-04-02', lines: [line('1', '500', { categoryId: furniture, taxable: false })] });
    const estimate = await w.document({ type: 'estimate', clientId: alder, issueDate: '2026-03-05', lines: [line('10', '1000', { taxable: false })] });
    const order = await w.document({ type: 'purchase_order', vendorId: vendor, issueDate: '2026-03-06', lines: [line('3', '612.5', { taxable: false })] });
    for (const doc of [sofa, hours, april, estimate, order]) expect((await w.push(doc.id)).job.status).toBe('pushed');

    // A change after the first push: the re-push updates the same QBO invoice.
    const sofaEdited = await w.edit(sofa, { lines: [line('2', '125.50', { categoryId: furniture, taxable: true }), line('2', '80', { taxable: false })] });
    expect((await w.push(sofaEdited.id)).state).toMatchObject({ status: 'pushed', operation: 'updated' });
    expect(w.qbo('Invoice')).toHaveLength(3);

    const pnl = new ProfitAndLossService({ connections: w.service, platform: emulatorPlatform(w.emulator.baseUrl) });
    const march = await pnl.profitAndLoss(w.org.id, { range: 'custom', start: '2026-03-01', end: '2026-03-31', method: 'accrual', columns: 'total' });
    if (!march.ok) throw new Error(JSON.stringify(march.error));
    const { report } = march.value;
    expect(report.noData).toBe(false);
    expect(lineAmount(report.rows, 'Sales of Product Income')).toBe('251.00');
    // 2 × 80 consultation, then 1.5 × 99.99 = 149.985, rounded per line as QBO does.
    expect(lineAmount(report.rows, 'Design Services')).toBe('309.99');
    expect(last(report.totals.Income)).toBe(invoiced(sofaEdited, hours));
    expect(last(report.totals.Income)).toBe('560.99');
    // Neither the estimate, the purchase order, nor the 8% sales tax is income or expense.
    expect(last(report.totals.Expenses)).toBe('0.00');
    expect(last(report.totals.COGS) ?? '0.00').toBe('0.00');
    expect(last(report.totals.NetIncome)).toBe('560.99');

    const spring = await pnl.profitAndLoss(w.org.id, { range: 'custom', start: '2026-03-01', end: '2026-04-30', method: 'accrual', columns: 'month' });
    if (!spring.ok) throw new Error(JSON.stringify(spring.error));
    expect(spring.value.report.columns.map((c) => c.title)).toEqual(['Mar 2026', 'Apr 2026', 'Total']);
    expect(spring.value.report.totals.Income?.map((a) => a?.toFixed(2))).toEqual(['560.99', '500.00', invoiced(sofaEdited, hours, april)]);
  });
});
