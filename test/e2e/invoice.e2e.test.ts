import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import { startApp, type Stack } from './support/stack.js';
import { submitLogin, type Login } from './support/steps.js';

/** The two lines the user types: 2 × 125.50 taxable and 1 × 80.00 not taxable. */
const LINES = [
  { description: 'Linen sofa', quantity: '2', rate: '125.50', taxable: true },
  { description: 'Design consultation', quantity: '1', rate: '80.00', taxable: false },
] as const;

/** The expected figures, worked out here from the inputs rather than with the app's own function. */
function expectedTotals(salesTaxRate: string): { subtotal: string; tax: string; total: string } {
  const amounts = LINES.map((l) => new Decimal(l.quantity).times(l.rate));
  const subtotal = amounts.reduce((a, b) => a.plus(b), new Decimal(0)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const taxableBase = amounts.filter((_, i) => LINES[i]?.taxable).reduce((a, b) => a.plus(b), new Decimal(0));
  const tax = taxableBase.times(salesTaxRate).dividedBy(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const format = (d: Decimal): string => d.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return { subtotal: format(subtotal), tax: format(tax), total: format(subtotal.plus(tax)) };
}

describe('invoice in the browser', () => {
  let stack: Stack;
  let login: Login;

  beforeAll(async () => {
    stack = await startApp({
      dataDirPrefix: 'workroom-e2e-data-',
      seed: async (db) => {
        const first = (await seedDemo(db)).logins[0];
        if (!first) throw new Error('demo data has no login');
        login = first;
      },
    });
  });

  afterAll(() => stack?.close());

  it('logs in, creates an invoice with two lines and shows the right totals', async () => {
    const { browser, baseUrl } = stack;
    const { page } = browser;
    try {
      await page.goto(`${baseUrl}/`);
      await page.waitForURL(/\/login/);
      await submitLogin(page, login);

      // The demo studio's Sales Tax %, as the server reports it for the logged-in user.
      const me = (await (await page.request.get(`${baseUrl}/api/auth/me`)).json()) as {
        organisation: { salesTaxRate: string; taxModel: string };
      };
      expect(me.organisation.taxModel).toBe('sales_tax');
      const expected = expectedTotals(me.organisation.salesTaxRate);

      await page.getByRole('button', { name: 'New invoice' }).click();
      const client = page.getByLabel('Client', { exact: true });
      await expect.poll(() => client.locator('option').count()).toBeGreaterThan(1);
      await client.selectOption({ index: 1 });

      for (const [index, line] of LINES.entries()) {
        const n = index + 1;
        if (n > 1) await page.getByRole('button', { name: 'Add line' }).click();
        await page.getByLabel(`Description, line ${n}`).fill(line.description);
        await page.getByLabel(`Quantity, line ${n}`).fill(line.quantity);
        await page.getByLabel(`Rate, line ${n}`).fill(line.rate);
        await page.getByLabel(`Taxable, line ${n}`).setChecked(line.taxable);
      }

      await expect.poll(() => page.getByLabel('Total', { exact: true }).textContent()).toBe(expected.total);
      expect(await page.getByLabel('Subtotal', { exact: true }).textContent()).toBe(expected.subtotal);
      expect(await page.getByLabel(`Sales Tax ${me.organisation.salesTaxRate}%`, { exact: true }).textContent()).toBe(expected.tax);

      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Invoice saved.' }).waitFor();
      const id = new URL(page.url()).pathname.split('/')[2];
      expect(id).toMatch(/.+/);
      expect(await page.getByLabel('Total', { exact: true }).textContent()).toBe(expected.total);

      // The stored invoice carries the same figures, computed by the server.
      const stored = (await (await page.request.get(`${baseUrl}/api/documents/${id}`)).json()) as {
        status: string;
        totals: { subtotal: string; taxTotal: string; total: string };
      };
      expect(stored.totals.total).toBe(expected.total.replaceAll(',', ''));
      expect(stored.totals.subtotal).toBe(expected.subtotal.replaceAll(',', ''));

      await page.getByRole('button', { name: 'Finalize' }).click();
      await page.getByRole('status').filter({ hasText: /is final\./ }).waitFor();
    } catch (err) {
      return browser.failWithScreenshot('invoice-e2e-failure', err);
    }
  });
});
