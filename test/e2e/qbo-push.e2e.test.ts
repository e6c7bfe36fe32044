import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProduct, type Product } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { DEMO_PASSWORD } from '../../src/demo/data.js';
import { seedDemo } from '../../src/demo/seed.js';
import { startEmulator, type StartedEmulator } from '../../src/emulator/index.js';
import { AccountMappingSchema } from '../../src/qbo/mapping/index.js';
import { saveMappings } from '../../src/qbo/sync/mapping-store.js';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { buildUiBundle, type UiBundle } from './support/ui-bundle.js';

const SANDBOX_US = '4620816365290212450';
/** The emulator's seeded chart: Services, Sales of Product Income; tax code California (8%). */
const SERVICES = '1';
const PRODUCT_INCOME = '3';
const CALIFORNIA = '2';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

type Rec = Record<string, unknown>;

describe('Push to QuickBooks in the browser', () => {
  let database: TestDatabase;
  let ui: UiBundle;
  let browser: TestBrowser;
  let emulator: StartedEmulator;
  let product: Product;
  let baseUrl: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'workroom-e2e-push-'));

  beforeAll(async () => {
    [database, ui, browser, emulator] = await Promise.all([
      createTestDatabase('sqlite'),
      buildUiBundle(),
      launchBrowser(),
      startEmulator({ port: 0, host: '127.0.0.1', withHistory: false }),
    ]);
    await seedDemo(database.db);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const config = parseConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'false',
      QBO_EMULATOR_URL: emulator.baseUrl,
    });
    // The product as `npm start` assembles it: the push route, its worker and the processor from src/app.ts.
    product = await buildProduct({ db: database.db, dialect: database.dialect, config, staticRoot: ui.dir, logger: false });
    await product.app.listen({ port, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await browser?.close();
    await product?.worker.stop();
    await product?.app.close();
    await emulator?.close();
    await database?.close();
    ui?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function chooseAtIntuit(page: Page, company: string): Promise<void> {
    await page.waitForURL((url) => url.href.startsWith(emulator.baseUrl));
    await page.getByLabel(company).check();
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${baseUrl}/settings/apps`));
  }

  it('maps accounts, pushes an invoice from the ⋯ menu, shows the green confirmation, QBO holds the right lines; then syncs clients', async () => {
    const { page } = browser;
    try {
      await page.goto(`${baseUrl}/login`);
      await page.getByLabel('Email').fill('owner@demo.studio');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/invoices');

      await page.goto(`${baseUrl}/settings/apps`);
      await page.getByTestId('qbo-tile').getByRole('button', { name: 'Connect' }).click();
      await chooseAtIntuit(page, 'Sandbox Company_US_1');
      await expect.poll(() => page.getByTestId('qbo-tile').getByTestId('qbo-status').textContent()).toBe('Connected');

      // The account and tax mapping, saved for this company file: Furniture to product income, the rest to Services.
      const me = (await (await page.request.get(`${baseUrl}/api/auth/me`)).json()) as { user: { id: string }; organisation: { id: string; salesTaxRate: string } };
      const orgId = me.organisation.id;
      const furniture = await database.db.selectFrom('categories').select('id').where('org_id', '=', orgId).where('name', '=', 'Furniture').executeTakeFirstOrThrow();
      const client = await database.db.selectFrom('clients').select(['id', 'info_name', 'full_name']).where('org_id', '=', orgId).where('info_name', '=', 'Dana').executeTakeFirstOrThrow();
      await saveMappings(
        database.db,
        {
          orgId,
          realmId: SANDBOX_US,
          userId: me.user.id,
          accounts: AccountMappingSchema.parse({ defaultIncomeAccountId: SERVICES, incomeByCategory: { [furniture.id]: PRODUCT_INCOME } }),
          tax: { kind: 'sales_tax', salesTaxCodeId: CALIFORNIA, exemptTaxCodeId: null },
        },
        'sales_tax',
      );

      const created = await page.request.post(`${baseUrl}/api/documents`, {
        data: {
          type: 'invoice',
          clientId: client.id,
          issueDate: '2026-03-02',
          dueDate: '2026-04-01',
          notes: 'Internal: do not show the client',
          lines: [
            { description: 'Walnut dining table', quantity: '2', rate: '125.50', categoryId: furniture.id, taxable: true, markupPercent: '35', vendorDiscountPercent: '15' },
            { description: 'Design consultation', quantity: '1', rate: '80', taxable: false },
          ],
        },
      });
      expect(created.status()).toBe(201);
      const invoice = (await created.json()) as { id: string; number: string };
      expect((await page.request.post(`${baseUrl}/api/documents/${invoice.id}/finalize`)).status()).toBe(200);

      await page.goto(`${baseUrl}/invoices/${invoice.id}`);
      await expect.poll(() => page.getByTestId('qbo-push-panel').textContent()).toContain('Not pushed to Sandbox Company_US_1 yet.');
      await page.getByRole('button', { name: 'Invoice actions' }).click();
      await page.getByRole('menuitem', { name: 'Push to QuickBooks' }).click();

      const confirmation = page.locator('.alert.success');
      await expect.poll(() => confirmation.textContent()).toMatch(new RegExp(`^${invoice.number} is in QuickBooks: created invoice #\\d+\\.`));
      expect(await confirmation.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(47, 111, 94)');
      expect(await page.locator('.alert.error').count()).toBe(0);

      // What the emulator now holds: one invoice, each line on the right item/account with its tax flag.
      const invoices = emulator.control.api.listEntities(SANDBOX_US, 'Invoice');
      expect(invoices).toHaveLength(1);
      const qboInvoice = invoices[0] as Rec;
      expect(qboInvoice).toMatchObject({ DocNumber: invoice.number, TxnDate: '2026-03-02', DueDate: '2026-04-01', TxnTaxDetail: { TxnTaxCodeRef: { value: CALIFORNIA } } });
      const items = new Map(emulator.control.api.listEntities(SANDBOX_US, 'Item').map((item) => [item['Id'], item]));
      const lines = (qboInvoice['Line'] as Rec[])
        .filter((l) => l['DetailType'] === 'SalesItemLineDetail')
        .map((l) => {
          const d = l['SalesItemLineDetail'] as { ItemRef: { value: string }; Qty: number; UnitPrice: number; TaxCodeRef: { value: string } };
          const item = items.get(d.ItemRef.value) as { Name: string; IncomeAccountRef: { value: string } };
          return [l['Description'], l['Amount'], d.Qty, d.UnitPrice, d.TaxCodeRef.value, item.IncomeAccountRef.value, item.Name];
        });
      expect(lines).toEqual([
        ['Walnut dining table', 251, 2, 125.5, 'TAX', PRODUCT_INCOME, 'Workroom – Sales of Product Income'],
        ['Design consultation', 80, 1, 80, 'NON', SERVICES, 'Workroom – Services'],
      ]);
      expect(JSON.stringify(qboInvoice)).not.toMatch(/Internal: do not show|markup/i);
      const customer = emulator.control.api.getEntity(SANDBOX_US, 'Customer', (qboInvoice['CustomerRef'] as { value: string }).value);
      expect(customer?.['DisplayName']).toBe(client.info_name);

      // The push state on the page: the QBO id and the totals check, to the cent, with its reason.
      const panel = page.getByTestId('qbo-push-panel');
      await expect.poll(() => panel.getByTestId('qbo-push-id').textContent()).toBe(`#${String(qboInvoice['Id'])}`);
      // Workroom taxes at the studio's 8.875%, the mapped California code at 8%: 22.28 against 20.08.
      expect(me.organisation.salesTaxRate).toBe('8.875');
      expect(await panel.getByTestId('qbo-push-difference').textContent()).toBe('-2.20');
      expect(await panel.getByTestId('qbo-push-totals').textContent()).toContain('tax computed by QBO differs');
      await browser.screenshot('qbo-push-confirmed');

      // Sync clients: the pushed client is already linked, the other nine are created, "Smith, LLC" stays apart.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
      await page.getByRole('button', { name: 'Sync clients' }).click();
      const report = page.getByRole('dialog', { name: 'Sync clients report' });
      await expect.poll(() => report.getByTestId('party-sync-summary').textContent()).toBe('10 clients: 1 matched, 9 created, 0 conflicts.');
      expect(await report.textContent()).toContain('QuickBooks also has "Smith LLC"');
      const customers = emulator.control.api.listEntities(SANDBOX_US, 'Customer').map((c) => c['DisplayName']);
      expect(customers.filter((name) => name === 'Smith LLC' || name === 'Smith, LLC')).toHaveLength(2);
      expect(customers.filter((name) => name === client.info_name)).toHaveLength(1);
      await browser.screenshot('qbo-sync-clients');

      // A draft is refused in red, with nothing sent.
      const draft = (await (
        await page.request.post(`${baseUrl}/api/documents`, {
          data: { type: 'invoice', clientId: client.id, issueDate: '2026-03-03', lines: [{ description: 'Draft line', quantity: '1', rate: '10' }] },
        })
      ).json()) as { id: string; number: string };
      await page.goto(`${baseUrl}/invoices/${draft.id}`);
      await expect.poll(() => page.getByTestId('qbo-push-panel').count()).toBe(1);
      await page.getByRole('button', { name: 'Invoice actions' }).click();
      await page.getByRole('menuitem', { name: 'Push to QuickBooks' }).click();
      await expect.poll(() => page.locator('.alert.error').textContent()).toBe(`Finalize ${draft.number} first: drafts are not pushed to QuickBooks`);
      expect(emulator.control.api.listEntities(SANDBOX_US, 'Invoice')).toHaveLength(1);
    } catch (err) {
      console.error(`screenshot: ${await browser.screenshot('qbo-push-failure')}`);
      throw err;
    }
  }, 120_000);
});
