import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { seedDemo } from '../../src/demo/seed.js';
import { buildApp } from '../../src/server/index.js';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { buildUiBundle, type UiBundle } from './support/ui-bundle.js';

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
  let database: TestDatabase;
  let ui: UiBundle;
  let browser: TestBrowser;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let baseUrl: string;
  let login: { email: string; password: string };
  const dataDir = mkdtempSync(join(tmpdir(), 'workroom-e2e-data-'));

  beforeAll(async () => {
    [database, ui, browser] = await Promise.all([createTestDatabase('sqlite'), buildUiBundle(), launchBrowser()]);
    const demo = await seedDemo(database.db);
    const first = demo.logins[0];
    if (!first) throw new Error('demo data has no login');
    login = first;
    const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_DATA: 'false' });
    app = await buildApp({ db: database.db, dialect: database.dialect, config, logger: false, staticRoot: ui.dir });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.close();
    ui?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs in, creates an invoice with two lines and shows the right totals', async () => {
    const { page } = browser;
    try {
      await page.goto(`${baseUrl}/`);
      await page.waitForURL(/\/login/);
      await page.getByLabel('Email').fill(login.email);
      await page.getByLabel('Password').fill(login.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/invoices');

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
      const shot = await browser.screenshot('invoice-e2e-failure');
      throw new Error(`${(err as Error).message}\nscreenshot: ${shot}`, { cause: err });
    }
  });
});
