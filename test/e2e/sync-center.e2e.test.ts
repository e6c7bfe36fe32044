import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentInputSchema } from '../../src/domain/documents.js';
import { createCategory } from '../../src/domain/store/categories.js';
import { createClient } from '../../src/domain/store/clients.js';
import { createVendor } from '../../src/domain/store/vendors.js';
import { VendorInputSchema } from '../../src/domain/parties.js';
import { applyDocumentAction, createDocument } from '../../src/domain/store/documents.js';
import type { Organisation } from '../../src/domain/model.js';
import { createOrganisation, createUser } from '../../src/domain/store/organisations.js';
import { AccountMappingSchema } from '../../src/qbo/mapping/index.js';
import { saveMappings } from '../../src/qbo/sync/mapping-store.js';
import { hashPassword } from '../../src/server/index.js';
import type { TestDatabase } from '../helpers/databases.js';
import { startProduct, type ProductStack } from './support/stack.js';
import { chooseAtIntuit, logIn } from './support/steps.js';

const SANDBOX_US = '4620816365290212450';
/** The emulator's seeded chart: Sales of Product Income. */
const PRODUCT_INCOME = '3';
const EMAIL = 'closer@month-end.studio';
const PASSWORD = 'month-end-close';

describe('Finances → Sync Center in the browser', () => {
  let stack: ProductStack;
  let org: Organisation;
  let orgId: string;
  let clientId: string;
  let oddNumber: string;

  beforeAll(async () => {
    stack = await startProduct({
      dataDirPrefix: 'workroom-e2e-sync-',
      // Some latency, so a bulk push takes long enough for its progress to be seen moving.
      emulator: { withHistory: false, latencyMs: 250 },
      seed: seedStudio,
      // Assembled as `npm start` does: src/app.ts, with its worker polling in this process (src/serve.ts).
      runWorker: true,
    });
  });

  afterAll(() => stack?.close());

  /** A US studio with one client and four final invoices, the last of them the one whose push fails. */
  async function seedStudio(db: TestDatabase['db']): Promise<void> {
    org = await createOrganisation(db, { name: 'Month-End Studio', country: 'US', homeCurrency: 'USD', salesTaxRate: '0' });
    orgId = org.id;
    const created = await createUser(db, { orgId, email: EMAIL, passwordHash: await hashPassword(PASSWORD), role: 'owner' });
    if (!created.ok) throw new Error('user');
    const category = await createCategory(db, orgId, { name: 'Furniture' });
    if (!category.ok) throw new Error('category');
    const client = await createClient(db, orgId, {
      fullName: 'Juniper Hall',
      clientInformation: {
        name: 'Juniper Hall',
        email: 'hello@juniper.example',
        phone: '(555) 010-0101',
        billingAddress: { line1: '9 Elm St', city: 'Hudson', region: 'NY', postalCode: '12534', country: 'US' },
      },
    });
    clientId = client.id;
    await createVendor(db, orgId, VendorInputSchema.parse({ name: 'Oakline Joinery' }));
    // Three invoices of furniture (mapped below) and one design fee, whose income account is not mapped yet.
    const lines = [
      [{ description: 'Oak sideboard', quantity: '1', rate: '1200', categoryId: category.value.id, taxable: false }],
      [{ description: 'Pair of lamps', quantity: '2', rate: '180', categoryId: category.value.id, taxable: false }],
      [{ description: 'Wool rug', quantity: '1', rate: '640', categoryId: category.value.id, taxable: false }],
      [{ description: 'Design fee', quantity: '6', rate: '95', taxable: false }],
    ];
    for (const [i, docLines] of lines.entries()) {
      const doc = await createDocument(db, org, DocumentInputSchema.parse({ type: 'invoice', clientId: client.id, issueDate: `2026-03-0${i + 1}`, lines: docLines }));
      if (!doc.ok) throw new Error('document');
      const final = await applyDocumentAction(db, org, doc.value.id, 'finalize');
      if (!final.ok) throw new Error('finalize');
      oddNumber = final.value.number;
    }
  }

  const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
  const row = (page: Page, number: string) => page.getByTestId(`job-${number}`);

  it('bulk push with live progress; one document fails; the mapping is fixed; Retry turns it green', async () => {
    const { browser, database, emulator } = stack;
    const { page } = browser;
    try {
      await logIn(page, stack, { email: EMAIL, password: PASSWORD });
      // The Sync Center only shows up once QuickBooks is connected.
      expect(await nav(page).getByRole('link', { name: 'Sync Center' }).count()).toBe(0);

      await nav(page).getByRole('link', { name: 'Apps' }).click();
      await page.getByTestId('qbo-tile').getByRole('button', { name: 'Connect' }).click();
      await chooseAtIntuit(page, stack, 'Sandbox Company_US_1');
      await saveMappings(
        database.db,
        { orgId, realmId: SANDBOX_US, userId: null, accounts: AccountMappingSchema.parse({ incomeByCategory: { [await furnitureId()]: PRODUCT_INCOME } }) },
        'sales_tax',
      );

      await nav(page).getByRole('link', { name: 'Sync Center' }).click();
      await expect.poll(() => page.getByTestId('health-connection').textContent()).toBe('Connected');
      // The history is its own request: the health card can be there before it.
      await expect.poll(() => page.getByText('Nothing has been pushed to QuickBooks yet.').count()).toBe(1);
      // Nothing to page through: no "0–0 of 0" under the empty history.
      const pager = page.getByRole('navigation', { name: 'Pagination' });
      expect(await pager.count()).toBe(0);
      // Before the first push the page names, as the mapping page does, what is left to map.
      const incomplete = page.getByTestId('mapping-incomplete');
      await expect.poll(() => incomplete.textContent()).toBe(
        'Some pushes will fail until the QuickBooks mapping is complete: Default Income Account, Default Expense Account, ' +
          'Retainer / Deposit Liability, Sales Tax %. Map them in Settings → Finances → QuickBooks.',
      );

      // Record every state the progress bar passes through.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { progressSeen: string[] }).progressSeen = seen;
        new MutationObserver(() => {
          const text = document.querySelector('[data-testid="run-summary"]')?.textContent;
          if (text && seen.at(-1) !== text) seen.push(text);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await page.getByRole('button', { name: 'Push all approved' }).click();
      const bar = page.getByRole('progressbar', { name: 'Push all approved progress' });
      await expect.poll(() => bar.getAttribute('aria-valuemax')).toBe('4');
      await expect.poll(() => page.getByTestId('run-summary').textContent(), { timeout: 15_000 }).toBe('Done: 3 pushed, 1 failed of 4');
      expect(await bar.getAttribute('aria-valuenow')).toBe('4');
      // "Pushing 4 documents…" was about the start; the summary now speaks for the run.
      await expect.poll(() => page.getByText('Pushing 4 documents to QuickBooks.').count()).toBe(0);
      const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
      expect(seen[0]).toMatch(/, 4 to go of 4$/);
      expect(seen.at(-1)).toBe('Done: 3 pushed, 1 failed of 4');
      await browser.screenshot('sync-center-bulk-done');

      const failed = row(page, oddNumber);
      await expect.poll(() => failed.locator('.chip').textContent()).toBe('failed');
      expect(await failed.locator('.qbo-error').textContent()).toMatch(/^Account not specified for line item/);
      // At 1280 px beside the sidebar the history fits its panel, and the QBO message keeps a readable width.
      const fit = await page
        .getByRole('table', { name: 'Push history' })
        .evaluate((table) => ({ table: table.scrollWidth, room: table.parentElement?.clientWidth ?? 0 }));
      expect(fit.table).toBeLessThanOrEqual(fit.room);
      expect((await failed.locator('.qbo-cell').boundingBox())?.width).toBeGreaterThanOrEqual(240);
      await expect.poll(() => page.getByTestId('health-failed').textContent()).toBe('1');
      const pushedRows = page.locator('tr[data-testid^="job-"]').filter({ has: page.locator('.chip.pushed') });
      expect(await pushedRows.count()).toBe(3);
      expect(await pager.textContent()).toContain('1–4 of 4');
      const link = await pushedRows.first().getByRole('link', { name: 'Open in QuickBooks' }).getAttribute('href');
      expect(link).toMatch(new RegExp(`^${emulator.baseUrl}/sandbox-app/app/invoice\\?txnId=\\d+$`));

      // Fix the cause where the help page says to: Settings → Finances → QuickBooks.
      await nav(page).getByRole('link', { name: 'QuickBooks', exact: true }).click();
      await page.getByLabel('Default Income Account', { exact: true }).selectOption({ label: 'Services' });
      await page.getByRole('form', { name: 'Account mapping' }).getByRole('button', { name: 'Save account mapping' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Account mapping saved.');

      await nav(page).getByRole('link', { name: 'Sync Center' }).click();
      await expect.poll(() => incomplete.textContent()).toMatch(/complete: Default Expense Account, Retainer \/ Deposit Liability, Sales Tax %\./);
      await row(page, oddNumber).getByRole('button', { name: `Retry ${oddNumber}` }).click();
      await expect.poll(() => row(page, oddNumber).locator('.chip').textContent(), { timeout: 15_000 }).toBe('pushed');
      expect(await row(page, oddNumber).locator('.chip').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(47, 111, 94)');
      await expect.poll(() => page.getByTestId('health-failed').textContent()).toBe('0');
      expect(await row(page, oddNumber).getByRole('link', { name: 'Open in QuickBooks' }).count()).toBe(1);

      await row(page, oddNumber).getByRole('button', { name: 'Attempts' }).click();
      const attempts = page.getByRole('table', { name: 'Attempts' });
      await expect.poll(() => attempts.locator('tbody tr').count()).toBe(2);
      expect(await attempts.locator('tbody tr').first().textContent()).toContain(`Retry${EMAIL}`);
      await browser.screenshot('sync-center-retried');

      expect(emulator.control.api.listEntities(SANDBOX_US, 'Invoice')).toHaveLength(4);
    } catch (err) {
      await browser.screenshot('sync-center-failure');
      throw err;
    }
  }, 60_000);

  it('dismisses a failure fixed by hand in QuickBooks, with the reason, who and when; Retry all failed leaves it alone', async () => {
    const { browser, database, emulator, baseUrl } = stack;
    const { page } = browser;
    try {
      // A design fee again, with the default income account unmapped once more: QBO refuses it.
      await saveMappings(
        database.db,
        { orgId, realmId: SANDBOX_US, userId: null, accounts: AccountMappingSchema.parse({ incomeByCategory: { [await furnitureId()]: PRODUCT_INCOME } }) },
        'sales_tax',
      );
      const doc = await createDocument(
        database.db,
        org,
        DocumentInputSchema.parse({ type: 'invoice', clientId, issueDate: '2026-03-09', lines: [{ description: 'Site visit', quantity: '2', rate: '120', taxable: false }] }),
      );
      if (!doc.ok) throw new Error('document');
      const final = await applyDocumentAction(database.db, org, doc.value.id, 'finalize');
      if (!final.ok) throw new Error('finalize');
      const number = final.value.number;

      await page.goto(`${baseUrl}/finances/sync-center`);
      await page.getByRole('button', { name: 'Push all approved' }).click();
      await expect.poll(() => page.getByTestId('run-summary').textContent(), { timeout: 15_000 }).toBe('Done: 0 pushed, 1 failed of 1');
      await expect.poll(() => row(page, number).locator('.chip').textContent()).toBe('failed');
      await expect.poll(() => page.getByTestId('health-failed').textContent()).toBe('1');

      // Dismiss asks for a reason first; an empty one cannot be sent.
      await row(page, number).getByRole('button', { name: `Dismiss ${number}` }).click();
      const form = page.getByRole('form', { name: `Dismiss ${number}` });
      expect(await form.getByRole('button', { name: 'Dismiss', exact: true }).isDisabled()).toBe(true);
      await form.getByLabel('Reason for dismissing').fill('Entered by hand in QuickBooks as INV-HAND-1');
      await form.getByRole('button', { name: 'Dismiss', exact: true }).click();

      await expect.poll(() => row(page, number).locator('.chip').textContent()).toBe('dismissed');
      expect(await form.count()).toBe(0);
      const dismissal = await row(page, number).getByTestId('dismissal').textContent();
      expect(dismissal).toMatch(new RegExp(`^Dismissed by ${EMAIL} on .+: “Entered by hand in QuickBooks as INV-HAND-1”$`));
      expect(await row(page, number).getByRole('button', { name: `Retry ${number}` }).count()).toBe(0);
      await expect.poll(() => page.getByTestId('health-failed').textContent()).toBe('0');
      expect(await page.getByRole('button', { name: 'Retry all failed' }).isDisabled()).toBe(true);

      // The history's Dismissed filter finds it, reason and all.
      await page.getByLabel('Status').selectOption('dismissed');
      await expect.poll(() => page.locator('tr[data-testid^="job-"]').count()).toBe(1);
      expect(await row(page, number).getByTestId('dismissal').textContent()).toBe(dismissal);
      await browser.screenshot('sync-center-dismissed');

      // Back in the full history it stays dismissed, and it never reached QuickBooks.
      await page.getByLabel('Status').selectOption('');
      expect(await row(page, number).locator('.chip').textContent()).toBe('dismissed');
      expect(emulator.control.api.listEntities(SANDBOX_US, 'Invoice').map((i) => i['DocNumber'])).not.toContain(number);

      // One client's pushes or one vendor's, from one list: this vendor has no purchase order pushed.
      const rows = page.locator('tr[data-testid^="job-"]');
      // The full history again, not the Dismissed filter's one row still on screen.
      await expect.poll(() => rows.count()).toBeGreaterThan(1);
      const all = await rows.count();
      const party = page.getByLabel('Client or vendor');
      await expect.poll(() => party.locator('optgroup[label="Clients"] option').allTextContents()).toEqual(['Juniper Hall']);
      await expect.poll(() => party.locator('optgroup[label="Vendors"] option').allTextContents()).toEqual(['Oakline Joinery']);
      await party.selectOption({ label: 'Oakline Joinery' });
      await expect.poll(() => page.getByText('No push matches these filters.').count()).toBe(1);
      expect(new URL(page.url()).searchParams.get('clientId')).toBeNull();
      await party.selectOption({ label: 'Juniper Hall' });
      await expect.poll(() => new URL(page.url()).searchParams.get('clientId')).toBe(clientId);
      expect(new URL(page.url()).searchParams.get('vendorId')).toBeNull();
      await expect.poll(() => rows.count()).toBe(all);
      await party.selectOption('');
      await expect.poll(() => new URL(page.url()).search).toBe('');

      // The Drift tab is the month-end report next door.
      await page.getByRole('navigation', { name: 'Sync Center views' }).getByRole('link', { name: 'Drift' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/finances/sync-center/drift');
      await expect.poll(() => page.getByRole('heading', { name: 'Drift', level: 1 }).count()).toBe(1);
      // The report reads QuickBooks; let it finish, so no read of this test is still in flight in the next one.
      await expect.poll(() => page.getByText(/^Compared with /).count(), { timeout: 15_000 }).toBe(1);
    } catch (err) {
      await browser.screenshot('sync-center-dismiss-failure');
      throw err;
    }
  }, 60_000);

  it('when QuickBooks lets go, the push fails visibly, the page says to reconnect, and after Reconnect a Retry pushes it', async () => {
    const { browser, database, emulator, baseUrl } = stack;
    const { page } = browser;
    try {
      const doc = await createDocument(
        database.db,
        org,
        DocumentInputSchema.parse({
          type: 'invoice',
          clientId,
          issueDate: '2026-03-10',
          lines: [{ description: 'Walnut desk', quantity: '1', rate: '980', categoryId: await furnitureId(), taxable: false }],
        }),
      );
      if (!doc.ok) throw new Error('document');
      const final = await applyDocumentAction(database.db, org, doc.value.id, 'finalize');
      if (!final.ok) throw new Error('finalize');
      const number = final.value.number;

      // Intuit revokes the grant and the access token runs out: the next push finds out.
      emulator.tokens.revokeRealm(SANDBOX_US);
      emulator.clock.advance(3600_000 + 1000);
      await page.goto(`${baseUrl}/finances/sync-center`);
      await page.getByRole('button', { name: 'Push all approved' }).click();
      await expect.poll(() => page.getByTestId('run-summary').textContent(), { timeout: 15_000 }).toBe('Done: 0 pushed, 1 failed of 1');
      await expect.poll(() => row(page, number).locator('.chip').textContent()).toBe('failed');
      // The row keeps Intuit's own answer; the banner above says what it means and offers the fix.
      expect(await row(page, number).locator('.qbo-error').textContent()).toMatch(/^QuickBooks needs reconnecting: invalid_grant/);
      await expect.poll(() => page.getByTestId('health-connection').textContent()).toBe('Needs reconnecting');
      // Retry waits for the reconnect: the page knows once the health card does.
      expect(await row(page, number).getByRole('button', { name: `Retry ${number}` }).isDisabled()).toBe(true);
      const banner = page.locator('.qbo-reconnect');
      expect(await banner.textContent()).toMatch(/^QuickBooks needs reconnecting\. .*it was revoked.*Reconnect to continue\./);
      await browser.screenshot('sync-center-needs-reconnect');

      await banner.getByRole('button', { name: 'Reconnect' }).click();
      await chooseAtIntuit(page, stack, 'Sandbox Company_US_1');
      await page.goto(`${baseUrl}/finances/sync-center`);
      await expect.poll(() => page.getByTestId('health-connection').textContent()).toBe('Connected');
      expect(await page.locator('.qbo-reconnect').count()).toBe(0);
      await row(page, number).getByRole('button', { name: `Retry ${number}` }).click();
      await expect.poll(() => row(page, number).locator('.chip').textContent(), { timeout: 15_000 }).toBe('pushed');
      expect(emulator.control.api.listEntities(SANDBOX_US, 'Invoice').filter((i) => i['DocNumber'] === number)).toHaveLength(1);
    } catch (err) {
      await browser.screenshot('sync-center-reconnect-failure');
      throw err;
    }
  }, 60_000);

  async function furnitureId(): Promise<string> {
    const row = await stack.database.db.selectFrom('categories').select('id').where('org_id', '=', orgId).where('name', '=', 'Furniture').executeTakeFirstOrThrow();
    return row.id;
  }
});
