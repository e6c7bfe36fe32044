import { readFileSync } from 'node:fs';
import { Decimal } from 'decimal.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePnlRange, type DateRange } from '../../src/qbo/reports/index.js';
import { formatAmount } from '../../src/web/format.js';
import { browserToday } from '../../src/web/pages/reports/pnl-view.js';
import { createInvoice, expectedPnl } from '../integration/qbo-reports/expected-pnl.js';
import { startProduct, type ProductStack } from './support/stack.js';
import { chooseAtIntuit, DEMO_OWNER, logIn } from './support/steps.js';

const DEMO_STUDIO_REALM = '9130357921644326';

describe('Reports → QuickBooks P&L in the browser', () => {
  let stack: ProductStack;

  beforeAll(async () => {
    // The product as `npm start` assembles it, so the route registration in src/app.ts is what is tested.
    // With history: the demo company has paid expenses, so net income can go negative.
    stack = await startProduct({ dataDirPrefix: 'workroom-e2e-pnl-', emulator: { withHistory: true } });
  });

  afterAll(async () => {
    stack?.emulator.clock.reset();
    await stack?.close();
  });

  const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
  const netIncome = (page: Page) => page.locator('tr[data-group="NetIncome"] td').last();
  const period = (page: Page) => page.getByTestId('pnl-period');
  const settled = (page: Page) => expect.poll(() => page.getByTestId('pnl-status').getAttribute('data-loading')).toBe('false');
  const longDate = (iso: string) =>
    new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

  /** The figures the page must show for a range: added up from the company file itself. */
  async function expectFigures(page: Page, range: DateRange): Promise<void> {
    await expect.poll(() => period(page).textContent()).toContain(`${longDate(range.start)} – ${longDate(range.end)}`);
    await settled(page);
    const expected = expectedPnl(stack.emulator, DEMO_STUDIO_REALM, range.start, range.end);
    expect(await netIncome(page).textContent()).toBe(formatAmount(expected.netIncome));
    expect(await page.locator('tr[data-group="Income"].pnl-total td').last().textContent()).toBe(formatAmount(expected.groups.Income));
    // One net bar per period charted (or one for the Total); together they are the period's net income.
    const bars = await page.getByTestId('pnl-chart').locator('rect[data-series="net"]').evaluateAll((rects) => rects.map((r) => r.getAttribute('data-value') ?? ''));
    expect(bars.reduce((sum, v) => sum.plus(v), new Decimal(0)).toFixed(2)).toBe(expected.netIncome.toFixed(2));
  }

  it('shows the live P&L once connected, follows the range and basis, exports CSV, shows QBO’s own errors, and says when QuickBooks needs reconnecting', async () => {
    const { browser, database, emulator, product } = stack;
    const { page } = browser;
    try {
      await logIn(page, stack, DEMO_OWNER);
      expect(await nav(page).getByRole('link', { name: 'QuickBooks P&L' }).count()).toBe(0);

      await nav(page).getByRole('link', { name: 'Apps' }).click();
      await page.getByTestId('qbo-tile').getByRole('button', { name: 'Connect' }).click();
      await chooseAtIntuit(page, stack, 'Workroom Demo Studio');
      await expect.poll(() => nav(page).getByRole('link', { name: 'QuickBooks P&L' }).count()).toBe(1);

      // Put invoices straight into QBO: one this month, one in June last year.
      const user = await database.db.selectFrom('users').select('org_id').where('email', '=', 'owner@demo.studio').executeTakeFirstOrThrow();
      const client = await product.qbo.getClientFor(user.org_id);
      if (!client.ok) throw client.error;
      const today = browserToday();
      const lastYear = Number(today.slice(0, 4)) - 1;
      await createInvoice(client.value, { customerId: '1', txnDate: `${today.slice(0, 7)}-01`, lines: [{ itemId: '2', qty: '7', unitPrice: '125.00' }] });
      await createInvoice(client.value, {
        customerId: '2',
        txnDate: `${lastYear}-06-15`,
        lines: [
          { itemId: '3', qty: '2', unitPrice: '1249.99' },
          { itemId: '1', qty: '1', unitPrice: '95.50' },
        ],
      });

      await nav(page).getByRole('link', { name: 'QuickBooks P&L' }).click();
      await expectFigures(page, resolvePnlRange('this_month', today));
      const openInQbo = await page.getByTestId('pnl-open-in-qbo').getAttribute('href');
      expect(openInQbo).toMatch(new RegExp(`^${emulator.baseUrl}/app/app/reportv2\\?token=PANDL`));
      expect(await page.getByTestId('pnl-company').textContent()).toBe('Workroom Demo Studio');
      await browser.screenshot('pnl-this-month');

      await page.getByLabel('Date range').selectOption('last_year');
      const lastYearRange = resolvePnlRange('last_year', today);
      await expectFigures(page, lastYearRange);
      expect(await netIncome(page).textContent()).toBe('2,595.48');
      expect(new URL(page.url()).searchParams.get('range')).toBe('last_year');

      // Custom range with monthly columns: each month is its own column, then Total.
      await page.getByLabel('Date range').selectOption('custom');
      await page.getByLabel('From', { exact: true }).fill(`${lastYear}-05-01`);
      await page.getByLabel('To', { exact: true }).fill(`${lastYear}-06-30`);
      await page.getByRole('button', { name: 'Run report' }).click();
      await expectFigures(page, { start: `${lastYear}-05-01`, end: `${lastYear}-06-30` });
      await page.getByLabel('Columns').selectOption('month');
      await settled(page);
      await expect
        .poll(() => page.getByTestId('pnl-table').locator('thead th').allTextContents())
        .toEqual(['Account', `May ${lastYear}`, `Jun ${lastYear}`, 'Total']);
      expect(await page.locator('tr[data-group="NetIncome"] td').allTextContents()).toEqual(['0.00', '2,595.48', '2,595.48']);

      // Sections collapse like QBO's: the header line then carries the section total.
      const incomeHeader = page.locator('tr.pnl-header[data-group="Income"]');
      await page.getByRole('button', { name: 'Collapse Income' }).click();
      expect(await page.getByRole('row', { name: /Sales of Product Income/ }).count()).toBe(0);
      expect(await incomeHeader.locator('td').allTextContents()).toEqual(['0.00', '2,595.48', '2,595.48']);
      await page.getByRole('button', { name: 'Expand Income' }).click();
      expect(await page.getByRole('row', { name: /Sales of Product Income/ }).count()).toBe(1);
      await browser.screenshot('pnl-custom-monthly');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      expect(download.suggestedFilename()).toBe(`ProfitAndLoss_${lastYear}-05-01_${lastYear}-06-30.csv`);
      const csv = readFileSync(await download.path(), 'utf8').split('\r\n');
      expect(csv).toContain(`,May ${lastYear},Jun ${lastYear},Total`);
      expect(csv).toContain('"   Sales of Product Income",,2499.98,2499.98');
      expect(csv).toContain('Net Income,0.00,2595.48,2595.48');

      // A period QBO has nothing for.
      await page.getByLabel('From', { exact: true }).fill('2001-01-01');
      await page.getByLabel('To', { exact: true }).fill('2001-01-31');
      await page.getByRole('button', { name: 'Run report' }).click();
      await expect.poll(() => page.getByTestId('pnl-empty').count()).toBe(1);
      expect(await page.getByTestId('pnl-empty').textContent()).toBe('No transactions in this period');

      // Cash basis over the last 60 days: the demo's paid expenses count, its unpaid invoices do not, so the
      // period is a loss, printed the way QBO prints negatives.
      const sixtyDaysAgo = browserToday(new Date(Date.now() - 60 * 86_400_000));
      await page.getByLabel('Columns').selectOption('total');
      await page.getByLabel('From', { exact: true }).fill(sixtyDaysAgo);
      await page.getByLabel('To', { exact: true }).fill(today);
      await page.getByRole('button', { name: 'Run report' }).click();
      await page.getByLabel('Accounting method').selectOption('cash');
      await expect.poll(() => period(page).textContent()).toContain('Cash basis');
      await settled(page);
      expect(new URL(page.url()).searchParams.get('method')).toBe('cash');
      const cash = expectedPnl(emulator, DEMO_STUDIO_REALM, sixtyDaysAgo, today, 'Cash');
      expect(cash.netIncome.isNegative()).toBe(true);
      expect(await netIncome(page).textContent()).toBe(formatAmount(cash.netIncome));
      expect(await netIncome(page).textContent()).toMatch(/^-\d/);
      await page.getByLabel('Accounting method').selectOption('accrual');
      await expect.poll(() => period(page).textContent()).toContain('Accrual basis');
      await settled(page);

      // QuickBooks itself fails (after the client's own retries): its code and words, never an empty report.
      emulator.control.api.injectFault(DEMO_STUDIO_REALM, { mode: 'http500', count: 10 });
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect.poll(() => page.getByTestId('pnl-qbo-error').count(), { timeout: 15_000 }).toBe(1);
      emulator.control.api.clearFaults(DEMO_STUDIO_REALM);
      expect(await page.getByTestId('pnl-qbo-error-code').textContent()).toBe('QuickBooks error 10000');
      expect(await page.getByTestId('pnl-qbo-error-message').textContent()).toBe('An application error has occurred while processing your request');
      expect(await page.getByTestId('pnl-table').count()).toBe(0);
      expect(await page.getByText('No transactions in this period').count()).toBe(0);

      // The help page's bug: the token dies silently. The page must say so, with the fix, not "no data".
      await page.getByLabel('Date range').selectOption('last_year');
      await expectFigures(page, lastYearRange);
      emulator.tokens.revokeRealm(DEMO_STUDIO_REALM);
      emulator.clock.advance(3600_000 + 1000);
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect.poll(() => page.getByTestId('pnl-needs-reconnect').count()).toBe(1);
      expect(await page.getByTestId('pnl-needs-reconnect').textContent()).toContain('QuickBooks needs reconnecting');
      expect(await page.getByTestId('pnl-empty').count()).toBe(0);
      expect(await page.getByTestId('pnl-table').count()).toBe(0);
      expect(await page.getByText('No transactions in this period').count()).toBe(0);
      await browser.screenshot('pnl-needs-reconnect');

      await page.getByTestId('pnl-needs-reconnect').getByRole('button', { name: 'Reconnect' }).click();
      await chooseAtIntuit(page, stack, 'Workroom Demo Studio');
      await nav(page).getByRole('link', { name: 'QuickBooks P&L' }).click();
      await expectFigures(page, resolvePnlRange('this_month', today));
    } catch (err) {
      console.error(`screenshot: ${await browser.screenshot('pnl-failure')}`);
      throw err;
    }
  }, 120_000);
});
