import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountMappingSchema } from '../../src/qbo/mapping/index.js';
import { saveMappings } from '../../src/qbo/sync/mapping-store.js';
import { qboUser } from '../integration/qbo-month-end/qbo-user.js';
import { startProduct, type ProductStack } from './support/stack.js';
import { chooseAtIntuit, DEMO_OWNER, logIn } from './support/steps.js';

const SANDBOX_US = '4620816365290212450';
/** The emulator's seeded chart: Services; tax code California (8%). */
const SERVICES = '1';
const CALIFORNIA = '2';

describe('Month-end close in the browser', () => {
  let stack: ProductStack;

  beforeAll(async () => {
    stack = await startProduct({ dataDirPrefix: 'workroom-e2e-month-end-', emulator: { withHistory: false } });
  });

  afterAll(() => stack?.close());

  async function connectQuickBooks(page: Page): Promise<void> {
    await page.goto(`${stack.baseUrl}/settings/apps`);
    await page.getByTestId('qbo-tile').getByRole('button', { name: 'Connect' }).click();
    await chooseAtIntuit(page, stack, 'Sandbox Company_US_1');
    await expect.poll(() => page.getByTestId('qbo-tile').getByTestId('qbo-status').textContent()).toBe('Connected');
  }

  it('links a client to an existing QuickBooks customer, pushes, sees the QuickBooks edit as drift and re-pushes', async () => {
    const { browser, database, emulator, baseUrl } = stack;
    const { page } = browser;
    try {
      await logIn(page, stack, DEMO_OWNER);
      await connectQuickBooks(page);

      const me = (await (await page.request.get(`${baseUrl}/api/auth/me`)).json()) as { user: { id: string }; organisation: { id: string } };
      const orgId = me.organisation.id;
      await saveMappings(
        database.db,
        {
          orgId,
          realmId: SANDBOX_US,
          userId: me.user.id,
          accounts: AccountMappingSchema.parse({ defaultIncomeAccountId: SERVICES }),
          tax: { kind: 'sales_tax', salesTaxCodeId: CALIFORNIA, exemptTaxCodeId: null },
        },
        'sales_tax',
      );
      // The bookkeeper already keeps this client in QuickBooks under a longer name.
      const bookkeeper = await qboUser({ db: database.db, dialect: database.dialect, baseUrl: emulator.baseUrl, realmId: SANDBOX_US });
      const existing = String((await bookkeeper.createCustomer('Dana Interiors (est. 2019)'))['Id']);
      const client = await database.db.selectFrom('clients').select(['id']).where('org_id', '=', orgId).where('info_name', '=', 'Dana').executeTakeFirstOrThrow();

      // Link: type-ahead over QuickBooks customers, then Link.
      await page.goto(`${baseUrl}/clients/${client.id}`);
      const panel = page.getByRole('region', { name: 'QuickBooks' });
      await expect.poll(() => panel.getByTestId('qbo-link').textContent()).toContain('Not linked.');
      await panel.getByRole('button', { name: 'Link to QuickBooks record' }).click();
      await panel.getByLabel('Search QuickBooks customers').fill('Interiors (est');
      const results = panel.getByRole('table', { name: 'QuickBooks customers' });
      await expect.poll(() => results.getByRole('row').count()).toBe(2);
      await results.getByRole('row', { name: /Dana Interiors \(est\. 2019\)/ }).getByRole('button', { name: 'Link' }).click();
      await expect.poll(() => panel.getByTestId('qbo-link').textContent()).toContain('Linked to QuickBooks customer “Dana Interiors (est. 2019)”');
      await browser.screenshot('month-end-linked');

      // Push an invoice for the client: it lands on the linked customer, no new one is made.
      const created = await page.request.post(`${baseUrl}/api/documents`, {
        data: { type: 'invoice', clientId: client.id, issueDate: '2026-03-02', dueDate: '2026-04-01', lines: [{ description: 'Design consultation', quantity: '2', rate: '150', taxable: false }] },
      });
      const invoice = (await created.json()) as { id: string; number: string };
      expect((await page.request.post(`${baseUrl}/api/documents/${invoice.id}/finalize`)).status()).toBe(200);
      await page.goto(`${baseUrl}/invoices/${invoice.id}`);
      await page.getByRole('button', { name: 'Invoice actions' }).click();
      await page.getByRole('menuitem', { name: 'Push to QuickBooks' }).click();
      await expect.poll(() => page.locator('.alert.success').textContent()).toMatch(new RegExp(`^${invoice.number} is in QuickBooks`));
      const [qboInvoice, ...others] = emulator.control.api.listEntities(SANDBOX_US, 'Invoice');
      expect(others).toHaveLength(0);
      expect(qboInvoice?.['CustomerRef']).toMatchObject({ value: existing });
      expect(emulator.control.api.listEntities(SANDBOX_US, 'Customer').filter((c) => String(c['DisplayName']).startsWith('Dana'))).toHaveLength(1);

      // The bookkeeper edits the invoice in QuickBooks: another date and one more hour.
      const qboId = String(qboInvoice?.['Id']);
      await bookkeeper.editTransaction('Invoice', qboId, '2026-03-09');

      // Finances → Sync Center → Drift shows what differs, field by field.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Drift' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/finances/sync-center/drift');
      const row = page.getByTestId('drift-row').filter({ hasText: invoice.number });
      await expect.poll(() => row.getAttribute('data-kind')).toBe('changed_in_qbo');
      const text = (await row.textContent()) ?? '';
      expect(text).toContain('Changed in QuickBooks after the push');
      expect(text).toMatch(/Total\s*300\.00\s*450\.00/);
      expect(text).toMatch(/Date\s*2026-03-02\s*2026-03-09/);
      expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe('/api/qbo/drift.csv');
      const csv = await page.request.get(`${baseUrl}/api/qbo/drift.csv`);
      expect(await csv.text()).toContain(`Changed in QuickBooks after the push,Invoice,${invoice.number},Dana,Total,300.00,450.00,${qboId},`);
      await browser.screenshot('month-end-drift');

      // Re-push puts Workroom's version back; the row goes away.
      await row.getByRole('button', { name: 'Re-push' }).click();
      await expect.poll(() => page.locator('.alert.success').textContent()).toBe(`${invoice.number} is in QuickBooks again.`);
      await expect.poll(() => page.getByTestId('drift-row').filter({ hasText: invoice.number }).count()).toBe(0);
      expect(emulator.control.api.getEntity(SANDBOX_US, 'Invoice', qboId)).toMatchObject({ TxnDate: '2026-03-02', TotalAmt: 300 });
      await browser.screenshot('month-end-repushed');
    } catch (err) {
      console.error(`screenshot: ${await browser.screenshot('month-end-failure')}`);
      throw err;
    }
  }, 120_000);
});
