import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/data.js';
import { QboMappingService } from '../../src/qbo/sync/mapping-service.js';
import { qboMappingRoutes } from '../../src/server/routes/qbo-mapping/index.js';
import { startQboApp, type QboStack } from './support/stack.js';
import { chooseAtIntuit, logIn, logOut } from './support/steps.js';

describe('QuickBooks account and tax mapping in the browser', () => {
  let stack: QboStack;

  beforeAll(async () => {
    stack = await startQboApp({
      dataDirPrefix: 'workroom-e2e-mapping-',
      emulator: { withHistory: false },
      moreRoutes: async (app, { db, connections }) => {
        await app.register(qboMappingRoutes, { service: new QboMappingService({ db, connections }) });
      },
    });
  });

  afterAll(() => stack?.close());

  const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
  const accountsForm = (page: Page) => page.getByRole('form', { name: 'Account mapping' });
  const taxForm = (page: Page) => page.getByRole('form', { name: 'Tax mapping' });
  const status = (page: Page, field: string) => page.getByTestId(`mapping-status-${field}`).textContent();
  const selected = (page: Page, label: string) =>
    page.getByLabel(label, { exact: true }).evaluate((el) => {
      const select = el as HTMLSelectElement;
      return select.selectedOptions[0]?.textContent ?? '';
    });

  async function logInAndConnect(page: Page, email: string, company: string): Promise<void> {
    await logIn(page, stack, { email, password: DEMO_PASSWORD });
    // Not connected yet: the mapping page is not offered.
    expect(await nav(page).getByRole('link', { name: 'QuickBooks', exact: true }).count()).toBe(0);
    await nav(page).getByRole('link', { name: 'Apps' }).click();
    await page.getByTestId('qbo-tile').getByRole('button', { name: 'Connect' }).click();
    await chooseAtIntuit(page, stack, company);
    await expect.poll(() => page.getByTestId('qbo-status').textContent()).toBe('Connected');
    await nav(page).getByRole('link', { name: 'QuickBooks', exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/settings/finances/quickbooks');
    await accountsForm(page).waitFor();
  }

  it('maps accounts and the Sales Tax % of a US studio from the live company, and keeps them after a reload', async () => {
    const { browser } = stack;
    const { page } = browser;
    try {
      await logInAndConnect(page, 'owner@demo.studio', 'Sandbox Company_US_1');
      expect(await page.getByTestId('qbo-mapping-company').textContent()).toContain('Sandbox Company_US_1');
      expect(await status(page, 'defaultIncomeAccountId')).toBe('Not mapped');
      const warnings = page.getByTestId('qbo-mapping-warnings');
      expect(await warnings.textContent()).toContain('Default Income Account — Invoice and Estimate pushes fail with “Account not specified for line item”');
      expect(await warnings.textContent()).toContain('Sales Tax % — Invoice and Estimate pushes with taxed lines fail with “Tax code mismatch”');

      // The pickers hold the emulator company's real accounts, each only where its type fits.
      const income = page.getByLabel('Default Income Account', { exact: true });
      const incomeOptions = await income.locator('option').allTextContents();
      expect(incomeOptions).toEqual([
        '— Not mapped —',
        'Sales of Product Income',
        'Services',
        'Services:Design Services',
        'Interest Earned',
        'Other Income',
      ]);
      const retainerOptions = await page.getByLabel('Retainer / Deposit Liability', { exact: true }).locator('option').allTextContents();
      expect(retainerOptions).toEqual(['— Not mapped —', 'Customer Deposits', 'Sales Tax Payable']);

      await income.selectOption({ label: 'Services:Design Services' });
      await page.getByLabel('Default Expense Account', { exact: true }).selectOption({ label: 'Cost of Goods Sold' });
      await page.getByLabel('Retainer / Deposit Liability', { exact: true }).selectOption({ label: 'Customer Deposits' });
      await page.getByLabel('Sales Tax Payable', { exact: true }).selectOption({ label: 'Sales Tax Payable' });
      await page.getByLabel('Furniture', { exact: true }).selectOption({ label: 'Sales of Product Income' });
      await page.getByLabel('Stonebridge Rugs', { exact: true }).selectOption({ label: 'Purchases' });
      await accountsForm(page).getByRole('button', { name: 'Save account mapping' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Account mapping saved.');
      expect(await status(page, 'defaultIncomeAccountId')).toBe('Mapped');
      expect(await status(page, 'retainerLiabilityAccountId')).toBe('Mapped');

      await page.getByLabel('Sales Tax % (8.875%)', { exact: true }).selectOption({ label: 'California (8%)' });
      await taxForm(page).getByRole('button', { name: 'Save tax mapping' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Tax mapping saved.');
      expect(await status(page, 'salesTaxCodeId')).toBe('Mapped');
      expect(await page.getByTestId('qbo-mapping-warnings').count()).toBe(0);
      expect(await page.getByTestId('qbo-mapping-rate-notes').textContent()).toContain('The Sales Tax % is 8.875% in Workroom but QuickBooks tax code "California" is 8%');
      await browser.screenshot('qbo-mapping-us-saved');

      await page.reload();
      await accountsForm(page).waitFor();
      expect(await selected(page, 'Default Income Account')).toBe('Services:Design Services');
      expect(await selected(page, 'Default Expense Account')).toBe('Cost of Goods Sold');
      expect(await selected(page, 'Retainer / Deposit Liability')).toBe('Customer Deposits');
      expect(await selected(page, 'Sales Tax Payable')).toBe('Sales Tax Payable');
      expect(await selected(page, 'Furniture')).toBe('Sales of Product Income');
      expect(await selected(page, 'Lighting')).toBe('Use the Default Income Account');
      expect(await selected(page, 'Stonebridge Rugs')).toBe('Purchases');
      expect(await selected(page, 'Sales Tax % (8.875%)')).toBe('California (8%)');
      const lightingRow = page.getByRole('row').filter({ has: page.getByLabel('Lighting', { exact: true }) });
      expect(await lightingRow.locator('.chip').textContent()).toBe('Uses default');
      expect(await status(page, 'defaultExpenseAccountId')).toBe('Mapped');
    } catch (err) {
      console.error(`screenshot: ${await browser.screenshot('qbo-mapping-us-failure')}`);
      throw err;
    }
  }, 120_000);

  it('pairs each tax code of a Canadian studio with a QuickBooks tax code, and keeps them after a reload', async () => {
    const { browser, emulator } = stack;
    const { page } = browser;
    try {
      await logOut(page);
      await logInAndConnect(page, 'owner@demo-ca.studio', 'Sandbox Company_CA_1');
      expect(await status(page, 'noTaxCodeId')).toBe('Not mapped');
      const warnings = await page.getByTestId('qbo-mapping-warnings').textContent();
      expect(warnings).toContain('Tax code “ON HST” — Pushes with lines taxed "ON HST" fail with “Tax code mismatch”.');

      const taxOptions = await page.getByLabel('ON HST (13%)', { exact: true }).locator('option').allTextContents();
      expect(taxOptions).toEqual(['— Not paired —', 'Exempt (0%)', 'GST (5%)', 'GST/PST BC (12%)', 'HST ON (13%)', 'Zero-rated (0%)']);
      await page.getByLabel('BC GST+PST (12%)', { exact: true }).selectOption({ label: 'GST/PST BC (12%)' });
      await page.getByLabel('ON HST (13%)', { exact: true }).selectOption({ label: 'HST ON (13%)' });
      await page.getByLabel('GST only (5%)', { exact: true }).selectOption({ label: 'GST (5%)' });
      await page.getByLabel('Exempt (0%)', { exact: true }).selectOption({ label: 'Exempt (0%)' });
      await page.getByLabel('Lines without a tax code', { exact: true }).selectOption({ label: 'Exempt (0%)' });
      await taxForm(page).getByRole('button', { name: 'Save tax mapping' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Tax mapping saved.');
      expect(await status(page, 'noTaxCodeId')).toBe('Mapped');
      expect(await page.getByTestId('qbo-mapping-warnings').textContent()).not.toContain('Tax code mismatch');

      await page.reload();
      await taxForm(page).waitFor();
      expect(await selected(page, 'BC GST+PST (12%)')).toBe('GST/PST BC (12%)');
      expect(await selected(page, 'ON HST (13%)')).toBe('HST ON (13%)');
      expect(await selected(page, 'GST only (5%)')).toBe('GST (5%)');
      expect(await selected(page, 'Exempt (0%)')).toBe('Exempt (0%)');
      expect(await selected(page, 'Lines without a tax code')).toBe('Exempt (0%)');
      await browser.screenshot('qbo-mapping-ca-saved');

      // Intuit revokes the grant and the access token runs out: the page says so, with the fix, instead of empty pickers.
      emulator.tokens.revokeRealm('4620816365290212476');
      emulator.clock.advance(3600_000 + 1000);
      await page.reload();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('QuickBooks needs reconnecting');
      expect(await page.getByRole('button', { name: 'Reconnect' }).count()).toBe(1);
      expect(await taxForm(page).count()).toBe(0);
    } catch (err) {
      console.error(`screenshot: ${await browser.screenshot('qbo-mapping-ca-failure')}`);
      throw err;
    }
  }, 120_000);
});

