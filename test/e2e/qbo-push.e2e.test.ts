import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type ProductStack } from './support/stack.js';
import { chooseAtIntuit, DEMO_OWNER, logIn } from './support/steps.js';

const SANDBOX_US = '4620816365290212450';
/** The emulator's seeded chart: Services, Sales of Product Income; tax code California (8%): the options mapped below. */
const SERVICES = '1';
const PRODUCT_INCOME = '3';
const CALIFORNIA = '2';

type Rec = Record<string, unknown>;

describe('Push to QuickBooks in the browser', () => {
  let stack: ProductStack;

  beforeAll(async () => {
    // The product as `npm start` assembles it: the push route, its worker and the processor from src/app.ts.
    stack = await startProduct({ dataDirPrefix: 'workroom-e2e-push-', emulator: { withHistory: false } });
  });

  afterAll(() => stack?.close());

  it('maps accounts in Settings, pushes an invoice from the ⋯ menu, shows the green confirmation, QBO holds the right lines; syncs clients; resolves a possible duplicate', async () => {
    const { browser, database, emulator, baseUrl } = stack;
    const { page } = browser;
    try {
      await logIn(page, stack, DEMO_OWNER);

      await page.goto(`${baseUrl}/settings/apps`);
      await page.getByTestId('qbo-tile').getByRole('button', { name: 'Connect' }).click();
      await chooseAtIntuit(page, stack, 'Sandbox Company_US_1');
      await expect.poll(() => page.getByTestId('qbo-tile').getByTestId('qbo-status').textContent()).toBe('Connected');

      const me = (await (await page.request.get(`${baseUrl}/api/auth/me`)).json()) as { organisation: { id: string; salesTaxRate: string } };
      const orgId = me.organisation.id;
      const furniture = await database.db.selectFrom('categories').select('id').where('org_id', '=', orgId).where('name', '=', 'Furniture').executeTakeFirstOrThrow();
      const client = await database.db.selectFrom('clients').select(['id', 'info_name', 'full_name']).where('org_id', '=', orgId).where('info_name', '=', 'Dana').executeTakeFirstOrThrow();

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

      // Before anything is mapped, the document says what would refuse its push, in the refusal's own words.
      await page.goto(`${baseUrl}/invoices/${invoice.id}`);
      const foreseen = page.getByTestId('qbo-push-refusal');
      await expect.poll(() => foreseen.count()).toBe(1);
      expect(await foreseen.locator('strong').textContent()).toBe('A push now would be refused: Account not specified for line item');
      expect(await foreseen.textContent()).toContain('line 2 (no category) has no income account');
      expect(await foreseen.textContent()).toContain('Tax code mismatch: the Sales Tax % is not paired with a QuickBooks tax code (taxed line 1)');
      expect(await foreseen.getByRole('link', { name: 'Open Settings → Finances → QuickBooks' }).getAttribute('href')).toBe('/settings/finances/quickbooks');

      // The account and tax mapping, chosen in Settings → Finances → QuickBooks: Furniture to product income, the rest to Services.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'QuickBooks', exact: true }).click();
      const accountsForm = page.getByRole('form', { name: 'Account mapping' });
      await accountsForm.waitFor();
      await page.getByLabel('Default Income Account', { exact: true }).selectOption({ label: 'Services' });
      await page.getByLabel('Furniture', { exact: true }).selectOption({ label: 'Sales of Product Income' });
      await accountsForm.getByRole('button', { name: 'Save account mapping' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Account mapping saved.');
      await page.getByLabel('Sales Tax % (8.875%)', { exact: true }).selectOption({ label: 'California (8%)' });
      await page.getByRole('form', { name: 'Tax mapping' }).getByRole('button', { name: 'Save tax mapping' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Tax mapping saved.');

      await page.goto(`${baseUrl}/invoices/${invoice.id}`);
      await expect.poll(() => page.getByTestId('qbo-push-panel').textContent()).toContain('Not pushed to Sandbox Company_US_1 yet.');
      expect(await foreseen.count()).toBe(0);
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

      // Sync clients: the pushed client is already linked and eight are created; "Smith, LLC" is not created next to
      // the "Smith LLC" just made, but stopped as a possible duplicate for the user to decide.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
      await page.getByRole('button', { name: 'Sync clients' }).click();
      const report = page.getByRole('dialog', { name: 'Sync clients report' });
      await expect.poll(() => report.getByTestId('party-sync-summary').textContent()).toBe('10 clients: 1 matched, 8 created, 1 conflicts.');
      const conflict = report.getByRole('listitem').filter({ hasText: 'Possible duplicate' });
      expect(await conflict.textContent()).toBe(
        'Smith, LLC: Possible duplicate: QuickBooks already has the customer “Smith LLC”, whose name differs from “Smith, LLC” only in punctuation, spacing or case. ' +
          'Open the client and choose Link to use that record, or Create anyway.',
      );
      const customerNames = () => emulator.control.api.listEntities(SANDBOX_US, 'Customer').map((c) => c['DisplayName']);
      expect(customerNames().filter((name) => name === 'Smith LLC' || name === 'Smith, LLC')).toEqual(['Smith LLC']);
      expect(customerNames().filter((name) => name === client.info_name)).toHaveLength(1);
      await browser.screenshot('qbo-sync-clients');

      // An invoice for "Smith, LLC" stops the same way; its page offers Link or Create anyway, and pushes again.
      const smithComma = await database.db.selectFrom('clients').select('id').where('org_id', '=', orgId).where('info_name', '=', 'Smith, LLC').executeTakeFirstOrThrow();
      const smithInvoice = (await (
        await page.request.post(`${baseUrl}/api/documents`, {
          data: { type: 'invoice', clientId: smithComma.id, issueDate: '2026-03-04', lines: [{ description: 'Window measure', quantity: '1', rate: '95', taxable: false }] },
        })
      ).json()) as { id: string; number: string };
      expect((await page.request.post(`${baseUrl}/api/documents/${smithInvoice.id}/finalize`)).status()).toBe(200);
      await page.goto(`${baseUrl}/invoices/${smithInvoice.id}`);
      await expect.poll(() => page.getByTestId('qbo-push-panel').count()).toBe(1);
      await page.getByRole('button', { name: 'Invoice actions' }).click();
      await page.getByRole('menuitem', { name: 'Push to QuickBooks' }).click();
      const stopped = page.getByTestId('qbo-push-error');
      await expect.poll(() => stopped.textContent()).toMatch(/^Possible duplicateQuickBooks already has the customer “Smith LLC”/);
      const choices = page.getByTestId('possible-duplicate-choices');
      await expect.poll(() => choices.getByRole('button').allTextContents()).toEqual(['Link to “Smith LLC”', 'Create anyway']);
      expect(emulator.control.api.listEntities(SANDBOX_US, 'Invoice')).toHaveLength(1);
      await browser.screenshot('qbo-push-possible-duplicate');

      await choices.getByRole('button', { name: 'Create anyway' }).click();
      await expect.poll(() => page.locator('.alert.success').textContent()).toMatch(new RegExp(`^${smithInvoice.number} is in QuickBooks: created invoice #\\d+\\.`));
      expect(await page.getByTestId('qbo-push-party').textContent()).toMatch(
        /Created as a new QuickBooks customer because Create anyway was chosen by owner@demo\.studio on \d{4}-\d{2}-\d{2}, although QuickBooks also has “Smith LLC”\./,
      );
      expect(await choices.count()).toBe(0);
      expect(customerNames().filter((name) => name === 'Smith LLC' || name === 'Smith, LLC').sort()).toEqual(['Smith LLC', 'Smith, LLC']);
      const smithQbo = emulator.control.api.listEntities(SANDBOX_US, 'Invoice').find((i) => i['DocNumber'] === smithInvoice.number);
      const smithCustomer = emulator.control.api.getEntity(SANDBOX_US, 'Customer', (smithQbo?.['CustomerRef'] as { value: string }).value);
      expect(smithCustomer?.['DisplayName']).toBe('Smith, LLC');

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
      expect(emulator.control.api.listEntities(SANDBOX_US, 'Invoice')).toHaveLength(2);
    } catch (err) {
      console.error(`screenshot: ${await browser.screenshot('qbo-push-failure')}`);
      throw err;
    }
  }, 120_000);
});
